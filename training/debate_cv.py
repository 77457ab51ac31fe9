"""Debate-grouped cross-validation of the debate model, with no leak across debates (#17).

    PYTHONPATH=$PWD .venv/bin/python -m training.debate_cv [--data PATH] [--folds 6]

Why: ``train`` reports CheckThat! 2019 MAP 0.254 from GroupKFold by debate, but the text
head that feeds those folds was fitted on every ClaimBuster row, and ClaimBuster holds most
lines of three CheckThat! debates (the 2016 presidential debates: ~740 of their ~3,700 lines
match a ClaimBuster row). Lines of a "held-out" debate were therefore scored by a head that
had seen them, labelled, and the figure did not survive held-out data (0.149).

Here every fold holds out whole CheckThat! debates *and* every ClaimBuster row that matches
a line of them (same words, or at least half of its word 5-grams): the text head (the linear
student on hard labels; no teacher, whose logits were fitted on all of ClaimBuster) is
refitted on what remains, the context head on the remaining debates' lines, and both use
the hyperparameters ``training.fit`` fixed beforehand: nothing is tuned on a reported fold.
The ClaimBuster rows matched to the held-out debates are scored by the same head, a
debate-grouped ClaimBuster figure (the stratified one shares debates between folds).

Also printed: the shipped model on the debates ClaimBuster does not cover (its text head
never saw them; its context head did, four weights), a cheap check of the same question.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction.scoring import MODELS_DIR, ModelScorer

from . import metrics
from .cli import DEFAULT_DATA
from .data import CB_SOURCE, CLEF_SOURCE, doc_items, load_rows
from .fit import fit_context_head, fit_text_head, sigmoid

SHINGLE = 5
MATCH_SHARE = 0.5
DEFAULT_FOLDS = 6


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shingles(text: str) -> set[str]:
    w = _words(text)
    return {" ".join(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)} or {" ".join(w)}


def match_debates(cb: Sequence[dict], clef: Sequence[dict]) -> list[str | None]:
    """For each ClaimBuster row, the CheckThat! debate one of whose lines it repeats, or None."""
    index: dict[str, set[str]] = defaultdict(set)
    for r in clef:
        for s in _shingles(r["text"]):
            index[s].add(r["group"])
    out: list[str | None] = []
    for r in cb:
        sh = _shingles(r["text"])
        votes = Counter(g for s in sh for g in index.get(s, ()))
        best = votes.most_common(1)
        out.append(best[0][0] if best and best[0][1] / len(sh) >= MATCH_SHARE else None)
    return out


def run(data: Path, folds: int, log=print) -> dict:
    from sklearn.model_selection import GroupKFold

    t0 = time.time()
    rows = load_rows(data)
    cb = [r for r in rows if r["source"] == CB_SOURCE]
    clef = [r for r in rows if r["source"] == CLEF_SOURCE]
    cb_debate = match_debates(cb, clef)
    covered = Counter(d for d in cb_debate if d)
    log(f"ClaimBuster rows matching a CheckThat! debate: {sum(covered.values())} {dict(covered)}")
    items = doc_items(clef)
    y = np.array([r["label"] for r in clef])
    groups = [r["group"] for r in clef]
    lines = [r["line_number"] for r in clef]
    cb_y = np.array([r["label"] for r in cb])
    emb = ModelScorer.from_dir(MODELS_DIR).text.emb

    text_oof = np.zeros(len(clef))
    ctx_oof = np.zeros(len(clef))
    cb_scores: dict[int, float] = {}
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(y, y, groups)):
        held = {groups[i] for i in te}
        keep = [i for i, d in enumerate(cb_debate) if d not in held]
        head = fit_text_head([cb[i]["text"] for i in keep], cb_y[keep], emb)
        uniq = sorted({t for it in items for t in (it.text, it.prev_text, it.next_text) if t})
        nb = dict(zip(uniq, head.logits(uniq).tolist(), strict=True))
        logit = np.array([nb[it.text] for it in items])
        ctx = fit_context_head([items[i] for i in tr], logit[tr], nb, y[tr])
        text_oof[te] = logit[te]
        ctx_oof[te] = logit[te] + ctx.shift([items[i] for i in te], nb)
        matched = [i for i, d in enumerate(cb_debate) if d in held]
        if matched:
            scored = head.logits([cb[i]["text"] for i in matched])
            cb_scores.update(zip(matched, scored.tolist(), strict=True))
        log(f"  fold {k + 1}/{folds}: held out {sorted(held)} ({time.time() - t0:.0f}s)")

    def ranked(s: np.ndarray) -> dict:
        r = metrics.score(y, sigmoid(s), 0.5, groups, lines)
        return {"MAP": round(r["MAP"], 4), "debates": r["debates"], **debate_spread(y, s, groups)}

    out = {
        "checkthat_text_only": ranked(text_oof),
        "checkthat_text_context": ranked(ctx_oof),
    }
    m = sorted(cb_scores)
    if m:
        r = metrics.score(cb_y[m], sigmoid(np.array([cb_scores[i] for i in m])), 0.5)
        out["claimbuster_matched_rows"] = {
            "n": len(m),
            "positives": int(cb_y[m].sum()),
            "average_precision": round(r["average_precision"], 4),
            "f1_at_0.5": round(r["at_threshold"]["f1"], 4),
        }
    out["shipped_on_debates_without_claimbuster"] = shipped_on_uncovered(clef, items, covered)
    return out


def debate_spread(y: np.ndarray, s: np.ndarray, groups: Sequence[str]) -> dict:
    """How much one debate's AP varies: MAP over a few debates is a noisy figure."""
    by: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by[g].append(i)
    aps = np.array([metrics.debate_ranking(list(y[ix]), list(s[ix]))["ap"] for ix in by.values()])
    return {
        "ap_min": round(float(aps.min()), 3),
        "ap_median": round(float(np.median(aps)), 3),
        "ap_max": round(float(aps.max()), 3),
        "map_standard_error": round(float(aps.std(ddof=1) / np.sqrt(len(aps))), 4),
    }


def shipped_on_uncovered(clef: Sequence[dict], items, covered: Counter) -> dict:
    """The shipped model on debates with (almost) no ClaimBuster overlap."""
    scorer = ModelScorer.from_dir(MODELS_DIR)
    size = Counter(r["group"] for r in clef)
    uncovered = {g for g in size if covered.get(g, 0) < 0.05 * size[g]}
    idx = [i for i, r in enumerate(clef) if r["group"] in uncovered]
    sub = [items[i] for i in idx]
    y = np.array([clef[i]["label"] for i in idx])
    g = [clef[i]["group"] for i in idx]
    ln = [clef[i]["line_number"] for i in idx]
    ctx = np.array(scorer.score(sub))
    txt = sigmoid(scorer.text.logits([it.text for it in sub]))
    return {
        "debates": len(uncovered),
        "lines": len(idx),
        "MAP_text_only": round(metrics.score(y, txt, 0.5, g, ln)["MAP"], 4),
        "MAP_text_context": round(metrics.score(y, ctx, 0.5, g, ln)["MAP"], 4),
        **debate_spread(y, ctx, g),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    for key, value in run(args.data, args.folds).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
