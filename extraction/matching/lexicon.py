"""Word lists and patterns the matcher reads: stopwords, number words, months, units, synonyms."""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words(
    """a an the and or but nor so yet for of in on at to from by with without into onto over
    under about above below between among through during before after since until upon off
    out up down as than then that this these those there here it its it's itself he him his
    she her hers they them their theirs we us our ours you your yours i me my mine who whom
    whose which what when where why how is are was were be been being am do does did done
    doing have has had having will would shall should can could may might must also just
    only very too more most much many some any each every all both either neither other such
    own same not no said says say saying told tell according reported reportedly report
    reports stated state noted added while although though however meanwhile still even
    already again further if because whether while within via per one's s t ve ll re d m
    least now around approximately roughly nearly almost"""
)
# Kept although short or common: they carry the fact ("first foreign army", "not").
_KEEP = frozenset({"first", "last", "ww2", "us", "un", "eu"})

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "k": 1e3,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# The full name of each month, in calendar order (the first spelling listed in _MONTHS).
_MONTH_NAMES = tuple(k for k in _MONTHS if len(k) > 4 or k in ("may", "june", "july"))
# Unit words -> (canonical unit, factor to the base unit of its dimension).
_UNITS = {
    "km": ("km", 1.0),
    "kms": ("km", 1.0),
    "kilometer": ("km", 1.0),
    "kilometers": ("km", 1.0),
    "kilometre": ("km", 1.0),
    "kilometres": ("km", 1.0),
    "mile": ("km", 1.609344),
    "miles": ("km", 1.609344),
    "mi": ("km", 1.609344),
    "meter": ("m", 1.0),
    "meters": ("m", 1.0),
    "metre": ("m", 1.0),
    "metres": ("m", 1.0),
    "percent": ("pct", 1.0),
    "per cent": ("pct", 1.0),
    "%": ("pct", 1.0),
    "pct": ("pct", 1.0),
    "day": ("day", 1.0),
    "days": ("day", 1.0),
    "week": ("day", 7.0),
    "weeks": ("day", 7.0),
    "month": ("day", 30.4),
    "months": ("day", 30.4),
    "year": ("day", 365.25),
    "years": ("day", 365.25),
    "hour": ("hour", 1.0),
    "hours": ("hour", 1.0),
}
_CURRENCIES = {"$": "usd", "€": "eur", "£": "gbp", "usd": "usd", "dollars": "usd", "euros": "eur"}

# Category of a counted thing, from the words around the number. Order matters: "captured
# 909 soldiers" are prisoners, not troops, so the more specific categories come first.
_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("prisoners", ("prisoner", "captive", "pow", "captur", "detain", "exchang", "hostag")),
    (
        "evacuees",
        ("evacu", "fled", "flee", "displac", "refuge", "homeless", "resettl", "leave their home"),
    ),
    ("casualties", ("kill", "dead", "death", "died", "die ", "injur", "wound", "casualt", "hurt")),
    ("responders", ("firefight", "rescuer", "paramedic", "medic")),
    ("workers", ("striker", "strike", "worker", "docker", "employe", "staff", "member")),
    ("troops", ("troop", "soldier", "servicem", "personnel", "fighter")),
    ("vessels", ("ship", "vessel", "tanker", "boat", "freighter")),
    ("settlements", ("village", "settlement", "town", "localit")),
    ("homes", ("home", "house", "building", "dwelling")),
    ("vehicles", ("tank", "vehicl", "aircraft", "drone", "missil")),
)
# Heads that say "people" without saying which: they may stand for any category of people.
_GENERIC_PEOPLE = frozenset({"peopl", "person", "resident", "individual", "civilian", "inhabit"})
_MEASURES = frozenset({"distance", "duration"})
_PEOPLE_CATEGORIES = frozenset(
    {"prisoners", "evacuees", "casualties", "responders", "workers", "troops"}
)
# News synonyms folded to one stem, so a reworded fact shares its words.
_SYNONYMS = {
    "hurt": "injur",
    "wound": "injur",
    "wounded": "injur",
    "injuri": "injur",
    "die": "dead",
    "died": "dead",
    "death": "dead",
    "kill": "dead",
    "killed": "dead",
    "illegal": "unlawful",
    "vessel": "ship",
    "boat": "ship",
    "reroute": "divert",
    "rerout": "divert",
    "divert": "divert",
    "wall": "barrier",
    "breach": "fail",
    "breached": "fail",
    "collaps": "fail",
    "blaze": "fire",
    "wildfir": "fire",
    "flame": "fire",
    "house": "home",
    "walkout": "strike",
    "striker": "strike",
    "begin": "start",
    "began": "start",
    "launch": "start",
    "seiz": "captur",
    "fell": "captur",
    "quak": "earthquak",
    "tremor": "earthquak",
    "scorch": "burn",
    "burnt": "burn",
    "fled": "flee",
    "leav": "flee",
    "forc": "troop",
    "soldier": "troop",
    "army": "troop",
    "epicentr": "epicent",
    "centr": "center",
    "overnight": "night",
}

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*(?:st|nd|rd|th)?|[$€£%]")
_NUMERIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)*$")
# A day of the month as an ordinal ("6th"); at most two digits, so int() never meets a huge one.
_ORDINAL = re.compile(r"^([0-9]{1,2})(?:st|nd|rd|th)$")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_WW2 = re.compile(r"\b(?:world war (?:ii|two|2)|second world war|wwii|ww2)\b")
_WW1 = re.compile(r"\b(?:world war (?:i|one|1)|first world war|wwi|ww1)\b")
# Capitalised but not names: they say when, not who or where.
_CALENDAR = frozenset(_MONTHS) | _words("monday tuesday wednesday thursday friday saturday sunday")
_CENTURY = re.compile(r"\b(?:a|one) century\b")
_ACRONYM_DOTS = re.compile(r"\b(?:[a-z]\.){2,}")
_QUALIFIERS = {
    "over": "over",
    "more than": "over",
    "at least": "over",
    "nearly": "about",
    "almost": "about",
    "about": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "roughly": "about",
    "up to": "under",
    "less than": "under",
    "fewer than": "under",
}
