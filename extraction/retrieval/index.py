"""``ArchiveIndex``: the fact-check archive as lexical and embedding matrices, per field.

Three fields per record: the claim as the fact-checker stated it, the fact-check's headline,
and both together. Each gets BM25 over words, TF-IDF over word 1-2-grams and TF-IDF over
character 2-5-grams (within words), plus the shipped static sentence embeddings. Everything
is stored in one ``.npz`` (no pickle: vocabularies are strings, weights are arrays), so a
prebuilt index loads in about a second instead of being fitted again.
"""

from __future__ import annotations

import functools
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from extraction.retrieval.records import FactCheck
from extraction.retrieval.text import prepare

FORMAT_VERSION = 2
FIELDS = ("claim", "title", "both")
# (name, kind, analyzer, ngram_range, stop words): chosen on the CheckThat! 2020 dev queries.
SCORERS = (
    ("bm25", "bm25", "word", (1, 1), "english"),
    ("word", "tfidf", "word", (1, 2), "english"),
    ("char", "tfidf", "char_wb", (2, 5), None),
)
# BM25 parameters tuned on train queries (k1 1.2/b 0.75 gave 0.72 on "both", these 0.75).
BM25_K1 = 0.9
BM25_B = 0.4
_SEP = "\x00"  # records never hold NUL (records.record_from_mapping rejects it)
MODELS = Path(__file__).resolve().parents[1] / "models"
EMBEDDINGS = MODELS / "static_minilm_l6.npz"


def field_texts(records: Sequence[FactCheck], field: str) -> list[str]:
    if field == "claim":
        return [r.claim or r.title for r in records]
    if field == "title":
        return [r.title or r.claim for r in records]
    return [f"{r.claim} {r.title}".strip() for r in records]


@functools.cache
def embeddings():
    """The shipped static embeddings (loaded once per process)."""
    from extraction.features import StaticEmbeddings

    return StaticEmbeddings.from_npz(EMBEDDINGS)


@functools.cache
def analyzer(name: str):
    """The text -> terms function of scorer ``name`` (the same for every field)."""
    _, _, kind, ngrams, stop = next(spec for spec in SCORERS if spec[0] == name)
    return CountVectorizer(analyzer=kind, ngram_range=ngrams, stop_words=stop).build_analyzer()


