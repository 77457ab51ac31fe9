"""training.metrics: the proposer's figures, by hand on small tables and against the shared
task's own scorer when ../shared is there."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from training import metrics
from training.evaluate import evaluate, summarise

# (name, labels, scores, threshold, precision, recall, f1, macro_f1)
THRESHOLD_TABLE = [
    ("perfect", [1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2], 0.5, 1.0, 1.0, 1.0, 1.0),
    # tp=1 fp=1 fn=1; negatives: tp=1 fp=1 fn=1 as well
    ("half right", [1, 1, 0, 0], [0.9, 0.2, 0.7, 0.1], 0.5, 0.5, 0.5, 0.5, 0.5),
    # score == threshold is positive
    ("at the threshold", [1, 0], [0.5, 0.49], 0.5, 1.0, 1.0, 1.0, 1.0),
    # nothing predicted positive: 0 where the denominator is empty; negatives P=1/2 R=1 F=2/3
    ("no positive predicted", [1, 0], [0.1, 0.2], 0.5, 0.0, 0.0, 0.0, 1 / 3),
]


@pytest.mark.parametrize(
    ("labels", "scores", "threshold", "p", "r", "f1", "macro"),
    [row[1:] for row in THRESHOLD_TABLE],
    ids=[row[0] for row in THRESHOLD_TABLE],
)
def test_figures_at_the_threshold(labels, scores, threshold, p, r, f1, macro):
    got = metrics.score(labels, scores, threshold)["at_threshold"]
    assert (got["precision"], got["recall"], got["f1"]) == pytest.approx((p, r, f1))
    assert got["macro_f1"] == pytest.approx(macro)


def test_pooled_average_precision_groups_tied_scores():
    # Ranked: 0.9 (pos), then a tie at 0.5 of one positive and one negative, then 0.1 (pos).
    # Ties form one threshold: recall 1/3 at P 1, 2/3 at P 2/3, 1 at P 3/4.
    res = metrics.score([1, 1, 0, 1], [0.9, 0.5, 0.5, 0.1], 0.5)
    assert res["average_precision"] == pytest.approx((1 + 2 / 3 + 3 / 4) / 3)
    # Pairs (pos, neg): 0.9 > 0.5, 0.5 = 0.5 counts half, 0.1 < 0.5.
    assert res["roc_auc"] == pytest.approx((1 + 0.5 + 0) / 3)


def test_one_class_only_gives_nan_ranking_figures_not_an_error():
    res = metrics.score([0, 0, 0], [0.2, 0.4, 0.9], 0.5)
    assert math.isnan(res["average_precision"]) and math.isnan(res["roc_auc"])
    res = metrics.score([1, 1], [0.2, 0.9], 0.5)
    assert res["average_precision"] == 1.0 and math.isnan(res["roc_auc"])


def test_debate_ranking_keeps_line_order_among_ties_and_averages_over_debates():
    # Debate "a" in file order 3, 1, 2 (line numbers); all scores tie, so the ranking is line
    # order 1, 2, 3 and the one positive (line 2) is at rank 2: AP 1/2, RR 1/2, R-prec 0.
    # Debate "b": positive first: AP 1, RR 1, R-prec 1; debate "c" has no positive: all 0.
    labels = [0, 0, 1, 1, 0, 0]
    scores = [0.3, 0.3, 0.3, 0.8, 0.2, 0.6]
    groups = ["a", "a", "a", "b", "b", "c"]
    lines = [3, 1, 2, 1, 2, 1]
    res = metrics.score(labels, scores, 0.5, groups=groups, line_numbers=lines)
    assert res["debates"] == 3
    assert res["debates_without_positives"] == 1
    assert res["MAP"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert res["mean_rr"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert res["mean_r_precision"] == pytest.approx((0 + 1 + 0) / 3)
    # P@1: 0, 1, 0; P@5 of short debates divides by 5: 1/5, 1/5, 0.
    assert res["mean_p_at"]["1"] == pytest.approx(1 / 3)
    assert res["mean_p_at"]["5"] == pytest.approx((0.2 + 0.2) / 3)
    # Without line numbers, file order breaks the tie: the positive is third in debate "a".
    res = metrics.score(labels, scores, 0.5, groups=groups)
    assert res["MAP"] == pytest.approx((1 / 3 + 1 + 0) / 3)


@pytest.mark.parametrize(
    ("labels", "scores", "message"),
    [
        ([1, 0], [0.5], "2 labels but 1 scores"),
        ([1, 0], [0.5, 1.5], "finite numbers in \\[0, 1\\]"),
        ([1, 0], [0.5, float("nan")], "finite numbers in \\[0, 1\\]"),
    ],
)
def test_bad_scores_are_refused_with_the_reason(labels, scores, message):
    with pytest.raises(ValueError, match=message):
        metrics.score(labels, scores, 0.5)


def test_kept_oof_files_are_what_the_figures_were_computed_from(tmp_path):
    ids, y, s = ["x", "y", "z"], np.array([1, 0, 1]), np.array([0.7, 0.4, 0.2])
    groups, lines = ["d", "d", "e"], [2, 1, 1]
    res = evaluate(ids, y, s, 0.5, groups=groups, line_numbers=lines, keep_dir=tmp_path)
    pred = [json.loads(line) for line in (tmp_path / "oof.pred.jsonl").read_text().splitlines()]
    gold = [json.loads(line) for line in (tmp_path / "oof.gold.jsonl").read_text().splitlines()]
    assert pred == [{"id": "x", "score": 0.7}, {"id": "y", "score": 0.4}, {"id": "z", "score": 0.2}]
    assert gold[0] == {"id": "x", "label": 1, "group": "d", "line_number": 2}
    assert res == metrics.score(y, s, 0.5, groups=groups, line_numbers=lines)


def _random_case(seed: int, n: int, grouped: bool):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    # Rounded scores: many ties, where the definitions differ most easily.
    s = np.round(np.clip(y * 0.25 + rng.random(n) * 0.75, 0, 1), 2)
    groups = [f"debate-{k}" for k in rng.integers(0, 6, n)] if grouped else None
    lines = [int(k) + 1 for k in rng.permutation(n)] if grouped else None
    return y, s, groups, lines


@pytest.mark.shared
@pytest.mark.parametrize(("seed", "grouped"), [(1, False), (2, True), (3, True)])
def test_figures_equal_the_shared_task_scorer(shared_dir, tmp_path, seed, grouped):
    script = shared_dir / "tools" / "score_proposer.py"
    y, s, groups, lines = _random_case(seed, 400, grouped)
    ids = [f"row-{k}" for k in range(len(y))]
    ours = evaluate(ids, y, s, 0.42, groups, lines, keep_dir=tmp_path, name="case")
    out = tmp_path / "theirs.json"
    subprocess.run(
        [
            sys.executable,
            str(script),
            "--pred",
            str(tmp_path / "case.pred.jsonl"),
            "--gold",
            str(tmp_path / "case.gold.jsonl"),
            "--threshold",
            "0.42",
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    theirs = json.loads(out.read_text())
    assert summarise(ours) == summarise(theirs)
    for key in ("average_precision", "roc_auc", "MAP", "mean_r_precision", "mean_rr"):
        if key in theirs:
            assert ours[key] == pytest.approx(theirs[key], abs=1e-12), key
    if grouped:
        assert ours["mean_p_at"] == pytest.approx(theirs["mean_p_at"], abs=1e-12)
