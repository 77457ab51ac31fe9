"""Claim matching: is this sentence the same fact as that one, and do their figures disagree?

Plain Python, no Django. Three parts:

- ``analyse(text)`` turns a claim into a ``ClaimSignature``: normalised content tokens
  (case, punctuation, number words -> digits, "6 August" == "August 6", units, light
  stemming), index keys for candidate retrieval, a fingerprint for exact rewordings, and the
  quantities it states (value, unit, head noun, category such as evacuees or troops).
- ``similarity(a, b)`` in [0, 1]: a blend of weighted token overlap (Dice and containment,
  so a short claim inside a longer sentence still scores), shared content bigrams (phrases
  survive rewording), character 4-grams (morphology: Ukraine/Ukrainian, captured/capture) and
  a bonus for the longest run of shared words ("foreign army on Russian soil since World War
  II" inside two different sentences). Token weights favour numbers and dates; callers pass
  an IDF ``weight`` (``idf_weight``/``corpus_weight``), which the thresholds are tuned with.
- ``find_conflicts(a, b)`` pairs quantities of the same kind (same category or head noun)
  whose values differ beyond rounding; ``compare`` combines both into a ``MatchDecision``
  with relation "same" or "conflict".

Lexical on purpose: it is transparent, fast (about 0.1 ms a pair) and needs no model file.
"""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_CONFLICT_CONTEXT_THRESHOLD",
    "DEFAULT_SAME_THRESHOLD",
    "ClaimSignature",
    "MatchDecision",
    "Quantity",
    "analyse",
    "compare",
    "corpus_weight",
    "find_conflicts",
    "idf_weight",
    "normalise",
    "similarity",
]

