"""Hand features: figures, years, named spans, attribution verbs, opinion markers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

# --------------------------------------------------------------------------- hand features

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pct", re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b", re.I)),
    ("money", re.compile(r"[$€£¥]\s?\d|\b(?:dollars|euros|pounds)\b", re.I)),
    ("scale", re.compile(r"\b(?:million|billion|trillion|thousands?|hundreds?)\b", re.I)),
    ("year", re.compile(r"\b(?:1[6-9]\d\d|20\d\d)s?\b")),
    ("number", re.compile(r"\d")),
    (
        "number_word",
        re.compile(
            r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|twice"
            r"|half|double[ds]?|tripled?|quarter|third)\b",
            re.I,
        ),
    ),
    (
        "comparison",
        re.compile(
            r"\b(?:more|less|fewer|higher|lower|increased?|decreased?|rose|fell|grew"
            r"|dropped|largest|smallest|highest|lowest|record|most|least|than)\b",
            re.I,
        ),
    ),
    (
        "attribution",
        re.compile(
            r"\b(?:said|says|told|stated|claimed|claims|reported|reports|announced"
            r"|confirmed|denied|according to|estimated|found that|showed)\b",
            re.I,
        ),
    ),
    (
        "named_source",
        re.compile(
            r"\b(?:ministry|department|agency|government|police|court|report|study|survey"
            r"|census|bureau|commission|university|institute|office|spokes(?:wo)?man"
            r"|spokesperson|officials?|congress|senate)\b",
            re.I,
        ),
    ),
    ("quote", re.compile(r"[\"“”]")),
    (
        "event_verb",
        re.compile(
            r"\b(?:killed|arrested|elected|signed|passed|voted|launched|closed|opened"
            r"|cut|raised|banned|approved|died|injured|won|lost|created|spent)\b",
            re.I,
        ),
    ),
    ("past_tense", re.compile(r"\b(?:was|were|had|did)\b|\b\w{3,}ed\b", re.I)),
    ("question", re.compile(r"\?\s*[\"”']?\s*$")),
    ("question_any", re.compile(r"\?")),
    (
        "opinion",
        re.compile(
            r"\b(?:I think|I believe|I feel|in my (?:view|opinion)|we must|we should"
            r"|should|ought to|great|wonderful|terrible|amazing|beautiful|best|worst"
            r"|love|hope|wish|thank(?:s| you)?|congratulat\w*|proud|tremendous)\b",
            re.I,
        ),
    ),
    ("future", re.compile(r"\b(?:will|going to|gonna|would|could|might|may)\b", re.I)),
    ("first_person", re.compile(r"\b(?:I|me|my|we|our|us)\b")),
    ("second_person", re.compile(r"\b(?:you|your)\b", re.I)),
    ("proper_noun", re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")),
    ("acronym", re.compile(r"\b[A-Z]{2,}\b")),
    ("interjection", re.compile(r"^\s*(?:oh|well|yes|no|okay|ok|look|thank|applause)\b", re.I)),
    (
        "boilerplate",
        re.compile(
            r"\b(?:subscribe|newsletter|sign up|cookies?|all rights reserved|click here"
            r"|follow us|read more|advertisement|copyright)\b|©",
            re.I,
        ),
    ),
)
HAND_FEATURE_NAMES: tuple[str, ...] = (
    *(name for name, _ in _PATTERNS),
    "log_words",
    "short",
    "long",
)


# Case-insensitive patterns run on the lower-cased text instead: same matches for these
# patterns (no upper-case escapes such as \S or \W), and about twice as fast as re.I.
_SEARCHES: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(p.pattern.lower()), True) if p.flags & re.I else (p, False) for _, p in _PATTERNS
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class _Gate(NamedTuple):
    """How ``hand_matrix`` avoids running one of the ``_PATTERNS`` regexes."""

    words: frozenset[str] = frozenset()  # a run equal to one of these: the pattern matches
    cues: frozenset[str] = frozenset()  # no such run, no cue and no probe: it cannot match
    probes: tuple[str | re.Pattern[str], ...] = ()  # substrings or regexes (necessary)
    exact: bool = False  # a probe hit *is* a match: no need for the regex
    # Every match starts where this matches: no match without it, else search from there.
    seek: re.Pattern[str] | None = None


# The word-list patterns are decided on the lower-cased text's maximal runs of word
# characters: ``\b(?:w1|w2)\b`` matches exactly when one of those runs *is* w1 or w2, so a
# set lookup replaces a regex scan (most of the hand features' time). Where a pattern has
# other alternatives, each of them needs a cue word or a probe, so the regex runs only for
# texts that have one. The regexes stay the definition (``hand_features_by_regex``); a test
# compares the two on adversarial text.
_GATES: dict[str, _Gate] = {
    "pct": _Gate(cues=_words("percent cent percentage"), probes=("%",)),
    "money": _Gate(words=_words("dollars euros pounds"), probes=("$", "€", "£", "¥")),
    "scale": _Gate(words=_words("million billion trillion thousand thousands hundred hundreds")),
    # 1[6-9]\d\d or 20\d\d: four digits from a 1 or a 2.
    "year": _Gate(seek=re.compile(r"[12]\d\d\d")),
    "number_word": _Gate(
        words=_words(
            "one two three four five six seven eight nine ten twenty fifty twice half double"
            " doubled doubles triple tripled quarter third"
        )
    ),
    "comparison": _Gate(
        words=_words(
            "more less fewer higher lower increase increased decrease decreased rose fell grew"
            " dropped largest smallest highest lowest record most least than"
        )
    ),
    "attribution": _Gate(
        words=_words(
            "said says told stated claimed claims reported reports announced confirmed denied"
            " estimated showed"
        ),
        cues=_words("according found"),
    ),
    "named_source": _Gate(
        words=_words(
            "ministry department agency government police court report study survey census"
            " bureau commission university institute office spokesman spokeswoman"
            " spokesperson official officials congress senate"
        )
    ),
    "quote": _Gate(probes=('"', "“", "”"), exact=True),
    "event_verb": _Gate(
        words=_words(
            "killed arrested elected signed passed voted launched closed opened cut raised"
            " banned approved died injured won lost created spent"
        )
    ),
    # The other alternative, \b\w{3,}ed\b, is a run of five or more ending in "ed":
    # _word_bits sets this pattern's bit for it.
    "past_tense": _Gate(words=_words("was were had did")),
    "question": _Gate(probes=("?",)),
    "question_any": _Gate(probes=("?",), exact=True),
    "opinion": _Gate(
        words=_words(
            "should great wonderful terrible amazing beautiful best worst love hope wish thank"
            " thanks proud tremendous"
        ),
        cues=_words("think believe feel view opinion must ought"),
        probes=("congratulat",),
    ),
    "future": _Gate(words=_words("will gonna would could might may"), cues=_words("going")),
    # Matched on the original text, but lower-casing never turns a non-word character into
    # a word character (a test checks every code point), so a run of the original text,
    # lower-cased, is a run of the lower-cased text: these are necessary cues.
    "first_person": _Gate(cues=_words("i me my we our us")),
    "second_person": _Gate(words=_words("you your")),
    # The lookbehind, moved into the match: the same texts match, and the regex can skip
    # ahead to the next candidate character instead of trying the lookbehind everywhere.
    "proper_noun": _Gate(probes=(re.compile(r"[a-z,;:] [A-Z][a-z]"),), exact=True),
    "acronym": _Gate(seek=re.compile(r"[A-Z][A-Z]")),
    "boilerplate": _Gate(
        words=_words("subscribe newsletter cookie cookies copyright advertisement"),
        cues=_words("sign rights click follow read"),
        probes=("©",),
    ),
}
_RUN_RE = re.compile(r"\w+")


def _plan():
    bits: dict[str, int] = {}
    plan = []
    for i, ((name, _), (pattern, lower)) in enumerate(zip(_PATTERNS, _SEARCHES, strict=True)):
        gate = _GATES.get(name)
        if gate is not None:
            # A word decides only a pattern run on the lower-cased text, whose runs these are.
            assert lower or not gate.words, name
            assert not (gate.exact and gate.cues), name
            assert not (gate.seek and (gate.words or gate.cues or gate.probes)), name
            for word in gate.words:
                bits[word] = bits.get(word, 0) | 1 << i
            for word in gate.cues:
                bits[word] = bits.get(word, 0) | 1 << (i + 32)
            if not (gate.cues or gate.probes or gate.seek):
                continue  # decided by its words alone
        if name == "number":
            assert pattern.pattern == r"\d"
            continue  # _word_bits finds the decimals
        # Anchored at the start (and not MULTILINE), search is match, without the scan.
        anchored = pattern.pattern.startswith("^") and not pattern.flags & re.MULTILINE
        plan.append((i, pattern.match if anchored else pattern.search, lower, gate))
    return bits, tuple(plan)


# word -> bit i if it decides pattern i, bit 32 + i if it is a cue of pattern i; the
# patterns that may need more than a word lookup.
_WORD_BITS, _PLAN = _plan()
_N_PATTERNS = len(_PATTERNS)
_NUMBER = HAND_FEATURE_NAMES.index("number")
_PAST_TENSE = HAND_FEATURE_NAMES.index("past_tense")
_SHIFTS = np.arange(64, dtype=np.uint64)


# The words are runs of a-z: as base-27 numbers (a = 1), sorted, with their bits.
_WORD_LEN = max(map(len, _WORD_BITS))
_WORD_KEYS = np.array(
    [sum((ord(c) - 96) * 27**k for k, c in enumerate(reversed(w))) for w in _WORD_BITS],
    dtype=np.int64,
)
_WORD_ORDER = np.argsort(_WORD_KEYS)
_WORD_KEYS = _WORD_KEYS[_WORD_ORDER]
_WORD_KEY_BITS = np.array(list(_WORD_BITS.values()), dtype=np.uint64)[_WORD_ORDER]
assert all(re.fullmatch("[a-z]+", w) for w in _WORD_BITS) and _WORD_LEN <= 13  # < 2**63
# Whether a code point is a word character (re's \w), for ASCII; the rest is looked up.
_ASCII_WORD = np.array([_RUN_RE.match(chr(c)) is not None for c in range(128)])


def _word_bits(lows: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """OR of ``_WORD_BITS`` over each text's maximal runs of word characters, and ``\\d``.

    The bits are what ``reduce(or_, map(_WORD_BITS.get, re.findall(r"\\w+", low)))``
    gives, on code points: only runs of at most _WORD_LEN letters a-z can be one of the
    words, and those are looked up as base-27 numbers all at once. The second array says
    whether the text holds a ``\\d`` (lower-casing keeps exactly the decimals decimal; a
    test checks every code point), the "number" feature.
    """
    n = len(lows)
    bits = np.zeros(n, dtype=np.uint64)
    has_decimal = np.zeros(n, dtype=bool)
    if not n:
        return bits, has_decimal
    # surrogatepass: a lone surrogate (valid in JSON input) is a code point like any other.
    joined = ("\x00".join(lows) + "\x00").encode("utf-32-le", "surrogatepass")
    cp = np.frombuffer(joined, dtype=np.uint32)
    word = _ASCII_WORD.take(np.minimum(cp, 127))
    decimal = (cp - 48) < 10
    beyond = np.flatnonzero(cp > 127)
    if len(beyond):
        wide = cp.take(beyond)
        for c in np.unique(wide).tolist():
            if _RUN_RE.match(chr(c)):
                word[beyond[wide == c]] = True
            if chr(c).isdecimal():  # what re's \d is
                decimal[beyond[wide == c]] = True
    seps = np.cumsum(np.fromiter(map(len, lows), dtype=np.int64, count=n) + 1) - 1
    has_decimal[np.searchsorted(seps, np.flatnonzero(decimal))] = True
    # Runs: a word character after a non-word one starts one ("\x00" ends every text).
    edge = np.flatnonzero(word[1:] != word[:-1]) + 1
    starts = edge[word.take(edge)]
    if word[0]:
        starts = np.concatenate(([0], starts))
    ends = edge[~word.take(edge)]
    lengths = ends - starts
    # past_tense's \b\w{3,}ed\b: a whole run of at least five ending in "ed".
    ed = starts[(lengths >= 5) & (cp.take(ends - 2) == 101) & (cp.take(ends - 1) == 100)]
    if len(ed):
        bits[np.searchsorted(seps, ed)] |= np.uint64(1 << _PAST_TENSE)
    # Runs short enough, all letters a-z: their base-27 numbers.
    letter = (cp - 97) < 26
    letters_before = np.concatenate(([0], np.cumsum(letter)))
    keep = (lengths <= _WORD_LEN) & (
        letters_before.take(ends) - letters_before.take(starts) == lengths
    )
    starts, lengths = starts[keep], lengths[keep]
    keys = np.zeros(len(starts), dtype=np.int64)
    for k in range(_WORD_LEN):
        longer = lengths > k
        keys[longer] = keys[longer] * 27 + (cp.take(starts[longer] + k).astype(np.int64) - 96)
    at = np.minimum(np.searchsorted(_WORD_KEYS, keys), len(_WORD_KEYS) - 1)
    found = np.flatnonzero(_WORD_KEYS.take(at) == keys)
    if len(found):
        # The text of a run: how many separators come before it (texts may hold "\x00").
        text_of = np.searchsorted(seps, starts.take(found))
        np.bitwise_or.at(bits, text_of, _WORD_KEY_BITS.take(at.take(found)))
    return bits, has_decimal


def _probe(probe: str | re.Pattern[str], texts: list[str], rows: list[int]) -> list[int]:
    if isinstance(probe, str):
        return [r for r in rows if probe in texts[r]]
    search = probe.search
    return [r for r in rows if search(texts[r])]


def hand_matrix(texts: Iterable[str]) -> np.ndarray:
    """``hand_features`` of many texts as a float array (one row per text)."""
    texts = list(texts)
    n = len(texts)
    lows = [t.lower() for t in texts]
    bits, has_decimal = _word_bits(lows)
    flags = (bits[:, None] >> _SHIFTS & np.uint64(1)).astype(bool)
    out = np.zeros((n, len(HAND_FEATURE_NAMES)), dtype=np.float64)
    out[:, :_N_PATTERNS] = flags[:, :_N_PATTERNS]
    out[:, _NUMBER] = has_decimal
    for i, search, lower, gate in _PLAN:
        targets = lows if lower else texts
        if gate is None:
            need = np.flatnonzero(~flags[:, i]).tolist()
        elif gate.seek is not None:
            seek = gate.seek.search
            out[:, i] = [
                (m := seek(t)) is not None and search(t, m.start()) is not None for t in targets
            ]
            continue
        else:
            need = np.flatnonzero(flags[:, i + 32] & ~flags[:, i]).tolist()
            rest = np.flatnonzero(~(flags[:, i + 32] | flags[:, i])).tolist()
            for probe in gate.probes:
                hit = _probe(probe, targets, rest)
                if hit:
                    need += hit
                    rest = sorted(set(rest) - set(hit))
            if gate.exact:
                out[need, i] = 1.0
                continue
        out[need, i] = [search(targets[r]) is not None for r in need]
    n_words = [len(t.split()) for t in texts]
    out[:, _N_PATTERNS] = [math.log1p(w) / 4.0 for w in n_words]
    out[:, _N_PATTERNS + 1] = [w < 6 for w in n_words]
    out[:, _N_PATTERNS + 2] = [w > 40 for w in n_words]
    return out


def hand_features(text: str) -> list[float]:
    """Cheap indicator features (0/1) plus length, in ``HAND_FEATURE_NAMES`` order."""
    return hand_matrix([text])[0].tolist()


def hand_features_by_regex(text: str) -> list[float]:
    """``hand_features`` by running every regex: the definition, kept for the tests."""
    low = text.lower()
    out = [1.0 if p.search(low if lower else text) else 0.0 for p, lower in _SEARCHES]
    n_words = len(text.split())
    out.append(math.log1p(n_words) / 4.0)
    out.append(1.0 if n_words < 6 else 0.0)
    out.append(1.0 if n_words > 40 else 0.0)
    return out
