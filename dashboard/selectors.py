"""Reads of the dashboard: a fixed handful of queries over the aggregate tables, whatever the range.

Only two counts touch the claims table itself, each through an index made for it: overdue
claims (``claim_due``: status, due_at) and verdicts due for re-check (``claim_expiry``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from dashboard import latency
from dashboard.models import (
    BacklogCount,
    DailyClaimStats,
    DailyReviewerStats,
    DailyVerdictLatency,
    SourceDeadlines,
    StatKind,
    StatsRefresh,
)
from dashboard.services import AGE_BUCKETS, VERDICT_STATUSES

# Ranges up to this many days are shown per day; longer ones per week (Monday to Sunday).
DAILY_UP_TO_DAYS = 62
SOURCES_CACHE_SECONDS = 300


@dataclass
class DashboardData:
    """Everything the page shows for one range and source, as plain numbers."""

    start: date
    end: date
    source: str
    weekly: bool
    days: list[date]
    periods: list[date]
    proposed_by_day: list[int]
    reviewed_by_day: list[int]
    verdicts_by_period: dict[str, list[int]]
    first_verdicts_by_period: list[int]
    median_seconds_by_period: list[float | None]
    mean_seconds_by_period: list[float | None]
    median_seconds: float | None
    first_verdicts: int
    reviewers: list[tuple[str, int]]
    backlog: dict[str, list[int]]
    matches_by_period: list[int]
    conflicts_by_period: list[int]
    overdue: int
    due_for_recheck: int
    refreshed_at: datetime | None
    # False: overdue and due-for-recheck are one source's, as of the last refresh.
    deadlines_live: bool = True
    totals: dict[str, int] = field(default_factory=dict)


def refresh_state() -> StatsRefresh | None:
    """The refresh row (when the aggregates were last computed), or None before the first."""
    return StatsRefresh.objects.filter(pk=1).first()


def source_choices(state: StatsRefresh | None) -> list[str]:
    """The sources the aggregates know, sorted; cached until the next refresh."""
    key = f"dashboard:sources:{state.runs if state else 0}"
    sources = cache.get(key)
    if sources is None:
        sources = list(
            DailyClaimStats.objects.filter(all_sources=False)
            .order_by("source")
            .values_list("source", flat=True)
            .distinct()
        )
        cache.set(key, sources, SOURCES_CACHE_SECONDS)
    return sources


def _capped_count(qs) -> int:
    """A live count that stops at DASHBOARD_LIVE_COUNT_CAP + 1 (shown as "1,000+").

    Through its index a count costs one index entry per row counted: a desk that let a
    hundred thousand claims run overdue must not make the page slow as well.
    """
    cap = settings.DASHBOARD_LIVE_COUNT_CAP
    return qs[: cap + 1].count()


def period_of(day: date, weekly: bool) -> date:
    """The first day of the period a day falls in (itself, or its week's Monday)."""
    return day - timedelta(days=day.weekday()) if weekly else day


def dashboard_data(
    *,
    start: date,
    end: date,
    source: str = "",
    state: StatsRefresh | None = None,
    now: datetime | None = None,
) -> DashboardData:
    """The dashboard's numbers for days start..end (inclusive) and one source ("" = all)."""
    now = now or timezone.now()
    weekly = (end - start).days + 1 > DAILY_UP_TO_DAYS
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    periods = sorted({period_of(d, weekly) for d in days})
    day_index = {d: i for i, d in enumerate(days)}
    period_index = {p: i for i, p in enumerate(periods)}

    def in_range(qs):
        qs = qs.filter(day__gte=start, day__lte=end)
        if source:
            return qs.filter(all_sources=False, source=source)
        return qs.filter(all_sources=True)

    proposed = [0] * len(days)
    reviewed = [0] * len(days)
    verdicts = {s: [0] * len(periods) for s in VERDICT_STATUSES}
    firsts = [0] * len(periods)
    first_seconds = [0] * len(periods)
    matches = [0] * len(periods)
    conflicts = [0] * len(periods)
    for row in (
        in_range(DailyClaimStats.objects)
        .values("day", "kind", "status")
        .annotate(n=Sum("count"), s=Sum("seconds"))
        .order_by()
    ):
        d, kind, n = row["day"], row["kind"], row["n"] or 0
        p = period_index[period_of(d, weekly)]
        if kind == StatKind.PROPOSED:
            proposed[day_index[d]] += n
        elif kind == StatKind.VERDICT:
            reviewed[day_index[d]] += n
            verdicts.setdefault(row["status"], [0] * len(periods))[p] += n
        elif kind == StatKind.FIRST_VERDICT:
            firsts[p] += n
            first_seconds[p] += row["s"] or 0
        elif kind == StatKind.MATCH:
            matches[p] += n
        elif kind == StatKind.CONFLICT:
            conflicts[p] += n

    # Latency histograms summed per period in the database: at most periods x BINS rows.
    latency_rows = in_range(DailyVerdictLatency.objects)
    group = "day"
    if weekly:
        latency_rows, group = latency_rows.annotate(period=TruncWeek("day")), "period"
    histograms: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[int, int] = defaultdict(int)
    for row in latency_rows.values(group, "bucket").annotate(n=Sum("count")).order_by():
        value = row[group]
        if isinstance(value, datetime):
            value = value.date()
        p = period_index.get(period_of(value, weekly))
        if p is None:
            continue
        histograms[p][row["bucket"]] += row["n"]
        overall[row["bucket"]] += row["n"]
    medians = [
        latency.median(histograms[i]) if i in histograms else None for i in range(len(periods))
    ]
    means = [first_seconds[i] / firsts[i] if firsts[i] else None for i in range(len(periods))]

    reviewer_rows = list(
        in_range(DailyReviewerStats.objects)
        .values("reviewer_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "reviewer_id")
    )
    names = dict(
        get_user_model()
        .objects.filter(pk__in=[r["reviewer_id"] for r in reviewer_rows])
        .values_list("pk", "username")
    )
    reviewers = [
        (names.get(r["reviewer_id"], f"user #{r['reviewer_id']}"), r["n"]) for r in reviewer_rows
    ]

    backlog_statuses = [s for s in ClaimStatus.values if s not in VERDICT_STATUSES]
    backlog = {s: [0] * len(AGE_BUCKETS) for s in backlog_statuses}
    backlog_rows = BacklogCount.objects.all()
    if source:
        backlog_rows = backlog_rows.filter(source=source)
    for row in backlog_rows.values("status", "bucket").annotate(n=Sum("count")).order_by():
        backlog.setdefault(row["status"], [0] * len(AGE_BUCKETS))[row["bucket"]] += row["n"]

    if source:
        deadlines = SourceDeadlines.objects.filter(source=source).first()
        overdue = deadlines.overdue if deadlines else 0
        expired = deadlines.due_for_recheck if deadlines else 0
    else:
        # Only the indexed column is read, so PostgreSQL answers from the index alone.
        overdue = _capped_count(
            Claim.objects.filter(status=ClaimStatus.PROPOSED, due_at__lt=now).values("due_at")
        )
        expired = _capped_count(Claim.objects.filter(expires_at__lt=now).values("expires_at"))

    data = DashboardData(
        start=start,
        end=end,
        source=source,
        weekly=weekly,
        days=days,
        periods=periods,
        proposed_by_day=proposed,
        reviewed_by_day=reviewed,
        verdicts_by_period=verdicts,
        first_verdicts_by_period=firsts,
        median_seconds_by_period=medians,
        mean_seconds_by_period=means,
        median_seconds=latency.median(overall) if overall else None,
        first_verdicts=sum(firsts),
        reviewers=reviewers,
        backlog=backlog,
        matches_by_period=matches,
        conflicts_by_period=conflicts,
        overdue=overdue,
        due_for_recheck=expired,
        deadlines_live=not source,
        refreshed_at=state.refreshed_at if state else None,
    )
    data.totals = {
        "proposed": sum(proposed),
        "reviewed": sum(reviewed),
        "backlog": sum(sum(v) for v in backlog.values()),
        "matches": sum(matches),
        "conflicts": sum(conflicts),
    }
    return data
