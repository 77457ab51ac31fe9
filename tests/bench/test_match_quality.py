"""bench/match_quality.py: the pair scoring and the non-count check it reports."""

import pytest

from bench import match_quality
from extraction.matching import analyse, corpus_weight
from tests.matching.corpus_news import DEV


@pytest.mark.parametrize(
    ("quantity", "span", "inside"),
    [
        ("1", "one of the largest", True),
        ("1", "No one", True),
        ("17", "17:55", True),
        ("1600", "1600s", True),
        ("2", "2023", False),  # "the two countries" is not the year
        ("40", "2017", False),
    ],
)
def test_a_figure_is_matched_to_the_non_count_span_it_came_from(quantity, span, inside):
    assert match_quality._overlaps(quantity, (span,)) is inside


def test_every_pair_is_scored_and_judged_once():
    story = DEV[:1]
    weight = corpus_weight(analyse(t) for s in story for a in s.articles for t, _ in a.sentences)
    rows = match_quality.evaluate(story, weight)["rows"]
    n = [len(a.sentences) for a in story[0].articles]
    assert len(rows) == sum(x * y for i, x in enumerate(n) for y in n[i + 1 :])
    assert all(0.0 <= r["score"] <= 1.0 for r in rows)
    # Conflicts and date-only tallies stay out of the same-fact question.
    assert {r["same_fact"] for r in rows if r["pair"].gold == "conflict"} == {None}
    counts = match_quality.conflicts(rows, {})
    assert counts["labelled"] == sum(r["pair"].gold == "conflict" for r in rows) > 0


def test_main_prints_both_splits(capsys):
    assert match_quality.main([]) == 0
    out = capsys.readouterr().out
    assert "== dev:" in out and "== held_out:" in out
    assert f"shipped threshold {match_quality.DEFAULT_SAME_THRESHOLD}" in out
