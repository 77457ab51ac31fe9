"""The threshold and the cross-validated figures of the model card."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import metrics

BALANCED_REPS = 10  # class-balanced subsamples scored for the "balanced" figures
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
THRESHOLD_SMOOTHING = 3  # grid steps either side


def balanced_subsamples(y: np.ndarray, reps: int, seed: int) -> list[np.ndarray]:
    """Index sets with every positive and as many random negatives (seeded)."""
    rng = np.random.default_rng(seed)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    return [
        np.sort(np.concatenate([pos, rng.choice(neg, size=len(pos), replace=False)]))
        for _ in range(reps)
    ]


def f1_at(y: np.ndarray, s: np.ndarray, threshold: float) -> float:
    pred = s >= threshold
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_threshold(y: np.ndarray, s: np.ndarray, subsamples: list[np.ndarray]) -> float:
    """Threshold maximising mean F1 over class-balanced subsamples of OOF scores.

    The F1 curve is flat near its top (within 0.001 over a 0.1-wide band), so its raw
    argmax jumps with the last bits of the weights; the argmax of the curve smoothed over
    +-THRESHOLD_SMOOTHING grid steps picks the middle of the plateau and stays put.
    """
    mean_f1 = np.array(
        [np.mean([f1_at(y[i], s[i], t) for i in subsamples]) for t in THRESHOLD_GRID]
    )
    w = THRESHOLD_SMOOTHING
    padded = np.pad(mean_f1, w, mode="edge")
    smooth = np.convolve(padded, np.ones(2 * w + 1) / (2 * w + 1), mode="valid")
    return float(THRESHOLD_GRID[int(np.argmax(smooth))])


def evaluate(
    ids: Sequence[str],
    y: np.ndarray,
    s: np.ndarray,
    threshold: float,
    groups: Sequence[str] | None = None,
    line_numbers: Sequence[int] | None = None,
    keep_dir: Path | None = None,
    name: str = "oof",
) -> dict:
    """Score predictions with ``metrics.score``; with ``keep_dir``, also keep them as JSONL.

    The kept files (``<name>.pred.jsonl``: id, score; ``<name>.gold.jsonl``: id, label and,
    for debates, group and line_number) are what the shared task's scorer reads, so the
    figures can be checked outside the project.
    """
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        pred, gold = keep_dir / f"{name}.pred.jsonl", keep_dir / f"{name}.gold.jsonl"
        with open(pred, "w") as fp, open(gold, "w") as fg:
            for k, i in enumerate(ids):
                fp.write(json.dumps({"id": i, "score": float(s[k])}) + "\n")
                g = {"id": i, "label": int(y[k])}
                if groups is not None:
                    g["group"] = groups[k]
                if line_numbers is not None:
                    g["line_number"] = line_numbers[k]
                fg.write(json.dumps(g) + "\n")
    return metrics.score(y, s, threshold, groups=groups, line_numbers=line_numbers)


def summarise(res: dict) -> dict:
    """The figures the metadata and the card keep, rounded to 4 decimals."""
    t = res["at_threshold"]
    out = {
        "n": res["n"],
        "positives": res["positives"],
        "precision": t["precision"],
        "recall": t["recall"],
        "f1": t["f1"],
        "macro_f1": t["macro_f1"],
        "average_precision": res["average_precision"],
        "roc_auc": res["roc_auc"],
    }
    if "MAP" in res:
        out.update(
            MAP=res["MAP"],
            mean_r_precision=res["mean_r_precision"],
            p_at_5=res["mean_p_at"]["5"],
            debates=res["debates"],
        )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def cv_metrics(
    cb: Sequence[dict],
    cb_y: np.ndarray,
    cb_scores: tuple[np.ndarray, np.ndarray, np.ndarray],
    clef: Sequence[dict],
    clef_y: np.ndarray,
    clef_scores: tuple[np.ndarray, np.ndarray],
    threshold: float,
    subs: list[np.ndarray],
    oof_dir: Path | None = None,
) -> dict:
    """The card's figures from out-of-fold scores, all at the blend's threshold.

    ``cb_scores``: the blended text head, the linear and the conv student alone, on the
    ClaimBuster rows; ``clef_scores``: text + context and text head only on the CheckThat!
    lines (ranked per debate).
    """
    cb_ids = [r["id"] for r in cb]
    blend, linear, conv = cb_scores

    def balanced(scores: np.ndarray, name: str | None) -> dict:
        per_sub = [
            summarise(
                evaluate(
                    [cb_ids[i] for i in idx],
                    cb_y[idx],
                    scores[idx],
                    threshold,
                    keep_dir=oof_dir if name else None,
                    name=f"{name}_{n}" if name else "oof",
                )
            )
            for n, idx in enumerate(subs)
        ]
        out = {
            key: round(float(np.mean([p[key] for p in per_sub])), 4)
            for key in ("precision", "recall", "f1", "average_precision", "roc_auc")
        }
        out["f1_sd"] = round(float(np.std([p["f1"] for p in per_sub])), 4)
        out["subsamples"] = len(subs)
        out["n"] = per_sub[0]["n"]
        return out

    metrics: dict = {}
    metrics["claimbuster_balanced"] = balanced(blend, "claimbuster_balanced")
    # What each student scores alone (its own logit; the threshold is the blend's).
    metrics["claimbuster_balanced_linear_only"] = balanced(linear, None)
    metrics["claimbuster_balanced_conv_only"] = balanced(conv, None)
    metrics["claimbuster_all_oof"] = summarise(
        evaluate(cb_ids, cb_y, blend, threshold, keep_dir=oof_dir, name="claimbuster_all")
    )
    clef_ids = [r["id"] for r in clef]
    groups = [r["group"] for r in clef]
    lines = [r["line_number"] for r in clef]
    for key, scores in zip(("checkthat_context", "checkthat_text_only"), clef_scores, strict=True):
        metrics[key] = summarise(
            evaluate(
                clef_ids,
                clef_y,
                scores,
                threshold,
                groups=groups,
                line_numbers=lines,
                keep_dir=oof_dir,
                name=key,
            )
        )
    return metrics
