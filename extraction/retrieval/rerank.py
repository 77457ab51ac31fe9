"""Re-rank a few candidate fact-checks for a query without indexing the whole archive.

The database finds the candidates (PostgreSQL full-text search over a million entries); this
computes the shipped re-ranker's features for those candidates alone, with the lexical
statistics (IDF, BM25 lengths) of the candidate set, and orders them with its trees. Fitting
an ``ArchiveIndex`` on the candidates would give the same features but costs 5x more
(scikit-learn's vocabulary building); here each text is analysed once, into plain counters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from extraction.retrieval.index import BM25_B, BM25_K1, FIELDS, SCORERS, analyzer, embeddings
from extraction.retrieval.ranker import Hit, _shipped_trees
from extraction.retrieval.records import FactCheck
from extraction.retrieval.text import names, numbers, prepare


def rerank(text: str, candidates: Sequence[FactCheck], *, top: int = 5) -> list[Hit]:
    """The ``top`` candidates for ``text``, best first (score: the re-ranker's probability).

    ``candidates`` come in the database's order, which breaks first-stage ties. Without the
    shipped trees the first-stage score orders them.
    """
    if top < 1 or not text.strip() or not candidates:
        return []
    query = prepare(text)
    texts = {
        "claim": [prepare(c.claim or c.title) for c in candidates],
        "title": [prepare(c.title or c.claim) for c in candidates],
        "both": [prepare(f"{c.claim} {c.title}".strip()) for c in candidates],
    }
    lex: dict[tuple[str, str], np.ndarray] = {}
    for name, kind, *_ in SCORERS:
        analyse = analyzer(name)
        vocab: dict[str, int] = {}
        analysed: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # Words (and character n-grams within words) of claim + headline are those of the
        # claim plus those of the headline: only word bigrams need the joined text analysed.
        fields = FIELDS if name == "word" else ("claim", "title")
        for field in fields:
            for t in texts[field]:
                if t not in analysed:
                    counts = Counter(analyse(t))
                    ids = [vocab.setdefault(term, len(vocab)) for term in counts]
                    analysed[t] = (
                        np.array(ids, dtype=np.intp),
                        np.fromiter(counts.values(), dtype=np.float64, count=len(counts)),
                    )
        q_counts = Counter(vocab[t] for t in analyse(query) if t in vocab)
        for field in FIELDS:
            if field == "both" and name != "word":
                docs = [
                    _merged(analysed[a], analysed[b]) if c.claim and c.title else analysed[a]
                    for a, b, c in zip(texts["claim"], texts["title"], candidates, strict=True)
                ]
            else:
                docs = [analysed[t] for t in texts[field]]
            scorer = _bm25 if kind == "bm25" else _tfidf
            lex[field, name] = scorer(q_counts, docs, len(vocab)).astype(np.float32)
    bm25 = lex["both", "bm25"]
    best = bm25.max()
    first = (bm25 / best if best > 0 else bm25) + lex["both", "char"]
    order = np.argsort(-first, kind="stable")
    trees = _shipped_trees()
    if trees is None:
        scores = first[order]
    else:
        x = _features(query, texts, lex, candidates, order)
        scores = 1 / (1 + np.exp(-trees.raw(x)))
    ranked = np.argsort(-scores, kind="stable")[:top]
    return [Hit(candidates[order[i]].id, round(float(scores[i]), 6)) for i in ranked]


def _merged(a, b) -> tuple[np.ndarray, np.ndarray]:
    """The (term, count) arrays of two texts' terms together."""
    terms, inverse = np.unique(np.concatenate([a[0], b[0]]), return_inverse=True)
    return terms, np.bincount(inverse, weights=np.concatenate([a[1], b[1]]))


def _flat(docs: list[tuple[np.ndarray, np.ndarray]], size: int):
    """All docs' (term, count) pairs in one array each, the doc of each pair, and the df."""
    ids = np.concatenate([d[0] for d in docs])
    counts = np.concatenate([d[1] for d in docs])
    doc = np.repeat(np.arange(len(docs)), [len(d[0]) for d in docs])
    return ids, counts, doc, np.bincount(ids, minlength=size)


def _bm25(q_counts: Counter, docs, size: int) -> np.ndarray:
    """BM25 of each doc for the query's distinct terms, as ``SparseScorer`` computes it."""
    n = len(docs)
    ids, tf, doc, df = _flat(docs, size)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    lengths = np.bincount(doc, weights=tf, minlength=n)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(lengths.mean(), 1e-9))
    in_query = np.zeros(size)
    in_query[list(q_counts)] = 1.0
    weights = tf * (BM25_K1 + 1) / (tf + norm[doc]) * idf[ids] * in_query[ids]
    return np.bincount(doc, weights=weights, minlength=n)


def _tfidf(q_counts: Counter, docs, size: int) -> np.ndarray:
    """Cosine of l2-normalised sublinear TF-IDF vectors, as ``SparseScorer`` computes it."""
    n = len(docs)
    ids, tf, doc, df = _flat(docs, size)
    idf = np.log((1 + n) / (1 + df)) + 1
    weights = (np.log(tf) + 1) * idf[ids]
    norms = np.sqrt(np.bincount(doc, weights=weights * weights, minlength=n))
    norms[norms == 0] = 1.0
    query = np.zeros(size)
    for term, count in q_counts.items():
        if df[term]:
            query[term] = (math.log(count) + 1) * idf[term]
    q_norm = float(np.sqrt(query @ query)) or 1.0
    return np.bincount(doc, weights=weights * query[ids], minlength=n) / (norms * q_norm)


def _features(query, texts, lex, candidates, order) -> np.ndarray:
    """One row of the re-ranker's features per candidate, in first-stage order."""
    cols = [lex[field, name][order] for field in FIELDS for name, *_ in SCORERS]
    emb = embeddings()
    q = emb.embed([query])[0]
    for field in FIELDS:
        # The index stores float16 vectors: round the same way for the same features.
        vectors = emb.embed([texts[field][i] for i in order]).astype(np.float16)
        cols.append(vectors.astype(np.float32) @ q)
    sims = np.stack(cols, axis=1)
    gaps = sims - sims.max(axis=0, keepdims=True)
    qn, qd = names(query), numbers(query)
    extra = []
    for rank, i in enumerate(order):
        c = candidates[i]
        both = " ".join((c.claim, c.title))
        cand_names = names(both)
        extra.append(
            (
                len(qn & cand_names) / (1 + len(cand_names)),
                len(qd & numbers(both)),
                np.log1p(rank),
                (len(c.claim) + len(c.title) + 1) / (1 + len(query)),
            )
        )
    return np.hstack([sims, gaps, np.array(extra, dtype=np.float64).reshape(len(order), 4)])
