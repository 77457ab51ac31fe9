"""Synthetic news text for the benchmarks, written for this project (no seed text in it).

A fictional region with generated place and person names: the vocabulary is large and skewed
(a few places and officials recur in many stories, most names in a handful), as in a real
newsroom's archive, which matters for the matching index. Claim sentences come from templates
that state figures, events, quotes, causes and forecasts; filler sentences are colour, questions,
opinion and boilerplate that the proposer should not pick. Everything is seeded: one seed, one
text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_ONSETS = [
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
]
_VOWELS = [
    "a",
    "e",
    "i",
    "o",
    "u",
    "a",
    "e",
    "o",
    "ai",
    "ei",
    "ou",
]
_CODAS = [
    "n",
    "r",
    "l",
    "s",
    "st",
    "nd",
    "rk",
    "m",
    "ck",
    "th",
    "sk",
    "",
]
_PLACE_ENDS = [
    "ford",
    "ton",
    "ville",
    "burg",
    "mouth",
    "field",
    "haven",
    "dale",
    "wick",
    "stead",
    "port",
    "bridge",
]
_FIRST = [
    "Anna",
    "Boris",
    "Clara",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irina",
    "Jonas",
    "Katya",
    "Liam",
    "Maria",
    "Nikolai",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Stefan",
    "Tamara",
    "Umar",
    "Vera",
    "Walter",
    "Yana",
    "Zoran",
    "Amira",
    "Bruno",
    "Chen",
    "Dmitri",
    "Eva",
    "Fatima",
    "Georg",
    "Hana",
    "Ivan",
    "Julia",
    "Karim",
    "Lena",
    "Marek",
    "Nadia",
    "Oskar",
    "Petra",
    "Rahul",
    "Sofia",
    "Tomas",
    "Ursula",
]
_ROLES = [
    "regional governor",
    "mayor",
    "health minister",
    "police spokesperson",
    "finance director",
    "defence ministry spokesman",
    "emergency services chief",
    "transport secretary",
    "head of the statistics office",
    "union leader",
    "hospital director",
    "economy minister",
]
_ORGS = [
    "the National Statistics Office",
    "the Ministry of Health",
    "the regional emergency service",
    "the Defence Ministry",
    "the central bank",
    "the Transport Authority",
    "the electoral commission",
    "the Red Cross",
    "the UN refugee agency",
    "the chamber of commerce",
    "the port authority",
    "the teachers' union",
]
_PEOPLE = [
    ("people", "evacuated", "evacuees"),
    ("residents", "evacuated", "evacuees"),
    ("soldiers", "deployed", "troops"),
    ("prisoners", "released", "prisoners"),
    ("patients", "treated", "patients"),
    ("workers", "laid off", "workers"),
    ("pupils", "enrolled", "pupils"),
    ("families", "rehoused", "families"),
]
_THINGS = [
    ("homes", "built"),
    ("kilometres of road", "repaired"),
    ("hospital beds", "added"),
    ("buses", "bought"),
    ("tonnes of grain", "exported"),
    ("flights", "cancelled"),
    ("jobs", "created"),
    ("schools", "closed"),
]
_GOODS = ["bread", "electricity", "petrol", "rent", "heating", "milk", "housing", "diesel"]
_PROJECTS = [
    "new bridge",
    "rail link",
    "flood barrier",
    "children's hospital",
    "wind farm",
    "ring road",
    "water treatment plant",
    "tram line",
]
_EVENTS = ["a storm", "floods", "an explosion", "a fire", "a drone attack", "a landslide"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
OUTLETS = [
    "Harbour Herald",
    "Northern Courier",
    "Valley Times",
    "The Morning Ledger",
    "Coastal Gazette",
    "City Wire",
    "Regional Observer",
    "Evening Standard-Post",
    "Daily Sentinel",
    "The Examiner",
    "Metro Bulletin",
    "Riverside Record",
]
_FILLER = [
    "Residents said they were worried about what the winter would bring.",
    "It was not immediately clear what would happen next.",
    "What does this mean for {place}?",
    "The decision was welcomed by some and criticised by others.",
    "Many in {place} feel that the situation has been handled badly.",
    "Local people gathered outside the town hall on {day}.",
    "Officials did not respond to a request for comment.",
    "The mood in {place} was tense but calm.",
    "It is a remarkable achievement for a town of its size.",
    "Critics say the plan does not go far enough.",
    "Read more: what we know so far about {place}.",
    "Subscribe to our newsletter for the latest updates.",
    "Share this article.",
    "Questions remain about how the money will be spent.",
    "{first} walked us through the empty streets of {place}.",
    "The talks are expected to continue later this week.",
    "Supporters of the project say it will change the region for the better.",
    "Nobody we spoke to in {place} wanted to give their name.",
]


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def _number(rng: random.Random, lo: int, hi: int) -> str:
    value = rng.randint(lo, hi)
    if value >= 1000:
        value = round(value, -2)
    return f"{value:,}"


@dataclass
class Fact:
    """The slots of one claim; restating a fact in another article reuses them."""

    template: int
    slots: dict[str, str]


class World:
    """Names and figures of the fictional region, drawn with a skew (Zipf-like)."""

    def __init__(self, seed: int = 1, places: int = 20_000, people: int = 30_000) -> None:
        rng = random.Random(seed)
        self.rng = random.Random(seed + 1)
        self.places = [
            _word(rng, rng.choice((1, 2, 2, 3))) + rng.choice(("", "", rng.choice(_PLACE_ENDS)))
            for _ in range(places)
        ]
        self.surnames = [_word(rng, rng.choice((2, 2, 3))) for _ in range(people)]

    def _skewed(self, items: list[str]) -> str:
        # u**3 puts item 0 on many stories and most items on very few.
        u = self.rng.random()
        return items[int(len(items) * u * u * u)]

    def place(self) -> str:
        return self._skewed(self.places)

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self._skewed(self.surnames)}"

    def date(self) -> str:
        return f"{self.rng.randint(1, 28)} {self.rng.choice(_MONTHS)}"

    def new_fact(self) -> Fact:
        r = self.rng
        people, verb, _ = r.choice(_PEOPLE)
        things, tverb = r.choice(_THINGS)
        slots = {
            "person": self.person(),
            "role": r.choice(_ROLES),
            "org": r.choice(_ORGS),
            "place": self.place(),
            "place2": self.place(),
            "n": _number(r, 12, 250_000),
            "n2": _number(r, 12, 250_000),
            "pct": f"{r.randint(1, 60)}.{r.randint(0, 9)}",
            "date": self.date(),
            "month": r.choice(_MONTHS),
            "year": str(r.randint(2015, 2026)),
            "people": people,
            "pverb": verb,
            "things": things,
            "tverb": tverb,
            "good": r.choice(_GOODS),
            "project": r.choice(_PROJECTS),
            "event": r.choice(_EVENTS),
            "money": f"{r.randint(2, 900)} million euros",
            "k": str(r.randint(2, 10)),
            "km": f"{r.randint(3, 400)}",
        }
        return Fact(template=r.randrange(len(CLAIM_TEMPLATES)), slots=slots)

    def restate(self, fact: Fact, *, conflict: bool) -> Fact:
        """The same fact in another article: maybe reworded, maybe with another figure."""
        slots = dict(fact.slots)
        if conflict:
            slots["n"] = _number(self.rng, 12, 250_000)
        template = fact.template
        if self.rng.random() < 0.5:
            template = self.rng.choice(REWORDINGS.get(template, [template]))
        return Fact(template=template, slots=slots)

    def filler(self) -> str:
        text = self.rng.choice(_FILLER)
        return text.format(place=self.place(), day=self.rng.choice(_MONTHS), first="A farmer")

    def title(self, fact: Fact) -> str:
        s = fact.slots
        return self.rng.choice(
            [
                f"{s['place']}: {s['n']} {s['people']} {s['pverb']}",
                f"What the {s['project']} means for {s['place']}",
                f"{s['org'][4:].capitalize()} under pressure in {s['place']}",
                f"{s['person']} defends {s['place']} budget",
            ]
        )


# (template, claim type, claimer slot or None for the outlet's own voice)
CLAIM_TEMPLATES: list[tuple[str, str, str | None]] = [
    (
        "{person}, the {role}, said {n} {people} had been {pverb} from {place} since {date}.",
        "quote",
        "person",
    ),
    ("Unemployment in {place} rose to {pct}% in {month}, according to {org}.", "quantity", "org"),
    (
        "{org_cap} reported that {n} {things} were {tverb} in {year}, up from {n2} a year earlier.",
        "quantity",
        "org",
    ),
    (
        "{place} will spend {money} on the {project} over the next {k} years, "
        "the {role} announced.",
        "prediction",
        None,
    ),
    (
        "According to {org}, {n} {people} were hurt when {event} hit {place} on {date}.",
        "event",
        "org",
    ),
    (
        "The road between {place} and {place2} is {km} kilometres long and carries "
        "{n} vehicles a day.",
        "quantity",
        None,
    ),
    (
        '"We have {tverb} {n} {things} this year," said {person}, {role} of {place}.',
        "quote",
        "person",
    ),
    ("{org_cap} said the {project} in {place} would be completed by {year}.", "prediction", "org"),
    (
        "Prices of {good} in {place} increased by {pct}% between {month} and {date}.",
        "quantity",
        None,
    ),
    ("{person} was elected {role} of {place} in {year} with {pct}% of the vote.", "event", None),
    (
        "The closure of the {project} in {place} led to the loss of {n} jobs, "
        "{person} told reporters.",
        "causal",
        "person",
    ),
    ("{n} {people} were {pverb} in {place} on {date}, {org} said.", "quantity", "org"),
]
# Rewordings that keep the facts: template index -> templates stating the same slots.
REWORDINGS = {0: [11], 11: [0], 1: [1], 4: [11], 2: [2]}


def render(fact: Fact) -> tuple[str, str, str | None]:
    """The sentence of a fact, its claim type and who claims it (None: the outlet)."""
    template, claim_type, claimer = CLAIM_TEMPLATES[fact.template]
    slots = dict(fact.slots)
    slots["org_cap"] = slots["org"][0].upper() + slots["org"][1:]
    text = template.format(**slots)
    text = text[0].upper() + text[1:]
    return text, claim_type, (slots[claimer] if claimer else None)
