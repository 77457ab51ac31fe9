"""TF-IDF over the analyzers' n-grams, as arrays (no scikit-learn objects at inference)."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from .text import ANALYZERS, CHAR_NGRAM_RANGE, word_tokens

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

    # Hand-written because it pays: on 8,000 distinct debate sentences, one core, the shipped
    # model's tables give the same matrix as TfidfVectorizer with the same vocabulary and idf_
    # (max difference 0.0) in 78 ms vs 134 ms (word, 19,789 terms) and 141 ms vs 1,113 ms
    # (char, 52,646 terms): the gram indexes above replace sklearn's per-gram dict lookups.
    # Measured 2026-12-07 at the commit that added this comment (sklearn 1.x, numpy 2.x).

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
