"""Choose the score tiers (``CLAIM_TIER_HIGH`` / ``CLAIM_TIER_MEDIUM``) on news validation data.

    PYTHONPATH=$PWD .venv/bin/python -m training.tiers [--precision 0.9]

Reads only the ``dev`` split of ``training/data/news/articles.jsonl`` (the ``test`` split is
kept for the held-out figures) and scores it out of fold, exactly as ``training.news`` does
to choose the proposal threshold: GroupKFold by article, Platt calibration on the
out-of-fold decision values. A sentence is never scored by a head that saw its article.

- high: the lowest score from which every higher cut-off keeps precision >= ``--precision``
  (0.9 by default) on the check-worthy label, rounded up to two decimals. "Every higher
  cut-off", not just this one: precision over a score range is not monotone, and a tier
  boundary that is only good at one point would not survive a retrain.
- medium: the proposal threshold (the news head's own, chosen for recall >= 0.96 on the same
  out-of-fold scores): a medium claim is one the proposer would propose but is not sure of.
- low: below the proposal threshold (claims kept because a reviewer touched them, or scored
  by another scorer).

Prints both thresholds with each tier's share of the dev sentences and its precision.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction.scoring import MODELS_DIR

from .newsdata import NEWS_DATA, SUBJECTIVITY_DIR

PRECISION_TARGET = 0.9
# A high tier of one or two sentences says nothing: the cut-off must keep at least this many.
MIN_HIGH = 20


def high_threshold(
    y: np.ndarray, p: np.ndarray, *, precision: float = PRECISION_TARGET, min_count: int = MIN_HIGH
) -> float:
    """The lowest score t with precision >= ``precision`` at t and every higher cut-off."""
    order = np.argsort(-p, kind="stable")
    ys, ps = y[order], p[order]
    prec = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    best = None
    for i in range(min_count - 1, len(ys)):
        # Only cut where the score changes: ties go to the same tier.
        if i + 1 < len(ps) and ps[i + 1] == ps[i]:
            continue
        if prec[i] < precision:
            break
        best = ps[i]
    if best is None:
        raise ValueError(
            f"no cut-off keeps precision >= {precision} on the {min_count} best sentences"
        )
    return math.ceil(float(best) * 100) / 100


def tier_table(y: np.ndarray, p: np.ndarray, high: float, medium: float) -> list[dict]:
    """Per tier: sentences, share of all, precision (share check-worthy), recall."""
    rows = []
    for name, idx in (
        ("high", p >= high),
        ("medium", (p >= medium) & (p < high)),
        ("low", p < medium),
    ):
        n = int(idx.sum())
        rows.append(
            {
                "tier": name,
                "sentences": n,
                "share": round(n / len(y), 3),
                "precision": round(float(y[idx].mean()), 3) if n else None,
                "recall": round(float(y[idx].sum() / max(1, y.sum())), 3),
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tier thresholds chosen on the news dev split."""
    from extraction.newshead import NEWS_META_NAME, NewsHead
    from extraction.scoring import ModelScorer

    from .news import dev_problem, out_of_fold

    ap = argparse.ArgumentParser(prog="python -m training.tiers", description=__doc__)
    ap.add_argument("--news-data", type=Path, default=NEWS_DATA)
    ap.add_argument("--models", type=Path, default=MODELS_DIR)
    ap.add_argument("--precision", type=float, default=PRECISION_TARGET)
    args = ap.parse_args(argv)
    if not args.news_data.exists():
        print(f"news data not found: {args.news_data}")
        return 2
    problem = dev_problem(
        ModelScorer.from_dir(args.models), args.news_data, SUBJECTIVITY_DIR / "train.jsonl"
    )
    p, _ = out_of_fold(problem)
    medium = NewsHead.from_file(args.models / NEWS_META_NAME).threshold
    high = high_threshold(problem.y, p, precision=args.precision)
    print(
        f"news dev, out of fold: {len(p)} sentences in {len(set(problem.groups))} articles, "
        f"{int(problem.y.sum())} check-worthy"
    )
    print(f"CLAIM_TIER_HIGH={high}   (precision >= {args.precision} at and above it)")
    print(f"CLAIM_TIER_MEDIUM={medium}   (the news proposal threshold)")
    for row in tier_table(problem.y, p, high, medium):
        print(
            f"  {row['tier']:<6} {row['sentences']:>4} sentences ({row['share']:.1%}), "
            f"precision {row['precision']}, recall share {row['recall']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