@dataclass
class SparseScorer:
    """One lexical scorer of one field: its vocabulary, IDF and the archive's weights.

    The weights are stored term-major (one row per term, a column per record), so scoring a
    query reads only the rows of its own terms: an inverted index, about 0.2 ms a query
    instead of 5 ms for a product over the whole matrix.
    """

    kind: str  # "bm25" or "tfidf"
    vocab: dict[str, int]
    idf: np.ndarray
    by_term: sparse.csr_matrix  # (terms, records): BM25 weights or l2-normalised TF-IDF

    @classmethod
    def fit(cls, kind: str, analyzer: str, ngrams, stop, texts: list[str]) -> SparseScorer:
        cv = CountVectorizer(analyzer=analyzer, ngram_range=ngrams, stop_words=stop)
        try:
            counts = cv.fit_transform(texts).tocsr().astype(np.float32)
        except ValueError:  # no term at all (an archive of stop words only)
            cv = CountVectorizer(analyzer=analyzer, ngram_range=ngrams, vocabulary=[_SEP])
            counts = cv.transform(texts).tocsr().astype(np.float32)
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        if kind == "bm25":
            idf = np.log1p((n - df + 0.5) / (df + 0.5))
            length = np.asarray(counts.sum(axis=1)).ravel()
            norm = BM25_K1 * (1 - BM25_B + BM25_B * length / max(length.mean(), 1e-9))
            rows = np.repeat(np.arange(n), np.diff(counts.indptr))
            tf = counts.data
            counts.data = (tf * (BM25_K1 + 1) / (tf + norm[rows]) * idf[counts.indices]).astype(
                np.float32
            )
            matrix = counts
        else:
            idf = np.log((1 + n) / (1 + df)) + 1
            matrix = _tfidf(counts, idf)
        vocab = {str(term): int(i) for term, i in cv.vocabulary_.items()}
        return cls(kind, vocab, idf.astype(np.float32), matrix.T.tocsr())

    def query(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(term rows, weights) of a query's terms, as CountVectorizer + TF-IDF/BM25 weigh."""
        counts: dict[int, int] = {}
        get = self.vocab.get
        for term in terms:
            i = get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        ids = np.fromiter(counts, dtype=np.intp, count=len(counts))
        if self.kind == "bm25":
            return ids, np.ones(len(ids), dtype=np.float32)  # a query term counts once
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (np.log(tf) + 1) * self.idf[ids]
        norm = float(np.sqrt(weights @ weights))
        return ids, weights / norm if norm > 0 else weights

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Every record's score for a query given as ``query``'s (rows, weights)."""
        if not len(ids):
            return np.zeros(self.by_term.shape[1], dtype=np.float32)
        return np.asarray(self.by_term[ids].T @ weights).ravel()

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        vocab = sorted(self.vocab, key=self.vocab.get)
        m = self.by_term
        return {
            f"{prefix}.vocab": np.frombuffer(_SEP.join(vocab).encode("utf-8"), dtype=np.uint8),
            f"{prefix}.idf": self.idf,
            f"{prefix}.data": m.data,
            f"{prefix}.indices": m.indices,
            f"{prefix}.indptr": m.indptr,
        }

    @classmethod
    def from_arrays(cls, z, prefix: str, kind: str, n: int) -> SparseScorer:
        terms = bytes(z[f"{prefix}.vocab"]).decode("utf-8").split(_SEP)
        by_term = sparse.csr_matrix(
            (z[f"{prefix}.data"], z[f"{prefix}.indices"], z[f"{prefix}.indptr"]),
            shape=(len(terms), n),
        )
        return cls(
            kind, dict(zip(terms, range(len(terms)), strict=True)), z[f"{prefix}.idf"], by_term
        )


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    counts = counts.copy()
    counts.data = ((np.log(counts.data) + 1) * idf[counts.indices]).astype(np.float32)
    return normalize(counts, norm="l2", copy=False)


class ArchiveIndex:
    """The archive's records and, per field, its lexical scorers and embedding vectors."""

    def __init__(
        self,
        records: list[FactCheck],
        scorers: dict[tuple[str, str], SparseScorer],
        vectors: dict[str, np.ndarray],
    ) -> None:
        self.records = records
        self.ids = [r.id for r in records]
        self.scorers = scorers
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def build(cls, records: Sequence[FactCheck]) -> ArchiveIndex:
        """Fit the index on ``records`` (about 15 s for 10,000 fact-checks on one core)."""
        records = _unique(records)
        if not records:
            raise ValueError("the archive has no fact-check to index")
        scorers, vectors = {}, {}
        emb = embeddings()
        for field in FIELDS:
            texts = [prepare(t) for t in field_texts(records, field)]
            for name, kind, analyzer, ngrams, stop in SCORERS:
                scorers[field, name] = SparseScorer.fit(kind, analyzer, ngrams, stop, texts)
            vectors[field] = emb.embed(texts).astype(np.float16)
        return cls(records, scorers, vectors)

    def save(self, path: str | Path) -> None:
        """Write the index to one ``.npz`` file (numpy arrays only)."""
        arrays: dict[str, np.ndarray] = {
            "version": np.array(FORMAT_VERSION),
            "records": _blob(json.dumps([r.as_dict() for r in self.records])),
        }
        for (field, name), scorer in self.scorers.items():
            arrays.update(scorer.arrays(f"{field}.{name}"))
        for field, vec in self.vectors.items():
            arrays[f"{field}.vectors"] = vec
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> ArchiveIndex:
        """Read an index written by ``save``; ValueError if it is not one."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if "version" not in z.files or int(z["version"]) != FORMAT_VERSION:
                    raise KeyError(f"format version {FORMAT_VERSION} expected")
                rows = json.loads(bytes(z["records"]).decode("utf-8"))
                records = [FactCheck(**row) for row in rows]
                scorers = {
                    (field, name): SparseScorer.from_arrays(
                        z, f"{field}.{name}", kind, len(records)
                    )
                    for field in FIELDS
                    for name, kind, *_ in SCORERS
                }
                vectors = {field: z[f"{field}.vectors"] for field in FIELDS}
        except (OSError, KeyError, EOFError, ValueError, TypeError, zipfile.BadZipFile) as exc:
            raise ValueError(f"{path}: not a fact-check archive index ({exc})") from exc
        return cls(records, scorers, vectors)


def is_index_file(path: str | Path) -> bool:
    """Whether ``path`` looks like a saved index (a zip archive, as ``np.savez`` writes)."""
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _unique(records: Sequence[FactCheck]) -> list[FactCheck]:
    # A re-imported fact-check replaces the earlier copy: ids identify archive rows.
    return list({r.id: r for r in records}.values())


def _blob(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
