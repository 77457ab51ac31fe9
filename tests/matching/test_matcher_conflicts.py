"""Figures that count something, hedges, "differs by date" and explanations (issue #18).

Table tests and hypothesis properties over the pure matcher; no database.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.matching import (
    analyse,
    compare,
    explanation_summary,
    find_conflicts,
    find_differences,
    same_confidence,
)

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def figures(text: str) -> list[tuple[float, float, str, str]]:
    return [
        (q.low, q.high, q.kind, q.qualifier) for q in analyse(text).quantities if q.unit != "date"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Numbers that count nothing.
        ("It is one of the largest prisons in Russia.", []),
        ("One of the bridges was closed.", []),
        ("No one was hurt in the blaze.", []),
        ("It was the first foreign army on Russian soil since 1945.", []),
        ("The 225th Assault Regiment was deployed.", []),
        ("He served as mayor from 2010-2014, then resigned.", []),
        ("The 17th-century bell tower collapsed.", []),
        ("The quake struck at 3:12 on Tuesday.", []),
        ("The train left at 5 pm and at 10 a.m. the next day.", []),
        ("Talks resumed at 09:30 GMT.", []),
        ("Dozens of homes were damaged.", []),
        # Numbers that do, with the words that say so.
        ("Four dozen people were evacuated.", [(48.0, 48.0, "evacuees", "")]),
        ("A dozen homes burned.", [(12.0, 12.0, "homes", "")]),
        ("Half a dozen soldiers were captured.", [(6.0, 6.0, "prisoners", "")]),
        ("One person died.", [(1.0, 1.0, "casualties", "")]),
        ("More than 76,000 people were evacuated.", [(76000.0, 76000.0, "evacuees", "over")]),
        ("76,000+ residents were evacuated.", [(76000.0, 76000.0, "evacuees", "over")]),
        ("Up to 40 firefighters were injured.", [(40.0, 40.0, "casualties", "under")]),
        ("About 200 people were injured.", [(200.0, 200.0, "casualties", "about")]),
        ("At least 14 people were killed.", [(14.0, 14.0, "casualties", "over")]),
        ("Handsome 30 homes were destroyed.", [(30.0, 30.0, "homes", "")]),
    ],
)
def test_only_figures_that_count_something_are_read(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "verdicts"),
    [
        # Two lower bounds can both hold.
        ("More than 76,000 were evacuated.", "Over 120,000 people were evacuated.", []),
        # A lower bound and a figure above it agree; below it, they cannot both hold.
        ("At least 27 people were killed.", "34 people were killed.", []),
        ("At least 27 people were killed.", "20 people were killed.", ["conflict"]),
        # An upper bound.
        ("Up to 40 homes were destroyed.", "35 homes were destroyed.", []),
        ("Up to 40 homes were destroyed.", "65 homes were destroyed.", ["conflict"]),
        # "About" allows a reporter's rounding (a tenth).
        ("About 200 people were injured.", "215 people were injured.", []),
        ("About 200 people were injured.", "300 people were injured.", ["conflict"]),
        ("2,400 residents were evacuated.", "3,100 people were evacuated.", ["conflict"]),
    ],
)
def test_hedged_figures_are_compared_as_ranges(a, b, verdicts):
    assert [v for _, _, v in find_differences(analyse(a), analyse(b))] == verdicts


@pytest.mark.parametrize(
    ("a", "b", "order", "verdicts"),
    [
        # The later article (order -1: a is earlier) gives a larger tally: it grew.
        (
            "2,400 residents were evacuated.",
            "3,100 people were evacuated.",
            -1,
            ["differs_by_date"],
        ),
        # The later gives a smaller one: a count revised down is worth a look.
        ("2,400 residents were evacuated.", "3,100 people were evacuated.", 1, ["conflict"]),
        # Cumulative lower bounds on different days, either order.
        ("More than 120,000 fled.", "More than 76,000 fled.", -1, ["differs_by_date"]),
        # A fixed figure (a distance) does not grow with the story.
        ("The epicentre lay 12 km north.", "The epicentre lay 25 km north.", -1, ["conflict"]),
        # Same day: plain comparison.
        ("2,400 residents were evacuated.", "3,100 people were evacuated.", 0, ["conflict"]),
    ],
)
def test_a_tally_that_grew_between_the_articles_dates_differs_by_date(a, b, order, verdicts):
    found = find_differences(analyse(a), analyse(b), order=order)
    assert [v for _, _, v in found] == verdicts


def test_compare_flags_differs_by_date_with_the_articles_dates_and_explains_it():
    a = analyse("Russian authorities reported the evacuation of over 76,000 residents from Kursk.")
    b = analyse("Officials said 120,000 residents have fled Kursk.")
    later = compare(a, b, story=0.5, published=(date(2024, 8, 10), date(2024, 8, 14)))
    assert later is not None and later.relation == "differs_by_date"
    revised_down = compare(a, b, story=0.5, published=(date(2024, 8, 14), date(2024, 8, 10)))
    assert revised_down is None or revised_down.relation != "conflict"  # a lower bound holds
    data = later.evidence.as_dict()
    assert data["differences"] == [
        {"mine": "76,000", "theirs": "120,000", "kind": "evacuees", "verdict": "differs_by_date"}
    ]
    assert "Kursk" in data["names"]
    assert explanation_summary(data).startswith(
        "Same names: Kursk; differs by date: 76,000 vs 120,000 (evacuees); similarity"
    )


def test_a_same_decision_explains_shared_names_figures_and_dates():
    a = analyse("On 6 August Ukrainian troops crossed into the Kursk region, taking 74 villages.")
    b = analyse("On August 6 Ukrainian forces entered Kursk and took 74 villages.")
    decision = compare(a, b)
    assert decision is not None and decision.relation == "same"
    ev = decision.evidence
    assert (ev.figures, ev.dates, ev.names) == (("74",), ("6 August",), ("Ukrainian", "Kursk"))
    assert decision.confidence == ev.confidence
    assert ev.summary().endswith(f"— confidence {decision.confidence:.2f}")


# --- Properties ------------------------------------------------------------------------------

count_nouns = st.sampled_from(["people", "homes", "soldiers", "residents", "firefighters"])


@PROPERTY_SETTINGS
@given(st.integers(min_value=1, max_value=99), count_nouns)
def test_n_dozen_counts_twelve_times_n(n, noun):
    (found,) = figures(f"Officials said {n} dozen {noun} were affected.")
    assert found[:2] == (n * 12.0, n * 12.0)


@PROPERTY_SETTINGS
@given(
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(["", " GMT", " UTC", " on Tuesday"]),
)
def test_a_clock_time_is_never_a_figure(hour, minute, suffix):
    assert figures(f"The blast came at {hour}:{minute:02d}{suffix}, witnesses said.") == []


@PROPERTY_SETTINGS
@given(
    st.integers(min_value=1900, max_value=2100),
    st.integers(min_value=1900, max_value=2100),
    st.sampled_from(["-", "\u2013", " to "]),
    st.sampled_from([",", ";", ".", ""]),
)
def test_years_alone_or_as_a_range_are_never_counts(start, end, dash, punctuation):
    assert figures(f"He served as mayor from {start}{dash}{end}{punctuation} then resigned.") == []
    assert figures(f"In {start}{punctuation} the dam was built.") == []


@PROPERTY_SETTINGS
@given(
    st.integers(min_value=1, max_value=10**7),
    st.integers(min_value=1, max_value=10**7),
    st.sampled_from(["More than", "At least", "Over"]),
    st.sampled_from(["More than", "At least", "Over"]),
)
def test_two_lower_bounds_never_conflict(x, y, hedge_a, hedge_b):
    a = analyse(f"{hedge_a} {x:,} people were evacuated from the valley.")
    b = analyse(f"{hedge_b} {y:,} people were evacuated from the valley.")
    assert find_conflicts(a, b) == []
    for order in (-1, 0, 1):
        assert all(v != "conflict" for _, _, v in find_differences(a, b, order=order))


@PROPERTY_SETTINGS
@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_grown_tally_across_days_is_never_a_conflict(x, y):
    earlier, later = sorted((x, y))
    a = analyse(f"{earlier:,} residents were evacuated from the valley.")
    b = analyse(f"{later:,} residents were evacuated from the valley.")
    assert all(v == "differs_by_date" for _, _, v in find_differences(a, b, order=-1))
    assert all(v == "differs_by_date" for _, _, v in find_differences(b, a, order=1))


@PROPERTY_SETTINGS
@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=10),
)
def test_confidence_is_in_the_unit_interval_and_grows_with_evidence(
    score, threshold, n_figures, n_dates, n_names
):
    c = same_confidence(
        score, same_threshold=threshold, figures=n_figures, dates=n_dates, names=n_names
    )
    assert 0.0 <= c <= 1.0
    more = same_confidence(
        score, same_threshold=threshold, figures=n_figures + 1, dates=n_dates, names=n_names
    )
    assert more >= c


@PROPERTY_SETTINGS
@given(st.text(max_size=200), st.text(max_size=200))
def test_compare_never_raises_and_its_confidence_is_bounded(a, b):
    decision = compare(analyse(a), analyse(b), published=(date(2024, 1, 1), None))
    if decision is not None:
        assert 0.0 <= decision.confidence <= 1.0
        assert decision.evidence is not None
        assert isinstance(explanation_summary(decision.evidence.as_dict()), str)
