"""Feature extraction shared by check-worthiness training and inference.

Everything here is plain Python + numpy/scipy so the trained model can be applied
without scikit-learn objects: the training script fits vocabularies and weights
with scikit-learn, stores them as arrays, and ``scoring.ModelScorer`` rebuilds the
same features with these functions. Any change to an analyzer changes the
features, so the model file records ``FEATURES_VERSION`` and refuses a mismatch.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .conv import ConvHead

FEATURES_VERSION = 3

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


# --------------------------------------------------------------------------- tf-idf


class _Unsupported(Exception):
    """A vocabulary a gram index cannot hold; the dict lookup is used instead."""


class CharGramIndex:
    """Counts a vocabulary's char n-grams in a batch of texts with numpy, as ``char_ngrams`` would.

    ``char_ngrams`` makes ~600 strings a sentence, each looked up in a dict: most of the
    scorer's time. Here no gram becomes a string. The vocabulary is a trie stored as dense
    transition tables over its own alphabet (code 0 is any other character, and separates the
    rows): every text position walks it one character deeper per numpy step, and a transition
    that spells a term counts it. The lookup is exact by construction (no hashing, so nothing
    can collide); the tests compare it with the dict lookup on adversarial text.
    """

    # Transition cells (8 bytes each) above which ``build`` declines and the dict is used:
    # the shipped vocabulary needs about 1M (18,740 inner nodes x 55 codes).
    MAX_CELLS = 1 << 24

    def __init__(self, terms: Sequence[str], ngram_range: tuple[int, int]) -> None:
        self.lo, self.hi = ngram_range
        self.n_cols = len(terms)
        # " " and "0" always get a code: normalising needs to tell them from code 0.
        alphabet = sorted(set("".join(terms)) | {" ", "0"})
        nc = self.n_codes = len(alphabet) + 1
        # One cell past the last code point (at least ASCII's) stands for every larger one.
        lut = np.zeros(max(ord(alphabet[-1]), 127) + 2, dtype=np.int32)
        for code, ch in enumerate(alphabet, start=1):
            lut[ord(ch)] = code
        self.space_code, self.zero_code = int(lut[32]), int(lut[48])
        # ASCII whitespace and digits normalise through the table itself (build() has
        # checked that no term holds one but " " and "0", which could not match anyway).
        for c in range(128):
            if chr(c).isspace():
                lut[c] = self.space_code
            elif chr(c).isdecimal():
                lut[c] = self.zero_code
        self.lut = lut
        # Trie nodes: 0 is the dead end (no transitions), 1 the root, then every proper
        # prefix of a term. Cell node * nc + code holds the inner node that the string plus
        # that character leads to (as node * nc, the start of its cells; 0 if none) and the
        # term it spells (-1 if none). Built with
        # numpy (a prefix is a number in base nc: its codes are >= 1), in ~10 ms, not ~100.
        n = len(terms)
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=n)
        if lengths.min() < self.lo or lengths.max() > self.hi:
            raise _Unsupported
        flat = np.frombuffer("".join(terms).encode("utf-32-le", "surrogatepass"), np.uint32)
        flat = lut.take(flat).astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        prefix_keys = [np.zeros(n, dtype=np.int64)]  # depth d: the number of t[:d]
        for depth in range(1, self.hi + 1):
            last = flat.take(np.minimum(starts + depth - 1, len(flat) - 1))
            prefix_keys.append(prefix_keys[-1] * nc + np.where(lengths >= depth, last, 0))
        inner = [np.zeros(1, dtype=np.int64)]  # per depth: sorted keys of inner nodes
        first_id = [1]  # per depth: node id of inner[depth][0]
        for depth in range(1, self.hi):
            inner.append(np.unique(prefix_keys[depth][lengths > depth]))
            first_id.append(first_id[-1] + len(inner[-2]))
        n_nodes = first_id[-1] + len(inner[-1])
        if n_nodes * nc > self.MAX_CELLS:
            raise _Unsupported
        self.next_node = np.zeros(n_nodes * nc, dtype=np.int32)
        self.term_at = np.full(n_nodes * nc, -1, dtype=np.int32)

        def node_of(depth: int, keys: np.ndarray) -> np.ndarray:
            return first_id[depth] + np.searchsorted(inner[depth], keys)

        for depth in range(1, self.hi):
            keys = inner[depth]
            cells = node_of(depth - 1, keys // nc) * nc + keys % nc
            self.next_node[cells] = node_of(depth, keys) * nc
        for depth in range(self.lo, self.hi + 1):
            which = np.flatnonzero(lengths == depth)
            keys = prefix_keys[depth][which]
            self.term_at[node_of(depth - 1, keys // nc) * nc + keys % nc] = which
        # A blank text normalises to two spaces, which the collapsing below cannot make.
        self.blank_term = terms.index("  ") if "  " in terms else None
        # Gram keys (row * n_cols + term) of one chunk fit in int32 (each text is at least
        # three codes): half the bytes to sort.
        rows = self.CHUNK_CHARS // 3 + 2
        self.key_dtype = np.int32 if rows * self.n_cols < 2**31 else np.int64

    @classmethod
    def build(cls, terms: Sequence[str], ngram_range: tuple[int, int]) -> CharGramIndex | None:
        """The index of ``terms``, or None where the dict lookup must be used instead."""
        if ngram_range[0] < 2 or not terms:
            return None
        chars = set("".join(terms))
        if any((c.isspace() and c != " ") or (c.isdecimal() and c != "0") for c in chars):
            return None  # terms char_ngrams cannot produce; not worth a special case
        try:
            return cls(terms, ngram_range)
        except _Unsupported:
            return None

    def _codes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Codes of the normalised texts, each followed by a 0, and ``row * n_cols`` per code.

        Normalised as ``char_ngrams`` does (lower case, every ``\\d`` as "0", every ``\\s+``
        as one space, one space at each end), but on code points: ``re`` takes ``\\d`` and
        ``\\s`` to be exactly ``str.isdecimal`` and ``str.isspace``. ``hi`` more zeros at
        the end let ``_count`` read every gram as a full-length slice.
        """
        low = [t.lower() for t in texts]
        widths = np.fromiter(map(len, low), dtype=np.int64, count=len(low)) + 3
        widths[-1] += self.hi
        pad = "\x00" * self.hi
        # surrogatepass: a lone surrogate (valid in JSON input) is a code point like any other.
        joined = (" " + " \x00 ".join(low) + " \x00" + pad).encode("utf-32-le", "surrogatepass")
        cp = np.frombuffer(joined, dtype=np.uint32)
        codes = self.lut.take(np.minimum(cp, len(self.lut) - 1))
        beyond = np.flatnonzero(cp > 127)
        if len(beyond):
            wide = cp[beyond]
            for c in np.unique(wide).tolist():
                if chr(c).isspace():
                    codes[beyond[wide == c]] = self.space_code
                elif chr(c).isdecimal():
                    codes[beyond[wide == c]] = self.zero_code
        # The separators and the padding (a text may hold "\x00" too).
        codes[np.cumsum(widths[:-1]) - 1] = 0
        codes[len(codes) - self.hi - 1 :] = 0
        space = codes == self.space_code
        keep = ~space
        keep[0] = True
        keep[1:] |= ~space[:-1]  # the first of every run of spaces
        step = self.n_cols
        row_key = np.repeat(np.arange(0, len(low) * step, step, dtype=self.key_dtype), widths)
        return codes[keep], row_key[keep]

    # Characters counted per numpy pass: past about this many the arrays spill out of the
    # CPU caches and a long batch gets slower per text (~30 us a sentence at 200 sentences,
    # ~50 at 1,000, measured on the seed articles).
    CHUNK_CHARS = 32_000

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of the vocabulary's grams: key = row * n_cols + term, ascending."""
        keys, counts, start, size = [], [], 0, 0
        for end, text in enumerate(texts, start=1):
            size += len(text) + 3
            if size >= self.CHUNK_CHARS or end == len(texts):
                k, c = self._count(texts[start:end])
                # Later rows, so still ascending.
                keys.append(k.astype(np.int64) + start * self.n_cols)
                counts.append(c)
                start, size = end, 0
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(keys), np.concatenate(counts)

    def _count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        codes, row_key = self._codes(texts)
        nc, term_at, next_node = self.n_codes, self.term_at, self.next_node
        n = len(codes) - self.hi
        row_key = row_key[:n]
        found = []
        cell = codes[:n] + nc  # from the root, node 1
        for depth in range(1, self.hi + 1):
            if depth >= self.lo:
                term = term_at.take(cell)
                found.append((row_key + term)[term >= 0])
            if depth < self.hi:
                cell = next_node.take(cell) + codes[depth : depth + n]
        keys = np.concatenate(found)
        if self.blank_term is not None:
            blank = [i for i, t in enumerate(texts) if not t or t.isspace()]
            blank_keys = np.asarray(blank, dtype=keys.dtype) * self.n_cols + self.blank_term
            keys = np.concatenate([keys, blank_keys])
        return unique_counts(keys)


def unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)``, sorting ``keys`` in place (a scratch array)."""
    keys.sort()
    if not len(keys):
        return keys, np.zeros(0, dtype=np.int64)
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys.take(starts), np.diff(starts, append=len(keys))


class WordGramIndex:
    """Counts a vocabulary's word uni- and bigrams by token ids, as ``word_ngrams`` would.

    Each token is looked up once in a dict; a bigram is a pair of token ids found in a sorted
    array, so no bigram string is made. A bigram term "a b" always splits at its one space
    (tokens hold none), which ``build`` checks.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        n = self.n_cols = len(terms)
        # C-level passes over the terms only (a Python loop here was 0.1 s of start-up).
        n_parts = np.fromiter(map(str.count, terms, itertools.repeat(" ")), np.int64, n) + 1
        parts = " ".join(terms).split(" ")
        self.tokens = {token: i for i, token in enumerate(dict.fromkeys(parts))}
        if n_parts.max(initial=1) > 2 or "" in self.tokens:
            raise _Unsupported  # not a unigram or a bigram of two tokens
        ids = np.fromiter(map(self.tokens.__getitem__, parts), np.int64, len(parts))
        first = np.cumsum(n_parts) - n_parts  # each term's first part
        # Token id n_tokens stands for every token outside the vocabulary.
        self.unknown = len(self.tokens)
        self.base = self.unknown + 1  # > any token id, so a pair's key is unique
        self.uni_col = np.full(self.unknown + 1, -1, dtype=np.int64)
        uni = np.flatnonzero(n_parts == 1)
        self.uni_col[ids[first[uni]]] = uni
        bi = np.flatnonzero(n_parts == 2)
        keys = ids[first[bi]] * self.base + ids[first[bi] + 1]
        order = np.argsort(keys)
        self.bi_keys, self.bi_cols = keys[order], bi[order]

    @classmethod
    def build(cls, terms: Sequence[str]) -> WordGramIndex | None:
        """The index of ``terms``, or None where the dict lookup must be used instead."""
        try:
            return cls(terms)
        except _Unsupported:
            return None

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of the vocabulary's grams: key = row * n_cols + term, ascending."""
        tokens = [word_tokens(t) for t in texts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        flat = list(itertools.chain.from_iterable(tokens))
        ids = np.fromiter(
            map(self.tokens.get, flat, itertools.repeat(self.unknown)),
            dtype=np.int64,
            count=len(flat),
        )
        rows = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
        col = self.uni_col[ids]
        hit = col >= 0
        found = [rows[hit] * self.n_cols + col[hit]]
        if len(self.bi_keys) and len(ids) > 1:
            within = rows[1:] == rows[:-1]  # a bigram never spans two texts
            pair = (ids[:-1] * self.base + ids[1:])[within]
            pair_row = rows[1:][within]
            at = np.minimum(np.searchsorted(self.bi_keys, pair), len(self.bi_keys) - 1)
            hit = self.bi_keys[at] == pair
            found.append(pair_row[hit] * self.n_cols + self.bi_cols[at[hit]])
        return np.unique(np.concatenate(found), return_counts=True)


# 1 + log(count) for the small counts that nearly every gram has: the same np.log values,
# looked up instead of computed (libm's log, one call per entry, was 5% of the scorer).
_TF_TABLE = np.concatenate(([np.nan], 1.0 + np.log(np.arange(1, 64, dtype=np.float64))))


def _sublinear_tf(counts: np.ndarray) -> np.ndarray:
    tf = _TF_TABLE.take(np.minimum(counts, len(_TF_TABLE) - 1))
    big = np.flatnonzero(counts >= len(_TF_TABLE))
    if len(big):
        tf[big] = 1.0 + np.log(counts[big])
    return tf


class TfidfTable:
    """A fitted vocabulary + idf, applied like sklearn's TfidfVectorizer(sublinear_tf, l2)."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, analyzer: str) -> None:
        self.terms = list(vocabulary)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyzer = analyzer
        self._analyze = ANALYZERS[analyzer]
        self._grams: CharGramIndex | WordGramIndex | None = None
        if analyzer == "char":
            self._grams = CharGramIndex.build(self.terms, CHAR_NGRAM_RANGE)
        elif analyzer == "word":
            self._grams = WordGramIndex.build(self.terms)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Term -> column (built on first use: the gram indexes normally stand in for it)."""
        return {t: i for i, t in enumerate(self.terms)}

    def count_by_dict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``count`` by making every gram a string and looking it up (the definition)."""
        grams = [self._analyze(t) for t in texts]
        n_rows = len(grams)
        n_cols = len(self.terms)
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=n_rows)
        flat = list(itertools.chain.from_iterable(grams))
        ids = np.fromiter(
            map(self.index.get, flat, itertools.repeat(-1)), dtype=np.int64, count=len(flat)
        )
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        known = ids >= 0
        return np.unique(rows[known] * n_cols + ids[known], return_counts=True)

    def count(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(keys, counts) of the known terms in ``texts``: key = row * n_terms + column."""
        if self._grams is not None:
            return self._grams.count(texts)
        return self.count_by_dict(texts)

    def _weights(self, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
        """(indptr, row, column, value) of the non-zero tf-idf entries, by row then column."""
        keys, counts = self.count(texts)
        n_rows, n_cols = len(texts), len(self.terms)
        # keys are sorted, so each row's entries start where its first possible key would.
        indptr = np.searchsorted(keys, np.arange(n_rows + 1, dtype=np.int64) * n_cols)
        row_of = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(indptr))
        cols = keys - row_of * n_cols
        vals = _sublinear_tf(counts) * self.idf.take(cols)
        norms = np.sqrt(np.bincount(row_of, weights=vals**2, minlength=n_rows))
        norms[norms == 0] = 1.0
        return indptr, row_of, cols, vals / norms.take(row_of)

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Return the l2-normalised sublinear tf-idf matrix of ``texts``."""
        texts = list(texts)
        indptr, _, cols, vals = self._weights(texts)
        return sparse.csr_matrix((vals, cols, indptr), shape=(len(texts), len(self.terms)))

    def dot(self, texts: Sequence[str], coef: np.ndarray) -> np.ndarray:
        """``transform(texts) @ coef`` without building the matrix (same sums, same order)."""
        _, row_of, cols, vals = self._weights(texts)
        z = np.bincount(row_of, weights=vals * coef.take(cols), minlength=len(texts))
        return z.astype(np.float64, copy=False)  # bincount of nothing is integer zeros


ANALYZERS = {"word": word_ngrams, "char": char_ngrams}

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


# --------------------------------------------------------------------------- static embeddings


# (tokens per text, all token ids in order): what ``StaticEmbeddings.token_ids`` returns.
Tokens = tuple[np.ndarray, np.ndarray]


class StaticEmbeddings:
    """model2vec-style static sentence embeddings: mean of int8 token vectors, l2-normalised.

    The table was distilled with model2vec from all-MiniLM-L6-v2 (see
    ``train.distill_embeddings``) and is stored quantised to int8 with one scale per
    token, so applying it needs only numpy and the ``tokenizers`` library.
    """

    # Most distinct space-separated chunks whose token ids are remembered (about 150 bytes
    # each); the cache is emptied when full, which changes nothing but the speed.
    CHUNK_CACHE_SIZE = 50_000

    def __init__(self, table: np.ndarray, scales: np.ndarray, tokenizer_json: str) -> None:
        from tokenizers import Tokenizer  # imported lazily: only the model scorer needs it

        self.table = np.asarray(table, dtype=np.int8)
        self.scales = np.asarray(scales, dtype=np.float32)
        self.dim = self.table.shape[1]
        # Dequantised once (about 30 MB for the shipped table) so scoring is one product.
        self.vectors = self.table.astype(np.float32) * self.scales[:, None]
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self._chunk_ids: dict[str, tuple[int, ...]] | None = (
            {} if splits_at_spaces(tokenizer_json) else None
        )

    @classmethod
    def from_npz(cls, path) -> StaticEmbeddings:
        """Load a table written by ``train.distill_embeddings``."""
        with np.load(path, allow_pickle=False) as z:
            return cls(z["table"], z["scales"], bytes(z["tokenizer"]).decode("utf-8"))

    def token_ids(self, texts: Sequence[str]) -> Tokens:
        """(tokens per text, all token ids in order), as ``encode_batch`` gives them."""
        cache = self._chunk_ids
        if cache is None:
            encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
            ids_of = [e.ids for e in encs]
            lengths = np.fromiter(map(len, ids_of), dtype=np.int64, count=len(ids_of))
        else:
            # The tokenizer is ~45 us a sentence, mostly per-call and per-token overhead;
            # news text repeats its words, so each space-separated chunk is tokenised once.
            # Exact because the tokenizer splits at spaces itself (``splits_at_spaces``).
            split = [t.split(" ") for t in texts]
            chunks = list(itertools.chain.from_iterable(split))
            ids_of = list(map(cache.get, chunks))
            if None in ids_of:
                pairs = zip(chunks, ids_of, strict=True)
                missing = list(dict.fromkeys(c for c, ids in pairs if ids is None))
                # One by one: encode_batch hands the chunks to a thread pool whose workers
                # spin while they wait, which on one core costs more than the chunks do.
                encode = self.tokenizer.encode
                new = {c: tuple(encode(c, add_special_tokens=False).ids) for c in missing}
                if len(cache) + len(new) > self.CHUNK_CACHE_SIZE:
                    cache.clear()
                cache.update(new)
                pairs = zip(chunks, ids_of, strict=True)
                ids_of = [new[c] if ids is None else ids for c, ids in pairs]
            per_chunk = np.fromiter(map(len, ids_of), dtype=np.int64, count=len(ids_of))
            # Every text has at least one chunk ("".split(" ") == [""]), so reduceat is safe.
            n_chunks = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
            starts = np.cumsum(n_chunks) - n_chunks
            lengths = np.add.reduceat(per_chunk, starts) if len(split) else np.zeros(0, np.int64)
        flat = np.fromiter(
            itertools.chain.from_iterable(ids_of), dtype=np.int64, count=int(lengths.sum())
        )
        return lengths, flat

    def embed(self, texts: Sequence[str], tokens: Tokens | None = None) -> np.ndarray:
        """Return one l2-normalised float32 vector per text (zeros for a text with no token).

        ``tokens`` is ``token_ids(texts)`` when the caller has it already.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        lengths, flat = tokens if tokens is not None else self.token_ids(texts)
        # Sum of token vectors as one sparse x dense product (C speed); the mean's 1/n
        # factor cancels in the l2 normalisation.
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        weights = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, indptr),
            shape=(len(lengths), self.vectors.shape[0]),
        )
        sums = np.asarray(weights @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return sums / norms


# Tokenizer parts after which tokenising "a b" gives the tokens of "a" then those of "b":
# the normalizers work character by character (BERT's lower-casing, accent stripping and
# control-character removal never join across a space), and these pre-tokenizers split at
# every space and never emit one.
_SPACE_SPLIT_NORMALIZERS = {None, "BertNormalizer", "Lowercase"}
_SPACE_SPLIT_PRE_TOKENIZERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit"}
_SPACE_SPLIT_MODELS = {"WordPiece", "WordLevel"}


def splits_at_spaces(tokenizer_json: str) -> bool:
    """True if ``tokenizer_json`` tokenises a text as the concatenation of its " "-chunks."""
    spec = json.loads(tokenizer_json)
    normalizer = (spec.get("normalizer") or {}).get("type")
    pre = (spec.get("pre_tokenizer") or {}).get("type")
    model = (spec.get("model") or {}).get("type")
    # Added tokens are matched in the raw text before splitting: one holding a space, or
    # eating the spaces around it, could straddle a chunk boundary.
    added_ok = all(
        not any(c.isspace() for c in tok["content"])
        and not tok.get("lstrip")
        and not tok.get("rstrip")
        for tok in spec.get("added_tokens") or ()
    )
    return (
        normalizer in _SPACE_SPLIT_NORMALIZERS
        and pre in _SPACE_SPLIT_PRE_TOKENIZERS
        and model in _SPACE_SPLIT_MODELS
        and added_ok
    )


# --------------------------------------------------------------------------- heads


def _blob(strings: Sequence[str]) -> np.ndarray:
    # Terms never contain "\n" (analyzers collapse whitespace), so one joined UTF-8 blob
    # stores a vocabulary portably without pickle.
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unblob(arr: np.ndarray) -> list[str]:
    text = bytes(arr).decode("utf-8")
    return text.split("\n") if text else []


class TextHead:
    """Linear model over word/char tf-idf, hand features and static embeddings."""

    def __init__(
        self,
        word: TfidfTable,
        char: TfidfTable,
        emb: StaticEmbeddings,
        coef: np.ndarray | None,
        intercept: float,
    ) -> None:
        self.word = word
        self.char = char
        self.emb = emb
        self.coef = coef
        self.intercept = intercept

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The full feature matrix (training uses it; inference uses ``logits``)."""
        return sparse.hstack(
            [
                self.word.transform(texts),
                self.char.transform(texts),
                sparse.csr_matrix(hand_matrix(texts)),
                sparse.csr_matrix(self.emb.embed(texts)),
            ]
        ).tocsr()

    def logits(self, texts: Sequence[str], tokens: Tokens | None = None) -> np.ndarray:
        """Decision values (log-odds on the class-balanced ClaimBuster scale)."""
        assert self.coef is not None, "head is not fitted"
        texts = list(texts)
        nw, nc = len(self.word.terms), len(self.char.terms)
        nh = len(HAND_FEATURE_NAMES)
        c = self.coef
        z = self.word.dot(texts, c[:nw])
        z += self.char.dot(texts, c[nw : nw + nc])
        z += hand_matrix(texts) @ c[nw + nc : nw + nc + nh]
        z += self.emb.embed(texts, tokens).astype(np.float64) @ c[nw + nc + nh :]
        return z + self.intercept

    def to_arrays(self) -> dict[str, np.ndarray]:
        assert self.coef is not None, "head is not fitted"
        return {
            "word_terms": _blob(self.word.terms),
            "word_idf": self.word.idf.astype(np.float32),
            "char_terms": _blob(self.char.terms),
            "char_idf": self.char.idf.astype(np.float32),
            "text_coef": self.coef.astype(np.float32),
            "text_intercept": np.array([self.intercept], dtype=np.float64),
        }

    @classmethod
    def from_arrays(cls, z, emb: StaticEmbeddings) -> TextHead:
        word = TfidfTable(_unblob(z["word_terms"]), z["word_idf"], "word")
        char = TfidfTable(_unblob(z["char_terms"]), z["char_idf"], "char")
        return cls(
            word, char, emb, z["text_coef"].astype(np.float64), float(z["text_intercept"][0])
        )


def student_logits(
    linear: TextHead, conv: ConvHead, texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(linear logits, conv logits) of ``texts``; both heads read one tokenisation."""
    texts = list(texts)
    tokens = linear.emb.token_ids(texts)
    return linear.logits(texts, tokens), conv.logits(*tokens, linear.emb.vectors)


class BlendedHead:
    """The text score: a logistic blend of the linear head and the convolutional head.

    Both read the same tokens of the static embedding table (tokenised once per batch);
    ``blend`` is (bias, linear weight, conv weight), fitted on their out-of-fold logits,
    so the result is again a log-odds on the class-balanced ClaimBuster scale.
    """

    def __init__(self, linear: TextHead, conv: ConvHead, blend: Sequence[float]) -> None:
        self.linear = linear
        self.conv = conv
        self.blend = np.asarray(blend, dtype=np.float64)
        self.emb = linear.emb

    def parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(linear logits, conv logits) of ``texts``, from one tokenisation."""
        return student_logits(self.linear, self.conv, texts)

    def combine(self, linear: np.ndarray, conv: np.ndarray) -> np.ndarray:
        """The blended log-odds from the two heads' logits."""
        return self.blend[0] + self.blend[1] * linear + self.blend[2] * conv

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision values (log-odds on the class-balanced ClaimBuster scale)."""
        if not len(texts):
            return np.zeros(0)
        return self.combine(*self.parts(texts))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            **self.linear.to_arrays(),
            **self.conv.to_arrays(),
            "text_blend": self.blend.astype(np.float64),
        }

    @classmethod
    def from_arrays(cls, z, emb: StaticEmbeddings) -> BlendedHead:
        return cls(TextHead.from_arrays(z, emb), ConvHead.from_arrays(z), z["text_blend"])


# Context features of one sentence inside a document (debate, speech, article). Earlier
# versions also had has_prev/has_next flags: they learnt large weights from the 19 first
# and last lines of the training debates, which would have pushed every article's last
# sentence down, so a missing neighbour is now filled with the mean logit instead.
CONTEXT_FEATURE_NAMES = ("prev_logit", "next_logit", "rel_position", "log_words")


def context_matrix(
    items: Sequence, neighbour_logit: dict[str, float], fill_logit: float
) -> np.ndarray:
    """Context features for ``ScoringItem``s; ``neighbour_logit`` maps a text to its text logit.

    A missing neighbour counts as ``fill_logit`` (the mean logit of the training debates)
    and an unknown position as the middle of the document, so neither moves the score.
    """
    out = np.empty((len(items), len(CONTEXT_FEATURE_NAMES)), dtype=np.float64)
    # Column by column from lists: numpy's per-element assignment costs more than the work.
    out[:, 0] = [neighbour_logit[it.prev_text] if it.prev_text else fill_logit for it in items]
    out[:, 1] = [neighbour_logit[it.next_text] if it.next_text else fill_logit for it in items]
    out[:, 2] = [_relative_position(it.position, it.doc_length) for it in items]
    out[:, 3] = [math.log1p(len(it.text.split())) for it in items]
    return out


def _relative_position(position: int | None, doc_length: int | None) -> float:
    if position is not None and doc_length:
        return min(max(position / max(doc_length - 1, 1), 0.0), 1.0)
    return 0.5


class ContextHead:
    """A shift added to the text logit, in text-logit units, from a sentence's context."""

    def __init__(self, weights: np.ndarray, center: np.ndarray, fill_logit: float) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        self.center = np.asarray(center, dtype=np.float64)
        self.fill_logit = float(fill_logit)

    def shift(self, items: Sequence, neighbour_logit: dict[str, float]) -> np.ndarray:
        """Context shift per item (zero-mean over the training debates)."""
        ctx = context_matrix(items, neighbour_logit, self.fill_logit)
        return (ctx - self.center) @ self.weights

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "context_weights": self.weights,
            "context_center": self.center,
            "context_fill_logit": np.array([self.fill_logit]),
        }

    @classmethod
    def from_arrays(cls, z) -> ContextHead:
        return cls(z["context_weights"], z["context_center"], float(z["context_fill_logit"][0]))
