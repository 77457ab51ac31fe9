"""``Ranker``: rank the archive for a claim, best fact-check first.

Two stages. A lexical first stage scores the whole archive (BM25 over claim+headline words,
plus TF-IDF cosine over their character n-grams) and keeps the top ``CANDIDATES``; a learned
re-ranker (gradient-boosted trees over per-pair features: each field's BM25, word and
character TF-IDF and embedding similarities, their gap to the best candidate's, shared names
and figures, first-stage rank, length ratio) orders those. The trees were fitted with
scikit-learn (``training/retrieval.py``) and ship as plain arrays
(``models/retrieval_reranker.npz``), evaluated here with numpy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from extraction.retrieval.index import FIELDS, SCORERS, ArchiveIndex, analyzer, embeddings
from extraction.retrieval.text import names, numbers, prepare

# The first stage's recall at 100 is 0.95 on the dev queries (0.92 at 50).
CANDIDATES = 100
RERANKER = Path(__file__).resolve().parents[1] / "models" / "retrieval_reranker.npz"
FEATURES = (
    [f"{f}.{s[0]}" for f in FIELDS for s in SCORERS]
    + [f"{f}.emb" for f in FIELDS]
    + [f"{f}.{s[0]}.gap" for f in FIELDS for s in SCORERS]
    + [f"{f}.emb.gap" for f in FIELDS]
    + ["names", "numbers", "log_rank", "length_ratio"]
)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float


class Trees:
    """A gradient-boosted tree ensemble as flat arrays (all trees' nodes concatenated)."""

    def __init__(self, z) -> None:
        self.feature = z["feature"].astype(np.intp)
        self.threshold = z["threshold"].astype(np.float64)
        self.left = z["left"].astype(np.intp)
        self.right = z["right"].astype(np.intp)
        self.leaf = z["is_leaf"].astype(bool)
        self.value = z["value"].astype(np.float64)
        self.roots = z["roots"].astype(np.intp)
        self.baseline = float(z["baseline"])
        self.depth = int(z["max_depth"])
        self.names = [str(n) for n in z["features"]]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Sum of leaf values plus the baseline: the model's log-odds per row of ``x``."""
        node = np.broadcast_to(self.roots, (x.shape[0], self.roots.size)).copy()
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            nxt = np.where(go_left, self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, nxt)
        return self.value[node].sum(axis=1) + self.baseline


@functools.cache
def _shipped_trees() -> Trees | None:
    if not RERANKER.exists():
        return None
    with np.load(RERANKER, allow_pickle=False) as z:
        trees = Trees(z)
    if trees.names != FEATURES:
        raise ValueError(f"{RERANKER}: trained on other features; retrain it")
    return trees


class Ranker:
    """Rank an ``ArchiveIndex`` for query texts; ``trees=None`` ranks by the first stage."""

    def __init__(self, index: ArchiveIndex, trees: Trees | None = None) -> None:
        self.index = index
        self.trees = trees
        self._names = [names(" ".join((r.claim, r.title))) for r in index.records]
        self._numbers = [numbers(" ".join((r.claim, r.title))) for r in index.records]
        self._lengths = np.array([len(r.claim) + len(r.title) + 1 for r in index.records])

    def rank(self, text: str, *, top: int = 5) -> list[Hit]:
        """The ``top`` fact-checks for ``text``, best first (score: re-ranker probability)."""
        if top < 1 or not text.strip():
            return []
        query = prepare(text)
        lex = self.lexical(query)
        first = self.first_stage(lex)
        cands = top_candidates(first, min(len(self.index), max(CANDIDATES, top)))
        if self.trees is None:
            scores = first[cands]
        else:
            x = self.features(query, lex, cands)
            scores = 1 / (1 + np.exp(-self.trees.raw(x)))
        order = np.argsort(-scores, kind="stable")[:top]
        ids = self.index.ids
        return [Hit(ids[cands[i]], round(float(scores[i]), 6)) for i in order]

    def lexical(self, query: str) -> dict[tuple[str, str], np.ndarray]:
        """Every lexical scorer's score of every archive record for a prepared query."""
        out = {}
        for name, *_ in SCORERS:
            terms = analyzer(name)(query)
            for field in FIELDS:
                scorer = self.index.scorers[field, name]
                out[field, name] = scorer.scores(*scorer.query(terms))
        return out

    def first_stage(self, lex: dict[tuple[str, str], np.ndarray]) -> np.ndarray:
        """Max-normalised BM25 over claim + headline plus their char-gram cosine."""
        bm25 = lex["both", "bm25"]
        top = bm25.max()
        return (bm25 / top if top > 0 else bm25) + lex["both", "char"]

    def features(
        self, query: str, lex: dict[tuple[str, str], np.ndarray], cands: np.ndarray
    ) -> np.ndarray:
        """One row of ``FEATURES`` per candidate (rows of the index, first-stage order)."""
        cols = [lex[field, name][cands] for field in FIELDS for name, *_ in SCORERS]
        q = embeddings().embed([query])[0]
        for field in FIELDS:
            cols.append(self.index.vectors[field][cands].astype(np.float32) @ q)
        sims = np.stack(cols, axis=1)
        gaps = sims - sims.max(axis=0, keepdims=True)
        qn, qd = names(query), numbers(query)
        extra = np.array(
            [
                (
                    len(qn & self._names[c]) / (1 + len(self._names[c])),
                    len(qd & self._numbers[c]),
                    np.log1p(rank),
                    self._lengths[c] / (1 + len(query)),
                )
                for rank, c in enumerate(cands)
            ]
        ).reshape(len(cands), 4)
        return np.hstack([sims, gaps, extra])


def default_ranker(index: ArchiveIndex) -> Ranker:
    """A ``Ranker`` with the shipped re-ranker (first stage alone if it is missing)."""
    return Ranker(index, _shipped_trees())


def top_candidates(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` best scores, best first (ties in archive order)."""
    part = np.argpartition(-scores, n - 1)[:n] if n < scores.size else np.arange(scores.size)
    return part[np.lexsort((part, -scores[part]))]
