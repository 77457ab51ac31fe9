"""dashboard.services.stats_refresh: the aggregate rows for a desk with fixed timestamps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard import latency
from dashboard.models import (
    BacklogCount,
    DailyClaimStats,
    DailyReviewerStats,
    DailyVerdictLatency,
    StatsRefresh,
)
from dashboard.services import stats_refresh
from tests.dashboard.conftest import HERALD, NOW, TIMES, at, claim, verdict
from tests.factories import ArticleFactory

D = lambda day, month=3: date(2026, month, day)  # noqa: E731

EXPECTED_DAILY = {
    "proposed": {
        (D(1), HERALD, "", 2, 0),
        (D(2), TIMES, "", 1, 0),
        (D(10), TIMES, "", 1, 0),
        (D(5), HERALD, "", 1, 0),
        (D(20, 2), HERALD, "", 1, 0),
    },
    "verdict": {
        (D(1), HERALD, "verified", 1, 0),
        (D(3), HERALD, "disputed", 1, 0),
        (D(4), HERALD, "verified", 1, 0),
        (D(2), TIMES, "dismissed", 1, 0),
    },
    # The re-review on the 4th is not a first verdict; seconds: 6 h, 48 h, 30 min.
    "first_verdict": {
        (D(1), HERALD, "verified", 1, 6 * 3600),
        (D(3), HERALD, "disputed", 1, 48 * 3600),
        (D(2), TIMES, "dismissed", 1, 1800),
    },
    # Attributed to the later claim's outlet (c3 and c4 are both in the Valley Times).
    "match": {(D(2), TIMES, "", 1, 0)},
    "conflict": {(D(9), TIMES, "", 1, 0)},
}


def daily(kind: str, *, totals: bool = False) -> set[tuple]:
    return set(
        DailyClaimStats.objects.filter(kind=kind, all_sources=totals).values_list(
            "day", "source", "status", "count", "seconds"
        )
    )


@pytest.mark.parametrize("kind", list(EXPECTED_DAILY))
def test_full_rebuild_counts_each_kind_per_day_and_source(desk, kind):
    stats_refresh(days=None, now=NOW)
    assert daily(kind) == EXPECTED_DAILY[kind]


@pytest.mark.parametrize("kind", list(EXPECTED_DAILY))
def test_all_sources_rows_are_the_sums_over_sources(desk, kind):
    stats_refresh(days=None, now=NOW)
    sums: dict[tuple, list[int]] = {}
    for day, _source, status, count, seconds in EXPECTED_DAILY[kind]:
        entry = sums.setdefault((day, status), [0, 0])
        entry[0] += count
        entry[1] += seconds
    expected = {(day, "", status, n, sec) for (day, status), (n, sec) in sums.items()}
    assert daily(kind, totals=True) == expected


def test_reviewer_throughput_counts_every_verdict_by_who_gave_it(desk):
    stats_refresh(days=None, now=NOW)
    rows = set(
        DailyReviewerStats.objects.filter(all_sources=False).values_list(
            "day", "source", "reviewer_id", "count"
        )
    )
    assert rows == {
        (D(1), HERALD, desk.rita.pk, 1),
        (D(4), HERALD, desk.rita.pk, 1),
        (D(2), TIMES, desk.rita.pk, 1),
        (D(3), HERALD, desk.omar.pk, 1),
    }


def test_latency_histogram_holds_each_first_verdict_in_its_bin(desk):
    stats_refresh(days=None, now=NOW)
    rows = set(
        DailyVerdictLatency.objects.filter(all_sources=False).values_list(
            "day", "source", "bucket", "count"
        )
    )
    assert rows == {
        (D(1), HERALD, latency.bucket(6 * 3600), 1),
        (D(3), HERALD, latency.bucket(48 * 3600), 1),
        (D(2), TIMES, latency.bucket(1800), 1),
    }


@pytest.mark.parametrize(
    ("source", "bucket", "count"),
    [
        (TIMES, 0, 1),  # c4: 6 hours old
        (HERALD, 2, 1),  # c5: 5 days old
        (HERALD, 3, 1),  # c6: 18 days old
    ],
)
def test_backlog_counts_open_claims_by_age_bucket(desk, source, bucket, count):
    stats_refresh(days=None, now=NOW)
    assert BacklogCount.objects.get(source=source, status="proposed", bucket=bucket).count == count
    assert BacklogCount.objects.count() == 3


def test_refresh_is_idempotent_and_records_when_it_ran(desk):
    stats_refresh(days=None, now=NOW)
    first = {kind: daily(kind) for kind in EXPECTED_DAILY}
    state = stats_refresh(days=None, now=NOW)
    assert {kind: daily(kind) for kind in EXPECTED_DAILY} == first
    state = StatsRefresh.objects.get()
    assert state.refreshed_at == NOW and state.rebuilt_at == NOW and state.refreshed_from is None


def test_recent_refresh_recomputes_only_its_days_and_picks_up_new_events(desk):
    stats_refresh(days=None, now=NOW)
    # A new claim and verdict today, and an old row made wrong on purpose (the 1st): a refresh
    # of the last two days picks up the first and leaves the 1st alone.
    new = claim(ArticleFactory(source=HERALD), 0, at(10, 8))
    verdict(new, "verified", desk.rita, at(10, 9))
    DailyClaimStats.objects.filter(day=D(1), kind="proposed", all_sources=False).update(count=99)
    state = stats_refresh(days=2, now=NOW)
    assert state.refreshed_from == D(9)
    assert DailyClaimStats.objects.get(day=D(1), kind="proposed", source=HERALD).count == 99
    assert DailyClaimStats.objects.get(day=D(10), kind="proposed", source=HERALD).count == 1
    assert (
        DailyClaimStats.objects.get(day=D(10), kind="first_verdict", source=HERALD).seconds == 3600
    )
    assert daily("conflict") == EXPECTED_DAILY["conflict"]  # the 9th, recomputed, unchanged
    assert BacklogCount.objects.filter(source=HERALD).count() == 2
    # The rebuild puts the 1st right again.
    stats_refresh(days=None, now=NOW + timedelta(minutes=5))
    assert DailyClaimStats.objects.get(day=D(1), kind="proposed", source=HERALD).count == 2


def test_first_verdict_before_the_refreshed_days_is_not_counted_again(desk):
    # c2's first verdict was on the 3rd; its re-review on the 4th is inside a refresh of
    # the last 7 days from the 10th (the 4th to the 10th), and is no first verdict there.
    stats_refresh(days=7, now=NOW)
    assert daily("verdict") == {(D(4), HERALD, "verified", 1, 0)}
    assert daily("first_verdict") == set()
