"""Quantities and dates a sentence states (value, unit, head noun, category)."""

# Typographic quotes and dashes are the data these rules read.
# ruff: noqa: RUF001

from __future__ import annotations

import math
import re
import unicodedata

from extraction.matching.lexicon import (
    _CATEGORIES,
    _CURRENCIES,
    _MONTHS,
    _NUMBER_WORDS,
    _QUALIFIERS,
    _QUOTES,
    _SCALES,
    _STOPWORDS,
    _UNITS,
    _words,
)
from extraction.matching.normalise import _number, _stem
from extraction.matching.types import Quantity

# --- Quantities -------------------------------------------------------------------------------

_QTY = re.compile(
    # A figure ends with a digit: "from 2010-2014, then" is 2010..2014, not "2014,".
    r"(?P<cur>[$€£])?\s?(?<![\w.,:])(?P<a>\d(?:[\d,]*\d)?(?:\.\d+)?)"
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
# "four dozen", "a dozen": the counted figure (after number words became digits).
_DOZEN = re.compile(r"\b(?:(?P<n>\d+)|an?) dozen\b(?! of)", re.IGNORECASE)
_HALF_DOZEN = re.compile(r"\bhalf an? dozen\b(?! of)", re.IGNORECASE)
# A clock time: "at 3:12", "5 pm", "10 a.m.", "09:30 GMT" say when, never how many.
_CLOCK_AFTER = re.compile(
    r"(?::\d|\s?(?:[ap]\.?m\b\.?|gmt\b|utc\b|cet\b|bst\b|o'clock\b))", re.IGNORECASE
)
# "no one", "any one": a pronoun, not a count of one.
_PRONOUN_ONE = re.compile(r"\b(?:no|any|every|some)\s?$")
# A bound written after the figure: "76,000+", "200 or more", "100 or fewer".
_AFTER_BOUND = re.compile(r"^(?:\+|\s+or\s+(?P<word>more|over|above|fewer|less|under)\b)")


def _is_year(value: float, written: str) -> bool:
    return 1900 <= value <= 2100 and value == int(value) and "," not in written


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
    folded = _HALF_DOZEN.sub("6", folded)
    folded = _DOZEN.sub(lambda m: str(int(m.group("n") or 1) * 12), folded)
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
        # A bare four-digit year ("in 2022") is a date, not a count; so is "from 2010-2014".
        if (
            not factor - 1
            and _is_year(a, m.group("a"))
            and (not m.group("b") or _is_year(b, m.group("b")))
        ):
            continue
        if not m.group("b") and not m.group("pct") and _CLOCK_AFTER.match(folded, m.end()):
            continue  # "at 3:12", "5 pm": a time of day
        # "one of the largest", "no one was hurt": not a count of one.
        if (
            not m.group("b")
            and a == 1
            and not factor - 1
            and (after_text.startswith(" of ") or _PRONOUN_ONE.search(before[:-1]))
        ):
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
            if re.search(rf"(?:^|\W){re.escape(phrase)}$", before.rstrip()):
                qualifier = q
                break
        bound = _AFTER_BOUND.match(after_text)
        if bound and not qualifier:
            word = bound.group("word")
            qualifier = "under" if word in ("fewer", "less", "under") else "over"
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
