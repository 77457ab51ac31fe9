"""The dashboard's rows: per-day aggregates of the desk's work, rebuilt from claims and matching.

Nothing here is a source of truth. Every row is derived from ``Claim``, ``ClaimStatusChange``
and ``ClaimMatch`` by ``dashboard.services`` and can be thrown away and rebuilt
(``manage.py dashboard_rebuild``); the periodic task recomputes only the last few days. The
page reads these small tables instead of counting a million claims per request.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class StatKind(models.TextChoices):
    # Claims proposed (created) that day; status empty.
    PROPOSED = "proposed", "Claims proposed"
    # Status changes to a verdict that day (re-reviews included), by the verdict given.
    VERDICT = "verdict", "Verdicts given"
    # A claim's first verdict that day, by that verdict; ``seconds`` sums created→verdict.
    FIRST_VERDICT = "first_verdict", "First verdicts"
    # Claim matches found that day ("same" links and conflicting figures); status empty.
    MATCH = "match", "Matches found"
    CONFLICT = "conflict", "Conflicts found"


class DailyClaimStats(models.Model):
    """How many events of one kind happened on one day for one source (article outlet)."""

    day = models.DateField()
    source = models.CharField(max_length=200, blank=True)
    # True: the sum over every source (source is then ""); what the unfiltered page reads.
    all_sources = models.BooleanField(default=False)
    kind = models.CharField(max_length=16, choices=StatKind.choices)
    status = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)
    # FIRST_VERDICT only: sum of seconds from the claim's creation to its first verdict.
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["all_sources", "day", "kind", "source", "status"],
                name="daily_claim_stats_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=StatKind.values), name="daily_claim_stats_kind_valid"
            ),
        ]
        # The page's reads: the all-sources rows of a date range (the unique index) or one
        # source's range (the second index, which the source list reads too).
        indexes = [models.Index(fields=["source", "day"], name="daily_claim_stats_source")]
        verbose_name_plural = "daily claim stats"

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.source or '-'} {self.status}: {self.count}"


class DailyReviewerStats(models.Model):
    """Verdicts one reviewer gave on one day, per source: the per-reviewer throughput."""

    day = models.DateField()
    source = models.CharField(max_length=200, blank=True)
    all_sources = models.BooleanField(default=False)
    # A plain id, not a foreign key: a deleted user's past work still counts (shown by id).
    reviewer_id = models.IntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["all_sources", "day", "source", "reviewer_id"],
                name="daily_reviewer_stats_unique",
            ),
        ]
        indexes = [models.Index(fields=["source", "day"], name="daily_reviewer_stats_source")]
        verbose_name_plural = "daily reviewer stats"

    def __str__(self) -> str:
        return f"{self.day} reviewer {self.reviewer_id} {self.source or '-'}: {self.count}"


class DailyVerdictLatency(models.Model):
    """A histogram of created→first-verdict times per day and source (dashboard.latency bins)."""

    day = models.DateField()
    source = models.CharField(max_length=200, blank=True)
    all_sources = models.BooleanField(default=False)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["all_sources", "day", "source", "bucket"],
                name="daily_verdict_latency_unique",
            ),
        ]
        indexes = [models.Index(fields=["source", "day"], name="daily_latency_source")]

    def __str__(self) -> str:
        return f"{self.day} {self.source or '-'} bin {self.bucket}: {self.count}"


class BacklogCount(models.Model):
    """Open claims by source, status and age bucket at the last refresh (a snapshot)."""

    source = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=32)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "status", "bucket"], name="backlog_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source or '-'} {self.status} age bin {self.bucket}: {self.count}"


class SourceDeadlines(models.Model):
    """Overdue and due-for-recheck claims of one source at the last refresh.

    The page counts both live for all sources (through the claim_due and claim_expiry
    indexes); one source's count needs each claim's article, which no index holds, so it is
    taken here, as of the last refresh.
    """

    source = models.CharField(max_length=200, unique=True)
    overdue = models.PositiveIntegerField(default=0)
    due_for_recheck = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source or '-'}: {self.overdue} overdue, {self.due_for_recheck} to re-check"


class StatsRefresh(models.Model):
    """The one row refreshes lock (so two never interleave) and the page's "as of" time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # The days the last refresh recomputed, and when the whole history was last rebuilt.
    refreshed_from = models.DateField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    took_ms = models.PositiveIntegerField(default=0)
    # Bumped by every refresh: caches of what the aggregates hold (the source list) key on it.
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="stats_refresh_singleton")]

    def __str__(self) -> str:
        return f"stats refreshed at {self.refreshed_at}"
