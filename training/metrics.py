"""The proposer's metrics, computed in the project (the model card's figures come from here).

Same definitions as the shared task's ``score_proposer.py``, checked against it on the
training run's out-of-fold predictions (every figure equal to 4 decimals, the precision the
card and the metadata keep):

- precision, recall, F1 of the positive class and macro F1 at a threshold (score >=
  threshold is positive), 0 where a ratio has an empty denominator;
- average precision pooled over all rows and ROC-AUC (scikit-learn's definitions; NaN when a
  class is absent, as the script gives);
- for rows grouped by debate, the CheckThat! ranking figures averaged over debates: MAP,
  mean R-precision, mean reciprocal rank and mean P@k. Inside a debate the lines are ranked
  by score with a stable sort over line order, as the official CLEF-2019 scorer does, so ties
  keep line order; a debate's AP is the sum of the precisions at its relevant ranks over its
  number of relevant lines (0 without any), and P@k of a debate shorter than k divides by k.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

P_AT_K = (1, 3, 5, 10, 20, 50)


def at_threshold(y: np.ndarray, s: np.ndarray, threshold: float) -> dict:
    """Precision, recall and F1 of the positive class, and macro F1, at ``threshold``."""
    from sklearn.metrics import precision_recall_fscore_support

    y = np.asarray(y, dtype=int)
    pred = (np.asarray(s, dtype=float) >= threshold).astype(int)
    p, r, f, _ = precision_recall_fscore_support(
        y, pred, labels=[1, 0], average=None, zero_division=0.0
    )
    return {
        "precision": float(p[0]),
        "recall": float(r[0]),
        "f1": float(f[0]),
        "macro_f1": float((f[0] + f[1]) / 2),
        "predicted_positive": int(pred.sum()),
    }


def pooled_ranking(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """(average precision, ROC-AUC) over all rows; NaN where a class is missing."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    positives = int(y.sum())
    ap = float(average_precision_score(y, s)) if positives else math.nan
    auc = float(roc_auc_score(y, s)) if 0 < positives < len(y) else math.nan
    return ap, auc


def debate_ranking(labels: Sequence[int], scores: Sequence[float]) -> dict:
    """AP, reciprocal rank, R-precision and P@k of one debate, lines in line order."""
    ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)  # stable
    rel = [labels[i] for i in ranked]
    positives = sum(labels)
    hits, precisions, rr = 0, [], 0.0
    for rank, r in enumerate(rel, 1):
        if r == 1:
            hits += 1
            precisions.append(hits / rank)
            if rr == 0.0:
                rr = 1.0 / rank
    return {
        "ap": sum(precisions) / positives if precisions else 0.0,
        "rr": rr,
        "r_precision": sum(rel[:positives]) / positives if positives else 0.0,
        "p_at": {k: sum(rel[:k]) / k for k in P_AT_K},
        "positives": positives,
    }


def score(
    y: Sequence[int],
    s: Sequence[float],
    threshold: float,
    groups: Sequence[str] | None = None,
    line_numbers: Sequence[int] | None = None,
) -> dict:
    """All figures for scores ``s`` in [0, 1] against labels ``y`` (the script's JSON keys).

    With ``groups`` the per-debate ranking figures are added; ``line_numbers`` give the line
    order inside a debate (file order without them).
    """
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    if len(y) != len(s):
        raise ValueError(f"{len(y)} labels but {len(s)} scores")
    if not np.all(np.isfinite(s)) or np.any((s < 0) | (s > 1)):
        raise ValueError("scores must be finite numbers in [0, 1]")
    ap, auc = pooled_ranking(y, s)
    res: dict = {
        "n": len(y),
        "positives": int(y.sum()),
        "threshold": threshold,
        "at_threshold": at_threshold(y, s, threshold),
        "average_precision": ap,
        "roc_auc": auc,
    }
    if groups is None:
        return res
    by_debate: dict[str, list[int]] = {}
    for k, g in enumerate(groups):
        by_debate.setdefault(g, []).append(k)
    per = []
    for idx in by_debate.values():
        if line_numbers is not None:
            idx = sorted(idx, key=lambda k: line_numbers[k])
        per.append(debate_ranking([int(y[k]) for k in idx], [float(s[k]) for k in idx]))
    n = len(per)
    res["debates"] = n
    res["debates_without_positives"] = sum(1 for v in per if v["positives"] == 0)
    res["MAP"] = sum(v["ap"] for v in per) / n
    res["mean_r_precision"] = sum(v["r_precision"] for v in per) / n
    res["mean_rr"] = sum(v["rr"] for v in per) / n
    res["mean_p_at"] = {str(k): sum(v["p_at"][k] for v in per) / n for k in P_AT_K}
    return res
