"""The refresh task and the rebuild command: the same service, the same rows, run twice."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from dashboard.models import DailyClaimStats, StatsRefresh
from dashboard.tasks import rebuild_dashboard_stats, refresh_dashboard_stats
from tests.dashboard.conftest import NOW


def rows() -> set[tuple]:
    return set(
        DailyClaimStats.objects.values_list(
            "day", "source", "all_sources", "kind", "status", "count", "seconds"
        )
    )


@pytest.fixture
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def test_rebuild_task_and_command_write_the_same_rows_and_are_idempotent(desk, frozen_now):
    rebuild_dashboard_stats.apply().get()
    by_task = rows()
    assert by_task
    call_command("dashboard_rebuild", stdout=io.StringIO())
    assert rows() == by_task
    assert StatsRefresh.objects.get().runs == 2


def test_refresh_task_recomputes_the_recent_days(desk, frozen_now, settings):
    settings.DASHBOARD_STATS_RECENT_DAYS = 2
    refresh_dashboard_stats.apply().get()
    state = StatsRefresh.objects.get()
    assert str(state.refreshed_from) == "2026-03-09"
    assert {r[0].isoformat() for r in rows()} == {"2026-03-09", "2026-03-10"}


def test_rebuild_command_refuses_a_bad_day_count(db):
    with pytest.raises(CommandError, match="--days must be at least 1"):
        call_command("dashboard_rebuild", "--days", "0")
    assert not StatsRefresh.objects.exists()
