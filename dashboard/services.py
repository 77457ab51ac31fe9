"""Writes of the dashboard: recompute the aggregate tables from claims and matching.

``stats_refresh(days=N)`` recomputes the last N days (what the periodic task does every few
minutes) and ``stats_refresh(days=None)`` the whole history (``manage.py dashboard_rebuild``,
and nightly). Both replace the rows of the days they cover inside one transaction, under a lock
on the single ``StatsRefresh`` row: running one twice, or two at once, gives the same rows.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from claims.models import Claim, ClaimStatus, ClaimStatusChange
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
from matching.models import ClaimMatch, MatchRelation

logger = logging.getLogger(__name__)

# A verdict is any decision a reviewer takes on a claim, dismissal ("not a claim") included.
VERDICT_STATUSES = [
    ClaimStatus.VERIFIED,
    ClaimStatus.DISPUTED,
    ClaimStatus.UNCONFIRMED,
    ClaimStatus.DISMISSED,
]
# Ages of open claims, in days: [0, 1), [1, 3), [3, 7), [7, ∞).
AGE_BUCKETS = [(0, 1, "< 1 day"), (1, 3, "1-3 days"), (3, 7, "3-7 days"), (7, None, "> 7 days")]


def open_statuses() -> list[str]:
    """Statuses that leave a claim in the backlog: every status that is not a verdict."""
    return [s for s in ClaimStatus.values if s not in VERDICT_STATUSES]


def stats_refresh(*, days: int | None, now: datetime | None = None) -> StatsRefresh:
    """Recompute the last ``days`` days of aggregates (None: all of them) and the backlog."""
    now = now or timezone.now()
    began = time.perf_counter()
    first = None if days is None else timezone.localdate(now) - timedelta(days=max(days, 1) - 1)
    with transaction.atomic():
        StatsRefresh.objects.get_or_create(pk=1)
        # Two refreshes (beat's and a manual rebuild) would otherwise both delete the same
        # days and then both insert them: the second insert fails on the unique keys.
        state = StatsRefresh.objects.select_for_update().get(pk=1)
        _replace_days(first)
        _replace_backlog(now)
        state.refreshed_at = now
        state.refreshed_from = first
        if first is None:
            state.rebuilt_at = now
        state.runs += 1
        state.took_ms = round((time.perf_counter() - began) * 1000)
        state.save()
    if first is None and connection.vendor == "postgresql":
        # A rebuild replaces every row: fresh planner statistics before the next page view
        # (autovacuum would get there, minutes later, after slow plans on stale estimates).
        with connection.cursor() as cursor:
            for model in (DailyClaimStats, DailyReviewerStats, DailyVerdictLatency):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    logger.info(
        "dashboard stats refreshed from %s in %d ms", first or "the beginning", state.took_ms
    )
    return state


def _since(qs, field: str, first: date | None):
    if first is None:
        return qs
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    return qs.filter(**{f"{field}__gte": start})


def _replace_days(first: date | None) -> None:
    for model in (DailyClaimStats, DailyReviewerStats, DailyVerdictLatency):
        rows = model.objects.all() if first is None else model.objects.filter(day__gte=first)
        rows.delete()

    stats: list[DailyClaimStats] = []

    # Claims proposed per day. A claim created on or after `first` was also last updated on or
    # after it (updated_at is auto_now), so the extra updated_at bound lets PostgreSQL use the
    # changes-feed index (updated_at, id) instead of reading every claim.
    claims = Claim.objects.all()
    if first is not None:
        claims = _since(_since(claims, "updated_at", first), "created_at", first)
    for row in (
        claims.annotate(day=TruncDate("created_at"))
        .values("day", source=F("article__source"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        stats.append(
            DailyClaimStats(
                day=row["day"], source=row["source"], kind=StatKind.PROPOSED, count=row["n"]
            )
        )

    verdicts = _since(
        ClaimStatusChange.objects.filter(to_status__in=VERDICT_STATUSES), "changed_at", first
    )
    for row in (
        verdicts.annotate(day=TruncDate("changed_at"))
        .values("day", "to_status", source=F("claim__article__source"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        stats.append(
            DailyClaimStats(
                day=row["day"],
                source=row["source"],
                kind=StatKind.VERDICT,
                status=row["to_status"],
                count=row["n"],
            )
        )

    _save(
        DailyReviewerStats,
        [
            DailyReviewerStats(
                day=row["day"],
                source=row["source"],
                reviewer_id=row["changed_by_id"],
                count=row["n"],
            )
            for row in verdicts.filter(changed_by__isnull=False)
            .annotate(day=TruncDate("changed_at"))
            .values("day", "changed_by_id", source=F("claim__article__source"))
            .annotate(n=Count("id"))
            .order_by()
        ],
        keys=("day", "reviewer_id"),
    )

    stats.extend(_first_verdicts(verdicts))

    for row in (
        _since(ClaimMatch.objects.all(), "created_at", first)
        .annotate(day=TruncDate("created_at"))
        # The match's second claim is the one found later (ids grow): its article's outlet.
        .values("day", "relation", source=F("other__article__source"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        kind = StatKind.CONFLICT if row["relation"] == MatchRelation.CONFLICT else StatKind.MATCH
        stats.append(
            DailyClaimStats(day=row["day"], source=row["source"], kind=kind, count=row["n"])
        )
    _save(DailyClaimStats, stats, keys=("day", "kind", "status"), sums=("count", "seconds"))


def _save(model, rows: list, *, keys: tuple[str, ...], sums: tuple[str, ...] = ("count",)) -> None:
    """Insert per-source rows and, beside them, their sums over all sources.

    The unfiltered page (the usual one) then reads one row per day and kind instead of one
    per source: a year is a few thousand rows whatever the number of outlets.
    """
    totals: dict[tuple, dict[str, int]] = {}
    for row in rows:
        key = tuple(getattr(row, k) for k in keys)
        entry = totals.setdefault(key, dict.fromkeys(sums, 0))
        for field_name in sums:
            entry[field_name] += getattr(row, field_name)
    rows.extend(
        model(all_sources=True, source="", **dict(zip(keys, key, strict=True)), **values)
        for key, values in totals.items()
    )
    model.objects.bulk_create(rows, batch_size=5000)


def _first_verdicts(verdicts) -> list[DailyClaimStats]:
    """FIRST_VERDICT rows (count, seconds) and the latency histograms of the same verdicts."""
    earlier = ClaimStatusChange.objects.filter(
        claim_id=OuterRef("claim_id"), to_status__in=VERDICT_STATUSES
    ).filter(
        Q(changed_at__lt=OuterRef("changed_at"))
        | Q(changed_at=OuterRef("changed_at"), id__lt=OuterRef("id"))
    )
    firsts = (
        verdicts.annotate(had_verdict=Exists(earlier))
        .filter(had_verdict=False)
        .values_list("changed_at", "to_status", "claim__created_at", "claim__article__source")
        .order_by()
    )
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    histogram: dict[tuple, int] = defaultdict(int)
    for changed_at, status, created_at, source in firsts.iterator(chunk_size=5000):
        day = timezone.localdate(changed_at)
        seconds = max(0, int((changed_at - created_at).total_seconds()))
        entry = counts[(day, source, status)]
        entry[0] += 1
        entry[1] += seconds
        histogram[(day, source, latency.bucket(seconds))] += 1
    _save(
        DailyVerdictLatency,
        [
            DailyVerdictLatency(day=day, source=source, bucket=b, count=n)
            for (day, source, b), n in histogram.items()
        ],
        keys=("day", "bucket"),
    )
    return [
        DailyClaimStats(
            day=day,
            source=source,
            kind=StatKind.FIRST_VERDICT,
            status=status,
            count=n,
            seconds=seconds,
        )
        for (day, source, status), (n, seconds) in counts.items()
    ]


def _replace_backlog(now: datetime) -> None:
    BacklogCount.objects.all().delete()
    buckets = {}
    for index, (low, high, _label) in enumerate(AGE_BUCKETS):
        q = Q(created_at__lte=now - timedelta(days=low))
        if high is not None:
            q &= Q(created_at__gt=now - timedelta(days=high))
        buckets[f"b{index}"] = Count("id", filter=q)
    rows = []
    for row in (
        Claim.objects.filter(status__in=open_statuses())
        .values("status", source=F("article__source"))
        .annotate(**buckets)
        .order_by()
    ):
        for index in range(len(AGE_BUCKETS)):
            if row[f"b{index}"]:
                rows.append(
                    BacklogCount(
                        source=row["source"],
                        status=row["status"],
                        bucket=index,
                        count=row[f"b{index}"],
                    )
                )
    BacklogCount.objects.bulk_create(rows, batch_size=2000)

    SourceDeadlines.objects.all().delete()
    deadlines: dict[str, SourceDeadlines] = {}
    overdue = Claim.objects.filter(status=ClaimStatus.PROPOSED, due_at__lt=now)
    for row in overdue.values(source=F("article__source")).annotate(n=Count("id")).order_by():
        deadlines[row["source"]] = SourceDeadlines(source=row["source"], overdue=row["n"])
    expired = Claim.objects.filter(expires_at__lt=now)
    for row in expired.values(source=F("article__source")).annotate(n=Count("id")).order_by():
        entry = deadlines.setdefault(row["source"], SourceDeadlines(source=row["source"]))
        entry.due_for_recheck = row["n"]
    SourceDeadlines.objects.bulk_create(deadlines.values(), batch_size=2000)