# Measured on the project's labelled pairs (tests/matching/corpus.py): see the README.
DEFAULT_SAME_THRESHOLD = 0.32
# Two figures are compared only when the rest of their sentences overlap at least this much:
# "76,000 evacuated from Kursk" vs "120,000 fled Kursk", not "76,000 evacuees" vs "120,000 fans".
DEFAULT_CONFLICT_CONTEXT_THRESHOLD = 0.12
# Figures within this relative difference are the same figure rounded (76,000 vs 75,500).
DEFAULT_ROUNDING_TOLERANCE = 0.05


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
_ORDINAL = re.compile(r"^([0-9]+)(?:st|nd|rd|th)$")
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


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure a claim states: ``low``..``high`` in the base unit of ``unit``."""

    low: float
    high: float
    unit: str  # "count", "km", "m", "pct", "day", "hour", "usd"..., "date"
    category: str  # "evacuees", "troops", ... or "" when unknown
    head: str  # stem of the counted noun ("resid"), "" when none
    text: str  # the figure as written, for display
    qualifier: str = ""  # "over", "about", "under" or ""
    # Dates: (year, month, day) with 0 for a part the text does not give.
    date: tuple[int, int, int] | None = None

    @property
    def kind(self) -> str:
        """What the figure measures: the category, else the head noun, else the unit."""
        return self.category or self.head or self.unit


@dataclass(frozen=True, slots=True)
class ClaimSignature:
    """Everything the matcher needs of one claim, computed once by ``analyse``."""

    text: str
    tokens: tuple[str, ...]  # content stems in reading order
    proper: frozenset[str]  # stems written with a capital inside the sentence
    quantities: tuple[Quantity, ...]
    keys: frozenset[str]  # index keys for candidate retrieval
    fingerprint: str  # sha1 of the sorted distinct content stems

    @property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """The verdict of ``compare`` for one pair of claims."""

    relation: str  # "same" | "conflict"
    similarity: float
    conflicts: tuple[tuple[Quantity, Quantity], ...] = field(default_factory=tuple)


# --- Normalisation --------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = text.replace("\u2013", "-").replace("\u2014", " - ").replace("\u2212", "-")
    text = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    text = _WW2.sub(" ww2 ", text)
    text = _CENTURY.sub(" 100 years", text)
    text = _WW1.sub(" ww1 ", text)
    return text


def _number(token: str) -> float | None:
    """The value of a written figure ("76,000", "1.5"), or None when it is not one.

    Never raises: one odd token ("1.2.3", "2014," from a caller's loose pattern) must not stop
    matching for the rest of an article. A figure too large to be a float is no figure.
    """
    if not _NUMERIC.match(token):
        return None
    # "1,5" would be European decimals; news in English writes thousands this way.
    try:
        value = float(token.replace(",", ""))
    except ValueError:  # "1.2.3": a version or a section number, not a figure
        return None
    return value if math.isfinite(value) else None


def _words_to_numbers(words: list[str], caps: list[bool]) -> tuple[list[str], list[bool]]:
    """Turn number words into digits: "six months" -> "6 months", "1.5 million" -> "1500000"."""
    out: list[str] = []
    out_caps: list[bool] = []
    i = 0
    while i < len(words):
        w, cap = words[i], caps[i]
        value = _number(w)
        if value is None and w in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[w])
            # "twenty five", "three hundred"
            if i + 1 < len(words) and words[i + 1] in _NUMBER_WORDS:
                nxt = _NUMBER_WORDS[words[i + 1]]
                if nxt == 100:
                    value *= 100
                    i += 1
                elif value >= 20 and nxt < 10:
                    value += nxt
                    i += 1
        if value is not None:
            if i + 1 < len(words) and words[i + 1] in _SCALES and words[i + 1] not in ("m", "k"):
                value *= _SCALES[words[i + 1]]
                i += 1
            # A 300-digit "figure" times a billion is no longer a float: keep the word.
            out.append(_fmt(value) if math.isfinite(value) else w)
        else:
            out.append(w)
        out_caps.append(cap)
        i += 1
    return out, out_caps


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _stem(word: str) -> str:
    """A light suffix stripper: enough to make "evacuated", "evacuation" and "evacuees" meet."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in (
        "ational",
        "ations",
        "ation",
        "ition",
        "ments",
        "ment",
        "ness",
        "ings",
        "ing",
        "ians",
        "ian",
        "ies",
        "ees",
        "ed",
        "es",
        "ly",
        "s",
        "e",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    return word.rstrip("e") if len(word) > 4 else word


def _dates(words: list[str]) -> list[tuple[int, int, int, int, int]]:
    """(start, end, year, month, day) for "6 august", "august 6", "august 2024", "6 august 2024"."""
    found = []
    for i, w in enumerate(words):
        month = _MONTHS.get(w.rstrip("."))
        if month is None or (w == "may" and not _next_is_number(words, i)):
            continue
        day = year = 0
        start, end = i, i + 1
        # len() first: int() refuses digit strings over 4,300 long.
        if (
            i > 0
            and words[i - 1].isdigit()
            and len(words[i - 1]) <= 2
            and 1 <= int(words[i - 1]) <= 31
        ):
            day, start = int(words[i - 1]), i - 1
        elif i > 0 and _ORDINAL.match(words[i - 1]):
            day, start = int(_ORDINAL.match(words[i - 1]).group(1)), i - 1
        if i + 1 < len(words):
            nxt = words[i + 1]
            m = _ORDINAL.match(nxt)
            if not day and ((nxt.isdigit() and len(nxt) <= 2 and 1 <= int(nxt) <= 31) or m):
                day, end = int(m.group(1) if m else nxt), i + 2
                if end < len(words) and words[end].isdigit() and len(words[end]) == 4:
                    year, end = int(words[end]), end + 1
            elif nxt.isdigit() and len(nxt) == 4:
                year, end = int(nxt), i + 2
        found.append((start, end, year, month, day))
    return found


def _next_is_number(words: list[str], i: int) -> bool:
    return i + 1 < len(words) and words[i + 1][:1].isdigit()


def _tokenise(text: str) -> tuple[list[str], list[bool]]:
    """Folded words, and whether each is written with a capital somewhere inside the sentence."""
    words = _WORD.findall(_fold(text))
    # Capitalised after the first word: a name ("Sudzha", "Zelensky"), weighted higher.
    capitalised = {
        w.casefold()
        for i, w in enumerate(re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", text)))
        if i > 0 and w[:1].isupper() and not w.isupper()
    } - _CALENDAR
    return words, [w in capitalised for w in words]


def normalise(text: str) -> str:
    """The canonical form the matcher compares: folded, number words as digits, dates as keys."""
    return " ".join(_canonical_words(text)[0])


def _canonical_words(text: str) -> tuple[list[str], list[bool]]:
    merged, merged_caps = _words_to_numbers(*_tokenise(text))
    out: list[str] = []
    out_caps: list[bool] = []
    dates = {start: (end, y, m, d) for start, end, y, m, d in _dates(merged)}
    i = 0
    while i < len(merged):
        if i in dates:
            end, y, m, d = dates[i]
            out.append(_MONTH_NAMES[m - 1])
            out_caps.append(False)
            if d:
                out.append(f"d{m:02d}{d:02d}")
                out_caps.append(False)
            if y:
                out.append(str(y))
                out_caps.append(False)
            i = end
            continue
        w = merged[i]
        unit = _UNITS.get(w)
        if unit and unit[0] in ("km", "pct") and i > 0 and merged[i - 1][:1].isdigit():
            w = unit[0]
        elif w in _CURRENCIES:
            w = _CURRENCIES[w]
        out.append(w)
        out_caps.append(merged_caps[i])
        i += 1
    return out, out_caps


# --- Quantities -------------------------------------------------------------------------------

_QTY = re.compile(
    # A figure ends with a digit: "from 2010-2014, then" is 2010..2014, not "2014,".
    r"(?P<cur>[$€£])?\s?(?<![\w.,])(?P<a>\d(?:[\d,]*\d)?(?:\.\d+)?)"
    r"(?:\s?(?:-|–|to)\s?(?P<cur2>[$€£])?(?P<b>\d(?:[\d,]*\d)?(?:\.\d+)?))?"
    r"(?P<scale>\s?(?:thousand|million|billion|mln|bn|m|k)\b)?"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?",
    re.IGNORECASE,
)
# Adjectives between a figure and what it counts ("909 Russian soldiers").
_NOT_HEADS = _words(
    "russian russians ukrainian ukrainians more additional new other local civilian"
)
_AFTER = re.compile(r"[A-Za-z][A-Za-z'’-]*")


_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_COMPOUND = re.compile(rf"\b({_TENS})[- ](one|two|three|four|five|six|seven|eight|nine)\b", re.I)
_NUMBER_WORD_RE = re.compile(
    r"\b(" + "|".join(k for k in _NUMBER_WORDS if k != "dozen") + r")\b", re.IGNORECASE
)
# "a town of 9,000 people": the figure is the size of the place, not who did what in it.
_POPULATION = re.compile(
    r"(?:town|city|village|population|home|supplies water|capital|region) (?:of|to) (?:about |some "
    r"|around |nearly |over |more than )?\s*$"
)


# What happened to the people counted outranks who they are: "two firefighters were injured"
# are casualties, "909 soldiers captured" are prisoners.
_EVENT_CATEGORIES = ("prisoners", "evacuees", "casualties")


_EVENT_RE = [
    (name, re.compile("|".join(re.escape(s) for s in stems)))
    for name, stems in _CATEGORIES
    if name in _EVENT_CATEGORIES
]


def _category(heads: list[str], before: str, after: str) -> str:
    """The kind of thing a figure counts, from the words around it and its head noun."""
    if _POPULATION.search(before):
        return "population"
    context = f"{before[-35:]} {after[:35]}"
    for name, regex in _EVENT_RE:
        if regex.search(context):
            return name
    for head in heads:
        for name, stems in _CATEGORIES:
            if head.startswith(stems):
                return name
    return ""


def _quantities(text: str) -> tuple[Quantity, ...]:
    # Number words first ("six months", "twenty-seven people"), keeping the text readable.
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    folded = _COMPOUND.sub(
        lambda m: str(_NUMBER_WORDS[m.group(1).lower()] + _NUMBER_WORDS[m.group(2).lower()]),
        folded,
    )
    folded = _NUMBER_WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1).lower()]), folded)
    words_lower = folded.casefold()
    dates = _date_spans(folded)
    found: list[Quantity] = []
    for start, end, date in dates:
        found.append(
            Quantity(
                low=0.0,
                high=0.0,
                unit="date",
                category="date",
                head="",
                text=folded[start:end],
                date=date,
            )
        )
    for m in _QTY.finditer(folded):
        if any(s <= m.start("a") < e for s, e, _ in dates) or m.group("ord"):
            continue
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else a
        if a is None or b is None:
            continue  # not a figure after all ("1.2.3"): skip it, keep the rest of the claim
        scale = (m.group("scale") or "").strip().lower()
        factor = _SCALES.get(scale, 1.0)
        if scale in ("m", "k") and not m.group("cur"):
            factor = 1.0  # "5 m" is metres; "$5m" is money
        low, high = a * factor, b * factor
        if not (math.isfinite(low) and math.isfinite(high)):
            continue
        before = words_lower[max(0, m.start() - 60) : m.start()].rstrip() + " "
        after_text = words_lower[m.end() : m.end() + 80]
        after_words = _AFTER.findall(after_text)[:6]
        # A bare four-digit year ("in 2022") is a date, not a count.
        if not m.group("b") and not factor - 1 and 1900 <= a <= 2100 and "," not in m.group("a"):
            continue
        if m.end() < len(folded) and folded[m.end()] == "-" and not m.group("b"):
            continue  # "a 6.1-magnitude quake", "a seven-year-old": an adjective, not a count
        unit, head = "count", ""
        if m.group("pct"):
            unit = "pct"
        elif m.group("cur"):
            unit = _CURRENCIES[m.group("cur")]
        elif after_words and after_words[0] in _UNITS:
            unit, unit_factor = _UNITS[after_words[0]]
            low, high = low * unit_factor, high * unit_factor
            after_words = after_words[1:]
        elif after_words and after_words[0] in ("dollars", "euros", "usd"):
            unit = _CURRENCIES[after_words[0]]
        heads = [_stem(w) for w in after_words[:5] if w not in _STOPWORDS and w not in _NOT_HEADS]
        head = heads[0] if heads else ""
        if unit != "count" and not head:
            # "at a depth of 10 km": what the distance measures is named before it.
            of = re.search(r"([a-z]+) of (?:about |some |around |over )?$", before)
            head = _stem(of.group(1)) if of and of.group(1) not in _STOPWORDS else ""
        qualifier = ""
        for phrase, q in _QUALIFIERS.items():
            if before.rstrip().endswith(phrase):
                qualifier = q
                break
        category = {"km": "distance", "day": "duration", "pct": "", "count": None}.get(unit, "")
        if category is None:
            category = _category(heads[:2], before, after_text)
        if unit == "count" and not head and not category:
            continue  # a bare number with nothing to say what it counts
        found.append(
            Quantity(
                low=low,
                high=high,
                unit=unit,
                category=category,
                head=head,
                text=m.group(0).strip(),
                qualifier=qualifier,
            )
        )
    return tuple(found)


