"""Number shapes and the word/character analyzers the n-gram features are taken from."""

from __future__ import annotations

import itertools
import re

# --------------------------------------------------------------------------- number shapes

# Numbers carry the signal through their *shape* (a percentage, an amount of money, a
# year), not their value, so tokens are replaced by shape words before n-grams are
# taken. Order matters: the first matching shape wins.
_NUMBER_RE = re.compile(
    r"(?P<money>[$€£¥]\s?\d[\d,]*(?:\.\d+)?)"
    r"|(?P<pct>\d[\d,]*(?:\.\d+)?\s?(?:%|per ?cent\b))"
    r"|(?P<year>\b(?:1[6-9]\d\d|20\d\d)s?\b)"
    r"|(?P<num>\d[\d,]*(?:\.\d+)?)",
    re.I,
)
_SHAPE_WORD = {"money": " zmoney ", "pct": " zpct ", "year": " zyear ", "num": " znum "}


# Every alternative of _NUMBER_RE starts with one of these (a year's \b is followed by 1 or 2).
_NUMBER_START_RE = re.compile(r"[$€£¥\d]")


def number_shapes(text: str) -> str:
    """Replace every number in ``text`` by a shape word (zmoney, zpct, zyear, znum)."""
    # What _NUMBER_RE.sub does, but trying a match only where one can start: sub tries every
    # position, ~12 us a sentence. match(text, pos) sees the text before pos, as \b needs.
    start = _NUMBER_START_RE.search(text)
    if start is None:
        return text
    out = []
    done = pos = start.start()
    out.append(text[:done])
    while True:
        m = _NUMBER_RE.match(text, pos)
        if m is None:
            pos += 1
        else:
            out.append(text[done : m.start()])
            out.append(_SHAPE_WORD[m.lastgroup or "num"])
            done = pos = m.end()
        start = _NUMBER_START_RE.search(text, pos)
        if start is None:
            break
        pos = start.start()
    out.append(text[done:])
    return "".join(out)


def number_shapes_by_sub(text: str) -> str:
    """``number_shapes`` as one ``re.sub``: the definition, kept for the tests."""
    return _NUMBER_RE.sub(lambda m: _SHAPE_WORD[m.lastgroup or "num"], text)


# --------------------------------------------------------------------------- analyzers

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|[?!\"]")


def word_tokens(text: str) -> list[str]:
    """Lower-cased words (numbers as shape words) plus ``?``, ``!`` and ``"``."""
    return _WORD_RE.findall(number_shapes(text.replace("“", '"').replace("”", '"')).lower())


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams (bigrams joined by a space)."""
    toks = word_tokens(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


_DIGIT_RE = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s+")
CHAR_NGRAM_RANGE = (2, 5)


def char_ngrams(text: str) -> list[str]:
    """Character 2-5-grams of the lower-cased, space-normalised text, every digit as 0."""
    s = " " + _SPACE_RE.sub(" ", _DIGIT_RE.sub("0", text.lower())).strip() + " "
    lo, hi = CHAR_NGRAM_RANGE
    n = len(s)
    return [s[i : i + k] for k in range(lo, hi + 1) for i in range(n - k + 1)]


ANALYZERS = {"word": word_ngrams, "char": char_ngrams}
