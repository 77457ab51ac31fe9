"""The pure matcher never raises on what newsrooms write: property-based and regression tests.

One sentence ("He served as mayor from 2010-2014, then resigned") used to raise a TypeError in
``_quantities`` and cost its whole article its matches. Hypothesis writes figures, ranges,
dates and units in the ways articles do (and in ways they should not) around punctuation.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extraction.matching import _number, analyse, compare, normalise

# derandomize: CI draws the same examples every run, so a red build names a change, not a seed
# (a random draw once found a 4,301-digit ordinal day, now pinned by an @example below).
PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def _grouped(n: int) -> str:
    return f"{n:,}"


integers = st.integers(min_value=0, max_value=10**15)
figures = st.one_of(
    integers.map(str),
    integers.map(_grouped),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False).map(str),
    st.text(alphabet="0123456789,.", min_size=1, max_size=12),  # "1.2.3", "1,,0", "5,"
    st.integers(min_value=300, max_value=6000).map(lambda n: "9" * n),  # beyond float / int()
)
separators = st.sampled_from(["-", "\u2013", " to ", "—", " - ", "-to-", ""])
punctuation = st.sampled_from(["", ",", ".", ";", ":", ")", "%", ",,", "!", "…", "'s", "-"])
units = st.sampled_from(
    ["", " km", " kilometres", " m", " miles", " %", " percent", " per cent", " million",
     " billion", " bn", " k", " thousand", " people", " residents", " troops", " days",
     " hours", " years", " dollars", " euros", " mln", "th", "st", " sq km"]
)  # fmt: skip
currencies = st.sampled_from(["", "$", "€", "£", "USD "])
months = st.sampled_from(["January", "may", "Aug.", "sept", "December", "June", "MARCH"])
dates = st.one_of(
    st.tuples(st.integers(0, 99), months, st.integers(0, 9999)).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    ),
    st.tuples(months, st.integers(0, 99), st.integers(0, 9999)).map(
        lambda t: f"{t[0]} {t[1]}, {t[2]}"
    ),
    st.tuples(st.integers(1, 40), st.sampled_from(["st", "nd", "rd", "th"]), months).map(
        lambda t: f"{t[0]}{t[1]} {t[2]}"
    ),
)
expressions = st.one_of(
    st.tuples(currencies, figures, units, punctuation).map("".join),
    st.tuples(currencies, figures, separators, currencies, figures, units, punctuation).map(
        "".join
    ),
    st.tuples(dates, punctuation).map("".join),
    st.sampled_from(["twenty-seven", "six", "a dozen", "one hundred", "a century", "WWII"]),
)
words = st.sampled_from(
    ["He", "served", "as", "mayor", "from", "then", "resigned", "about", "over", "more than",
     "the", "town", "of", "evacuated", "were", "killed", "in", "and", "Kursk", "said", "on"]
)  # fmt: skip
sentences = st.lists(st.one_of(words, expressions), min_size=1, max_size=14).map(" ".join)


def assert_figures_are_numbers(text: str) -> None:
    for q in analyse(text).quantities:
        assert isinstance(q.low, float) and isinstance(q.high, float), q
        assert math.isfinite(q.low) and math.isfinite(q.high), q
        assert q.unit and q.text, q


@PROPERTY_SETTINGS
@given(sentences)
@example("on " + "9" * 4301 + "th may 2024")  # int() refuses digit strings over 4,300 long
@example("may " + "9" * 5000 + "st")
def test_analyse_never_raises_on_figures_ranges_dates_and_units(text):
    assert_figures_are_numbers(text)
    normalise(text)


@PROPERTY_SETTINGS
@given(st.text(max_size=200))
def test_analyse_never_raises_on_any_text(text):
    assert_figures_are_numbers(text)


@PROPERTY_SETTINGS
@given(sentences, sentences)
def test_compare_never_raises_and_decides_a_known_relation(a, b):
    decision = compare(analyse(a), analyse(b))
    if decision is not None:
        assert decision.relation in ("same", "conflict")
        assert 0.0 <= decision.similarity <= 1.0 + 1e-9


@PROPERTY_SETTINGS
@given(st.one_of(figures, st.text(max_size=30)))
def test_number_is_a_finite_float_or_none(token):
    value = _number(token)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


# The crash sentence of issue #18 and its relatives: each must parse, with these figures (a
# range of years is a span of time, never a count).
@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("He served as mayor from 2010-2014, then resigned.", []),
        ("He served as mayor from 2010\u20132014, then resigned.", []),
        ("He served from 2010 to 2014, then resigned.", []),
        ("Between 5,000-6,000, residents fled the town.", [(5000, 6000)]),
        ("Some 3 to 5, people were hurt.", [(3, 5)]),
        ("Prices rose 10-15%, officials said.", [(10, 15)]),
        ("The project cost $2-3 million, then more.", [(2e6, 3e6)]),
        ("He served as mayor from 2010-2014; then he resigned.", []),
        ("Version 1.2.3 people use was released.", [(1.2, 1.2)]),
        ("Over 76,000, residents left.", [(76000, 76000)]),
    ],
)
def test_ranges_followed_by_punctuation_parse(text, figures):
    found = [(q.low, q.high) for q in analyse(text).quantities if q.unit != "date"]
    assert found == [(float(a), float(b)) for a, b in figures]


@pytest.mark.parametrize(
    "text",
    [
        "1" * 400 + " people died.",  # beyond a float
        "1" * 400 + " billion people died.",
        "1" * 5000 + " August.",  # beyond int()'s digit limit
        "It cost $1.2.3 million.",
        "1,,000 people left.",
        "Ranges like 5,-6, people.",
    ],
)
def test_figures_that_are_not_numbers_are_skipped(text):
    assert_figures_are_numbers(text)