_MONTH_RE = "|".join(_MONTHS)
_DATE_A = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>"
    + "|".join(_MONTHS)
    + r")\.?(?:,?\s+(?P<y>\d{4}))?\b",
    re.IGNORECASE,
)
_DATE_B = re.compile(
    r"\b(?P<m>"
    + "|".join(_MONTHS)
    + r")\.?\s+(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?"
    r"|(?P<y2>\d{4})\b)",
    re.IGNORECASE,
)


def _date_spans(text: str) -> list[tuple[int, int, tuple[int, int, int]]]:
    spans: list[tuple[int, int, tuple[int, int, int]]] = []
    for regex in (_DATE_A, _DATE_B):
        for m in regex.finditer(text):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            month_word = m.group("m").lower()
            if month_word == "may" and not m.group("d"):
                continue
            day = int(m.group("d")) if m.group("d") else 0
            if day > 31:
                continue
            year = m.group("y") or (m.groupdict().get("y2"))
            spans.append((m.start(), m.end(), (int(year or 0), _MONTHS[month_word], day)))
    return spans


# --- Signatures -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def analyse(text: str) -> ClaimSignature:
    """Compute the signature of one claim (tokens, keys, quantities, fingerprint)."""
    words, caps = _canonical_words(text)
    tokens: list[str] = []
    proper: set[str] = set()
    for w, cap in zip(words, caps, strict=True):
        if (w in _STOPWORDS and w not in _KEEP) or (len(w) < 2 and not w.isdigit()):
            continue
        stem = _SYNONYMS.get(w) or _SYNONYMS.get(_stem(w)) or _stem(w)
        tokens.append(stem)
        if cap:
            proper.add(stem)
    quantities = _quantities(text)
    keys = {t for t in tokens if len(t) >= 3 or t.isdigit()}
    keys.update(f"q:{q.kind}" for q in quantities if q.kind)
    distinct = sorted(set(tokens))
    fingerprint = hashlib.sha1(" ".join(distinct).encode("utf-8"), usedforsecurity=False)
    return ClaimSignature(
        text=text,
        tokens=tuple(tokens),
        proper=frozenset(proper),
        quantities=quantities,
        keys=frozenset(keys),
        fingerprint=fingerprint.hexdigest(),
    )


