"""Reads for the desk's deadlines: the re-check queue, badge counts and the desk figures.

Counts are bounded (COUNT_CAP) or cached: a badge over a million claims must cost an index
range of at most a thousand entries, not a table scan.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from claims.deadlines import VERDICTS, expired_q, overdue_q
from claims.models import Claim, ClaimStatus, ClaimStatusChange
from claims.selectors import COUNT_CAP

RECHECK_PAGE_SIZE = 50
# The median time to verdict is taken over the verdicts of this window, at most this many.
FIGURES_WINDOW_DAYS = 30
FIGURES_SAMPLE = 5000


def capped_count(qs: QuerySet) -> int:
    """``qs.count()`` but stopping at COUNT_CAP + 1 (shown as "1,000+")."""
    return qs.order_by().values("pk")[: COUNT_CAP + 1].count()


def overdue_count() -> int:
    """Claims past their due time with no verdict, up to COUNT_CAP + 1 (the claim_due index)."""
    return capped_count(Claim.objects.filter(overdue_q()))


def expired_count() -> int:
    """Verdicts due for re-check, up to COUNT_CAP + 1 (the claim_expiry index)."""
    return capped_count(Claim.objects.filter(expired_q()))


@dataclass
class RecheckPage:
    claims: list[Claim]
    has_next: bool
    has_previous: bool

    @property
    def next_cursor(self) -> int | None:
        return self.claims[-1].pk if self.has_next and self.claims else None


def recheck_page(*, after_id: int | None = None, size: int = RECHECK_PAGE_SIZE) -> RecheckPage:
    """Expired verdicts, longest expired first: a keyset page over (expires_at, id)."""
    now = timezone.now()
    qs = Claim.objects.filter(expired_q(now))
    cursor = (
        Claim.objects.filter(pk=after_id).values_list("expires_at", flat=True).first()
        if after_id
        else None
    )
    if cursor is not None:
        # The leading bound gives PostgreSQL a range on the claim_expiry index.
        qs = qs.filter(
            Q(expires_at__gte=cursor)
            & (Q(expires_at__gt=cursor) | Q(expires_at=cursor, id__gt=after_id))
        )
    rows = list(
        qs.select_related("article", "reviewed_by").order_by("expires_at", "id")[: size + 1]
    )
    return RecheckPage(
        claims=rows[:size], has_next=len(rows) > size, has_previous=cursor is not None
    )


@dataclass(frozen=True)
class DeskFigures:
    # Median hours from proposal to first verdict over the last FIGURES_WINDOW_DAYS; None: none.
    median_hours_to_verdict: float | None
    verdicts_counted: int
    proposed: int
    overdue: int

    @property
    def share_overdue(self) -> float | None:
        """Overdue claims as a share of the claims to review (0..1), None when there are none."""
        return self.overdue / self.proposed if self.proposed else None


FIGURES_CACHE_KEY = "claims:desk-figures"


def desk_figures(*, fresh: bool = False) -> DeskFigures:
    """Median time to verdict and share overdue, cached DESK_FIGURES_CACHE_SECONDS."""
    if not fresh:
        cached = cache.get(FIGURES_CACHE_KEY)
        if isinstance(cached, DeskFigures):
            return cached
    now = timezone.now()
    durations = [
        (changed - created).total_seconds() / 3600
        for changed, created in ClaimStatusChange.objects.filter(
            changed_at__gte=now - timedelta(days=FIGURES_WINDOW_DAYS),
            from_status=ClaimStatus.PROPOSED,
            to_status__in=VERDICTS,
        )
        .order_by("-changed_at")
        .values_list("changed_at", F("claim__created_at"))[:FIGURES_SAMPLE]
    ]
    figures = DeskFigures(
        median_hours_to_verdict=round(statistics.median(durations), 1) if durations else None,
        verdicts_counted=len(durations),
        # Both ranges of the (status, due_at) index.
        proposed=Claim.objects.filter(status=ClaimStatus.PROPOSED).count(),
        overdue=Claim.objects.filter(overdue_q(now)).count(),
    )
    cache.set(FIGURES_CACHE_KEY, figures, settings.DESK_FIGURES_CACHE_SECONDS)
    return figures
