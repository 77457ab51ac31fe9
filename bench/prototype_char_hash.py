"""Proposed fix, measured: the scorer's char n-gram tf-idf by vectorised rolling hashes.

``python -m bench.prototype_char_hash`` (pinned: ``taskset -c 0``). Not used by the app: it
patches ``TfidfTable.transform`` of the loaded char head in this process only, checks that
the features are identical, and prints CPU time per sentence before and after.

Why: profiling ``score_sentences`` shows the char 2-5-gram tf-idf as the largest cost of the
scorer: every sentence makes ~590 Python string slices, each looked up in a 52,646-entry
dict. Here the grams never become strings: the normalised batch is one array of code points,
each k-gram a 64-bit polynomial hash computed with numpy for all positions at once, matched
against the sorted hashes of the vocabulary with ``np.searchsorted``. Hashes of the
vocabulary are checked to be distinct at load; a foreign gram would need a 64-bit collision to
be miscounted.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from claims.extraction import features as F

P = np.uint64(1_000_003)
MIX = np.uint64(0x9E3779B97F4A7C15)


def _normalise(text: str) -> str:
    # Exactly char_ngrams' preprocessing.
    return " " + F._SPACE_RE.sub(" ", F._DIGIT_RE.sub("0", text.lower())).strip() + " "


def _hashes(cp: np.ndarray, k: int) -> np.ndarray:
    h = np.zeros(len(cp) - k + 1, dtype=np.uint64)
    for j in range(k):
        h = h * P + cp[j : len(cp) - k + 1 + j]
    return h ^ (MIX * np.uint64(k))


class HashedCharTable:
    """Drop-in for a char ``TfidfTable.transform``: same matrix, no per-gram Python work."""

    def __init__(self, table: F.TfidfTable) -> None:
        self.table = table
        hs = np.empty(len(table.terms), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i, term in enumerate(table.terms):
                cp = np.frombuffer(term.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
                hs[i] = _hashes(cp, len(term))[0]
        if len(np.unique(hs)) != len(hs):
            raise ValueError("vocabulary hashes collide")
        order = np.argsort(hs)
        self.sorted, self.ids = hs[order], order

    def transform(self, texts) -> sparse.csr_matrix:
        lo, hi = F.CHAR_NGRAM_RANGE
        norm = [_normalise(t) for t in texts]
        n_rows, n_cols = len(norm), len(self.table.terms)
        lengths = np.fromiter(map(len, norm), dtype=np.int64, count=n_rows)
        cp = np.frombuffer("".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        row = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        rows, ids = [], []
        with np.errstate(over="ignore"):
            for k in range(lo, hi + 1):
                h = _hashes(cp, k)
                inside = row[: len(h)] == row[k - 1 :]  # the gram does not cross two texts
                h, r = h[inside], row[: len(h)][inside]
                pos = np.searchsorted(self.sorted, h)
                pos[pos == len(self.sorted)] = 0
                hit = self.sorted[pos] == h
                rows.append(r[hit])
                ids.append(self.ids[pos[hit]])
        keys, counts = np.unique(
            np.concatenate(rows) * n_cols + np.concatenate(ids), return_counts=True
        )
        # From here on, the same arithmetic as TfidfTable.transform.
        row_of = keys // n_cols
        cols = keys - row_of * n_cols
        vals = (1.0 + np.log(counts)) * self.table.idf[cols]
        norms = np.sqrt(np.bincount(row_of, weights=vals**2, minlength=n_rows))
        norms[norms == 0] = 1.0
        vals = vals / norms[row_of]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=n_rows))))
        return sparse.csr_matrix((vals, cols, indptr), shape=(n_rows, n_cols))


def _cpu_per_item(fn, n_items: int, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.process_time()
        fn()
        best = min(best, time.process_time() - began)
    return best / n_items * 1e6


def main() -> None:
    from bench.offline import seed_sentences
    from bench.textgen import World, render
    from claims.extraction.scoring import load_scorer
    from claims.extraction.types import ScoringItem

    scorer = load_scorer("default")
    # Distinct texts (the scorer scores each distinct text once per batch): the seed
    # sentences plus generated ones.
    world = World(seed=3)
    texts = list(
        dict.fromkeys(seed_sentences() + [render(world.new_fact())[0] for _ in range(4000)])
    )
    items = [ScoringItem(text=t, doc=f"d{i // 40}") for i, t in enumerate(texts)]
    head = scorer.text
    fast = HashedCharTable(head.char)
    diff = abs(head.char.transform(texts) - fast.transform(texts)).max()
    before = {
        "char tf-idf": _cpu_per_item(lambda: head.char.transform(texts), len(texts)),
        "scorer.score": _cpu_per_item(lambda: scorer.score(items), len(texts)),
    }
    head.char.transform = fast.transform
    after = {
        "char tf-idf": _cpu_per_item(lambda: head.char.transform(texts), len(texts)),
        "scorer.score": _cpu_per_item(lambda: scorer.score(items), len(texts)),
    }
    print(f"{len(texts)} distinct sentences; max |difference| of the char features: {diff}")
    for name in before:
        print(
            f"{name:14s} {before[name]:7.1f} -> {after[name]:7.1f} us CPU/sentence "
            f"({1e6 / before[name]:,.0f} -> {1e6 / after[name]:,.0f} sentences per CPU second)"
        )


if __name__ == "__main__":
    import django

    django.setup()
    main()