def static_weight(token: str, proper: frozenset[str] = frozenset()) -> float:
    """How much a shared token says about two claims being the same, without corpus stats."""
    if token[:1].isdigit() or (token.startswith("d") and token[1:].isdigit()):
        return 2.0  # figures and dates
    # Names are not boosted: in a newsroom's archive the same few names (a president, a
    # region) recur in unrelated claims; the IDF weight already ranks a rare name higher.
    if len(token) <= 3 and token not in proper:
        return 0.7
    return 1.0


Weight = Callable[[str], float]


def idf_weight(df: Mapping[str, int], n_docs: int) -> Weight:
    """A ``weight`` from document frequencies: words on every claim of the archive count little.

    ``df[token]`` is how many of ``n_docs`` claims contain the token; unseen tokens count fully.
    Scaled to [0.2, 1] so a common word still counts for something.
    """
    top = math.log(n_docs + 1) or 1.0

    def weight(token: str) -> float:
        seen = min(df.get(token, 0), n_docs)
        return 0.2 + 0.8 * math.log((n_docs + 1) / (seen + 1)) / top

    return weight


def corpus_weight(signatures: Iterable[ClaimSignature]) -> Weight:
    """``idf_weight`` computed over a collection of claims (tests, benchmarks, a demo archive)."""
    df: Counter[str] = Counter()
    n = 0
    for sig in signatures:
        df.update(set(sig.tokens))
        n += 1
    return idf_weight(df, n)


