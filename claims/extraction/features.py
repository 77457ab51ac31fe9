"""Feature extraction shared by check-worthiness training and inference.

Everything here is plain Python + numpy/scipy so the trained model can be applied
without scikit-learn objects: the training script fits vocabularies and weights
with scikit-learn, stores them as arrays, and ``scoring.ModelScorer`` rebuilds the
same features with these functions. Any change to an analyzer changes the
features, so the model file records ``FEATURES_VERSION`` and refuses a mismatch.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

FEATURES_VERSION = 2

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


def number_shapes(text: str) -> str:
    """Replace every number in ``text`` by a shape word (zmoney, zpct, zyear, znum)."""
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


class TfidfTable:
    """A fitted vocabulary + idf, applied like sklearn's TfidfVectorizer(sublinear_tf, l2)."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, analyzer: str) -> None:
        self.terms = list(vocabulary)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyzer = analyzer
        self._analyze = ANALYZERS[analyzer]

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Return the l2-normalised sublinear tf-idf matrix of ``texts``."""
        # Vectorised over the whole batch: the only per-gram work in Python is making the
        # grams; lookups run in C through map(dict.get) and counting through np.unique.
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
        keys, counts = np.unique(rows[known] * n_cols + ids[known], return_counts=True)
        row_of = keys // n_cols
        cols = keys - row_of * n_cols
        vals = (1.0 + np.log(counts)) * self.idf[cols]
        norms = np.sqrt(np.bincount(row_of, weights=vals**2, minlength=n_rows))
        norms[norms == 0] = 1.0
        vals = vals / norms[row_of]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=n_rows))))
        return sparse.csr_matrix((vals, cols, indptr), shape=(n_rows, n_cols))


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


def hand_features(text: str) -> list[float]:
    """Cheap indicator features (0/1) plus length, in ``HAND_FEATURE_NAMES`` order."""
    low = text.lower()
    out = [1.0 if p.search(low if lower else text) else 0.0 for p, lower in _SEARCHES]
    n_words = len(text.split())
    out.append(math.log1p(n_words) / 4.0)
    out.append(1.0 if n_words < 6 else 0.0)
    out.append(1.0 if n_words > 40 else 0.0)
    return out


def hand_matrix(texts: Iterable[str]) -> np.ndarray:
    """Stack ``hand_features`` for many texts into a float array."""
    rows = [hand_features(t) for t in texts]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(HAND_FEATURE_NAMES))


# --------------------------------------------------------------------------- static embeddings


class StaticEmbeddings:
    """model2vec-style static sentence embeddings: mean of int8 token vectors, l2-normalised.

    The table was distilled with model2vec from all-MiniLM-L6-v2 (see
    ``train.distill_embeddings``) and is stored quantised to int8 with one scale per
    token, so applying it needs only numpy and the ``tokenizers`` library.
    """

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

    @classmethod
    def from_npz(cls, path) -> StaticEmbeddings:
        """Load a table written by ``train.distill_embeddings``."""
        with np.load(path, allow_pickle=False) as z:
            return cls(z["table"], z["scales"], bytes(z["tokenizer"]).decode("utf-8"))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one l2-normalised float32 vector per text (zeros for a text with no token)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        flat = np.fromiter(
            itertools.chain.from_iterable(e.ids for e in encs),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        # Sum of token vectors as one sparse x dense product (C speed); the mean's 1/n
        # factor cancels in the l2 normalisation.
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        weights = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, indptr),
            shape=(len(encs), self.vectors.shape[0]),
        )
        sums = np.asarray(weights @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return sums / norms


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

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision values (log-odds on the class-balanced ClaimBuster scale)."""
        assert self.coef is not None, "head is not fitted"
        texts = list(texts)
        nw, nc = len(self.word.terms), len(self.char.terms)
        nh = len(HAND_FEATURE_NAMES)
        c = self.coef
        z = self.word.transform(texts) @ c[:nw]
        z += self.char.transform(texts) @ c[nw : nw + nc]
        z += hand_matrix(texts) @ c[nw + nc : nw + nc + nh]
        z += self.emb.embed(texts).astype(np.float64) @ c[nw + nc + nh :]
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
    out = np.zeros((len(items), len(CONTEXT_FEATURE_NAMES)), dtype=np.float64)
    for i, it in enumerate(items):
        out[i, 0] = neighbour_logit[it.prev_text] if it.prev_text else fill_logit
        out[i, 1] = neighbour_logit[it.next_text] if it.next_text else fill_logit
        if it.position is not None and it.doc_length:
            out[i, 2] = min(max(it.position / max(it.doc_length - 1, 1), 0.0), 1.0)
        else:
            out[i, 2] = 0.5
        out[i, 3] = math.log1p(len(it.text.split()))
    return out


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
