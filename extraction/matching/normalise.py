"""Normalisation: case, quotes, number words to digits, dates, light stemming."""

from __future__ import annotations

import math
import re
import unicodedata

from extraction.matching.lexicon import (
    _ACRONYM_DOTS,
    _CALENDAR,
    _CENTURY,
    _CURRENCIES,
    _MONTH_NAMES,
    _MONTHS,
    _NUMBER_WORDS,
    _NUMERIC,
    _ORDINAL,
    _QUOTES,
    _SCALES,
    _UNITS,
    _WORD,
    _WW1,
    _WW2,
)

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
