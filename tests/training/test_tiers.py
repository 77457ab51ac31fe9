"""training.tiers: the high tier is where precision stays above the target at every cut-off."""

from __future__ import annotations

import numpy as np
import pytest

from training.tiers import high_threshold, tier_table


def test_high_threshold_is_the_lowest_score_keeping_precision_at_every_higher_cut():
    p = np.linspace(1.0, 0.01, 100)
    y = np.array([1] * 40 + [0] + [1] * 9 + [0] * 50)
    # Over the 50 best precision is back at 49/50 = 0.98, but at the 41st (a negative, 40/41)
    # it dipped below: the tier ends at the 40th score, 0.61, not at 0.51.
    assert high_threshold(y, p, precision=0.98, min_count=20) == pytest.approx(0.61)
    assert high_threshold(y, p, precision=0.97, min_count=20) == pytest.approx(0.51)


def test_a_dip_above_the_cut_stops_the_search():
    p = np.linspace(1.0, 0.01, 100)
    y = np.array([0, 0, 0] + [1] * 97)  # the best three are wrong
    with pytest.raises(ValueError, match=r"no cut-off keeps precision >= 0\.99"):
        high_threshold(y, p, precision=0.99, min_count=20)


def test_tier_table_splits_every_sentence_once():
    p = np.array([0.9, 0.5, 0.2, 0.05])
    y = np.array([1, 1, 0, 0])
    rows = tier_table(y, p, high=0.43, medium=0.132)
    assert [r["sentences"] for r in rows] == [2, 1, 1]
    assert rows[0]["precision"] == 1.0 and rows[2]["precision"] == 0.0
