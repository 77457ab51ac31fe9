"""MAP@5 of a ranker on labelled queries (CheckThat! 2020 task 2), for training and benchmarks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def map_at_5(ranked: Sequence[Sequence[str]], relevant: Sequence[set[str]]) -> float:
    """Mean over queries of average precision over the top 5 (divided by min(|relevant|, 5))."""
    total = 0.0
    for ids, rel in zip(ranked, relevant, strict=True):
        hits, ap = 0, 0.0
        for k, ident in enumerate(ids[:5]):
            if ident in rel:
                hits += 1
                ap += hits / (k + 1)
        total += ap / min(len(rel), 5) if rel else 0.0
    return total / len(ranked) if ranked else 0.0


def read_queries(path: str | Path) -> list[dict]:
    """``{"id", "text", "relevant": [archive ids]}`` per line."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
