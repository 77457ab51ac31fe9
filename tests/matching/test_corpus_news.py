"""The labelled news corpus keeps its own rules, and its gold relations mean what the notes say."""

from datetime import date

import pytest

from tests.matching.corpus_news import DEV, HELD_OUT, check, pair_gold, parse_labels, shares_fact

DAY = date(2025, 8, 6)


def labels(spec: str, published: date = DAY, text: str = "one of the largest in 2017") -> object:
    return parse_labels(spec, published, text)


def test_corpus_has_no_rule_violations():
    assert check(DEV + HELD_OUT) == []


def test_corpus_size_and_split():
    stories = DEV + HELD_OUT
    assert len(stories) >= 8
    assert sum(len(s.articles) for s in stories) >= 35
    assert len({s.key for s in stories}) == len(stories)
    assert not {s.key for s in DEV} & {s.key for s in HELD_OUT}


@pytest.mark.parametrize(
    ("a", "b", "gold"),
    [
        # A lower bound and a figure above it on the same day agree.
        ("evacuees>=7500@", "evacuees~9000@", "same"),
        # Two tallies of one day that cannot both hold conflict.
        ("firefighters~600@", "firefighters~900@", "conflict"),
        # Days apart, the later higher: differs by date, not a conflict.
        ("evacuees~3000@2025-08-04", "evacuees~11000@2025-08-08", "date"),
        ("evacuees>=76000@2024-08-10", "evacuees>=120000@2024-08-14", "date"),
        ("evacuees>=7500@2025-08-06", "evacuees~11000@2025-08-08", "date"),
        # Days apart, the same figure: the same fact.
        ("deaths=23@2025-09-17", "deaths>=23@2025-09-18", "same"),
        # A level may fall between two days.
        ("helm-level=31%@@2025-08-11", "helm-level=29%@@2025-08-15", "date"),
        # A later tally lower than an earlier one is a revision: a conflict.
        ("injured=14@2025-11-21", "injured=11@2025-11-22", "conflict"),
        # Fixed figures conflict whatever the day.
        ("magnitude=6.1", "magnitude=5.9", "conflict"),
        # One agreeing value of a kind settles it.
        ("job-cuts=1200 job-cuts=1450", "job-cuts=1200", "same"),
        # Same figure kind name only: different subjects never meet.
        ("lorreta-planes=2", "baskor-planes=2", ""),
        ("water-claim", "water-denied", ""),
        ("fire-start burned~4000ha@2025-08-04", "fire-start burned~10000ha@", "date"),
    ],
)
def test_pair_gold(a, b, gold):
    assert pair_gold(labels(a), labels(b)) == gold


def test_a_pair_that_differs_by_date_still_shares_its_fact():
    a, b = labels("fire-start burned~4000ha@2025-08-04"), labels("fire-start burned~10000ha@")
    assert shares_fact(a, b)
    assert not shares_fact(labels("burned~4000ha@2025-08-04"), labels("burned~10000ha@"))


def test_tally_without_a_date_is_the_articles_day():
    (figure,) = labels("evacuees>=7500@").figures
    assert figure.asof == DAY
    (fixed,) = labels("cost=12_000_000eur").figures
    assert (fixed.asof, fixed.value, fixed.unit) == (None, 12_000_000, "eur")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Evacuees=3", "malformed label"),
        ("evacuees=three", "malformed label"),
        ("!second-largest", "not in"),
    ],
)
def test_bad_labels_are_named(spec, message):
    with pytest.raises(ValueError, match=message):
        labels(spec)


def test_non_count_span_is_read_with_spaces():
    assert labels("!one_of_the_largest !2017").non_counts == ("one of the largest", "2017")
