"""Reads for the matches endpoints."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from matching.models import ClaimMatch


def claim_match_rows(*, claim_id: int, active_only: bool = True) -> QuerySet[ClaimMatch]:
    """All active matches of a claim, best first, as value rows (for the paginated endpoint)."""
    rows = ClaimMatch.objects.filter(Q(claim_id=claim_id) | Q(other_id=claim_id))
    if active_only:
        rows = rows.filter(unlinked_at__isnull=True)
    return rows.order_by("-similarity", "id").values(
        "id",
        "claim_id",
        "other_id",
        "claim__article_id",
        "other__article_id",
        "similarity",
        "relation",
        "state",
        "confidence",
        "explanation",
    )