def _weights(sig: ClaimSignature, weight: Weight | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in sig.tokens:
        w = static_weight(t, sig.proper)
        if weight is not None:
            w *= weight(t)
        out[t] = max(out.get(t, 0.0), w)
    return out


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    # Unordered pairs of neighbours: "army foreign" == "foreign army" after reordering.
    return {tuple(sorted(pair)) for pair in itertools.pairwise(tokens)}


def _longest_shared_run(a: Sequence[str], b: Sequence[str], weights: dict[str, float]) -> float:
    """Weight of the heaviest run of shared tokens, in order in both, allowing one-word gaps."""
    best = 0.0
    run: dict[tuple[int, int], float] = {}
    positions: dict[str, list[int]] = {}
    for j, tb in enumerate(b):
        positions.setdefault(tb, []).append(j)
    for i, ta in enumerate(a):
        for j in positions.get(ta, ()):
            # Continue a run that ended one or two words earlier in both sentences.
            before = max(
                (run.get((i - di, j - dj), 0.0) for di in (1, 2) for dj in (1, 2)), default=0.0
            )
            run[(i, j)] = before + weights.get(ta, 1.0)
            best = max(best, run[(i, j)])
    return best


def _char_grams(weights: dict[str, float]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for t, w in weights.items():
        padded = f"<{t}>"
        for i in range(max(1, len(padded) - 3)):
            grams[padded[i : i + 4]] += w
    return grams


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def similarity(a: ClaimSignature, b: ClaimSignature, *, weight: Weight | None = None) -> float:
    """How strongly two claims assert the same fact, in [0, 1] (1 = same content words)."""
    wa, wb = _weights(a, weight), _weights(b, weight)
    if not wa or not wb:
        return 0.0
    if a.fingerprint == b.fingerprint:
        return 1.0
    shared = wa.keys() & wb.keys()
    inter = sum(min(wa[t], wb[t]) for t in shared)
    total_a, total_b = sum(wa.values()), sum(wb.values())
    dice = 2 * inter / (total_a + total_b)
    containment = inter / min(total_a, total_b)
    ba, bb = _bigrams(a.tokens), _bigrams(b.tokens)
    phrase = 0.0
    if ba and bb:
        # Shared neighbour pairs weighted like their words: "foreign army" > "the region".
        pair_weight = {pair: (wa[pair[0]] + wa[pair[1]]) / 2 for pair in ba}
        pair_weight_b = {pair: (wb[pair[0]] + wb[pair[1]]) / 2 for pair in bb}
        phrase = sum(min(pair_weight[p], pair_weight_b[p]) for p in ba & bb) / min(
            sum(pair_weight.values()), sum(pair_weight_b.values())
        )
    chars = _cosine(_char_grams(wa), _char_grams(wb))
    # A run of content words both sentences share in order ("foreign army on Russian soil since
    # World War II") is the same fact inside two otherwise different long sentences.
    run = _longest_shared_run(a.tokens, b.tokens, {t: min(wa[t], wb[t]) for t in shared})
    run_bonus = min(1.0, max(0.0, (run - 1.5) / 2.5))
    # A short claim wholly inside a long sentence is "partial overlap", still the same fact;
    # containment alone would also link every two-word fragment, so it is damped by size.
    small = min(len(wa), len(wb))
    damp = min(1.0, small / 6)
    score = 0.3 * dice + 0.3 * containment * damp + 0.2 * phrase * damp + 0.2 * chars
    score = max(score, score + 0.2 * run_bonus)
    return round(min(1.0, max(0.0, score)), 4)


# --- Conflicts --------------------------------------------------------------------------------


def _differs(qa: Quantity, qb: Quantity, tolerance: float) -> bool:
    if qa.unit == "date":
        assert qa.date and qb.date
        # A part one side leaves out never conflicts: "August 6" vs "August 2024".
        return any(x and y and x != y for x, y in zip(qa.date, qb.date, strict=True))
    # Ranges overlap (with rounding slack) -> the same figure.
    slack = tolerance * max(abs(qa.high), abs(qb.high), 1e-9)
    return qa.high + slack < qb.low or qb.high + slack < qa.low


def _same_kind(qa: Quantity, qb: Quantity) -> bool:
    if qa.unit != qb.unit:
        return False
    if qa.category in _MEASURES and qa.category == qb.category:
        # Distances and durations of what? "12 km north" vs "a depth of 10 km" differ in kind.
        return not (qa.head and qb.head and qa.head != qb.head)
    if qa.category and qb.category:
        return qa.category == qb.category
    if not qa.category and not qb.category:
        return bool(qa.head) and qa.head == qb.head
    # "3,100 people" may be the "2,400 residents evacuated" of another article.
    known, other = (qa, qb) if qa.category else (qb, qa)
    return known.category in _PEOPLE_CATEGORIES and other.head in _GENERIC_PEOPLE


def _is_generic(qa: Quantity, qb: Quantity) -> bool:
    # Matched on a word like "people" rather than on what happened to them.
    return not (qa.category and qb.category) and (qa.head != qb.head or qa.head in _GENERIC_PEOPLE)


def find_conflicts(
    a: ClaimSignature, b: ClaimSignature, *, tolerance: float = DEFAULT_ROUNDING_TOLERANCE
) -> list[tuple[Quantity, Quantity]]:
    """Pairs of figures of the same kind whose values differ beyond rounding."""
    pairs = []
    for qa in a.quantities:
        same_kind = [qb for qb in b.quantities if _same_kind(qa, qb)]
        # One agreeing figure of that kind settles it: "76,000 ... 120,000" vs "120,000".
        if not same_kind or any(not _differs(qa, qb, tolerance) for qb in same_kind):
            continue
        pairs.extend((qa, qb) for qb in same_kind)
    return pairs


_KIND_STEMS = tuple(
    stem.strip() for _, stems in _CATEGORIES for stem in stems if " " not in stem.strip()
)


def _context_similarity(a: ClaimSignature, b: ClaimSignature, weight: Weight | None) -> float:
    """Similarity of the two sentences with their figures taken out: do they tell one story?"""

    def strip(sig: ClaimSignature, kind_words: bool) -> ClaimSignature:
        tokens = tuple(
            t
            for t in sig.tokens
            if not t[:1].isdigit() and not (kind_words and t.startswith(_KIND_STEMS))
        )
        return ClaimSignature(sig.text, tokens, sig.proper, (), frozenset(), sig.fingerprint + "~")

    context = similarity(strip(a, False), strip(b, False), weight=weight)
    if a.proper and b.proper and not a.proper & b.proper:
        # Different names (Eastmoor vs Brackley): the shared "evacuated" alone is not one story.
        context = min(context, similarity(strip(a, True), strip(b, True), weight=weight))
    return context


def compare(
    a: ClaimSignature,
    b: ClaimSignature,
    *,
    same_threshold: float = DEFAULT_SAME_THRESHOLD,
    conflict_context_threshold: float = DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    tolerance: float = DEFAULT_ROUNDING_TOLERANCE,
    weight: Weight | None = None,
    story: float = 0.0,
) -> MatchDecision | None:
    """Decide whether two claims are the same fact, conflicting figures, or unrelated (None).

    ``story`` is how alike the two claims' articles are (e.g. their titles' similarity). News
    often gives a figure in a sentence that no longer names the place ("6,500 people were
    evacuated from the town"): for two figures of the same specific kind, a shared story
    stands in for the sentence context the figure lacks.
    """
    score = similarity(a, b, weight=weight)
    conflicts = find_conflicts(a, b, tolerance=tolerance)
    if conflicts:
        sentence_context = _context_similarity(a, b, weight)
        # Dates and durations are everywhere; they conflict only inside the same story.
        needed = {
            "date": max(conflict_context_threshold, same_threshold * 0.8),
            "duration": max(conflict_context_threshold, same_threshold * 0.8),
            "population": max(conflict_context_threshold, same_threshold * 0.8),
        }
        # "3,100 people" only stands for "2,400 evacuees" when the sentences tell one story.
        generic = max(conflict_context_threshold, same_threshold * 0.6)

        def context_for(qa: Quantity, qb: Quantity) -> float:
            if _is_generic(qa, qb) or qa.category in needed:
                return sentence_context
            return max(sentence_context, story)

        kept = tuple(
            (qa, qb)
            for qa, qb in conflicts
            if context_for(qa, qb)
            >= (
                generic
                if _is_generic(qa, qb)
                else needed.get(qa.category, conflict_context_threshold)
            )
        )
        if kept:
            context = max(context_for(qa, qb) for qa, qb in kept)
            return MatchDecision("conflict", max(score, context), kept)
    if score >= same_threshold:
        return MatchDecision("same", score)
    return None


def best_matches(
    claim: ClaimSignature,
    candidates: Iterable[tuple[object, ClaimSignature]],
    **options: float,
) -> list[tuple[object, MatchDecision]]:
    """``compare`` one claim with many; the (id, decision) pairs that matched, best first."""
    out = []
    for ident, other in candidates:
        decision = compare(claim, other, **options)
        if decision is not None:
            out.append((ident, decision))
    out.sort(key=lambda pair: -pair[1].similarity)
    return out
