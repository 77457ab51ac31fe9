"""Reads for the claims API: querysets with their joins, so a page is a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import Claim, ClaimStatusChange, Evidence

# The article's text and sentence scores are large and never shown in claim lists.
_ARTICLE_DEFERRED = ("article__body", "article__sentence_scores", "article__proposal_error")


def claim_list_queryset() -> QuerySet[Claim]:
    """Claims with their article and people joined (one query per page)."""
    return Claim.objects.select_related("article", "assignee", "reviewed_by").defer(
        *_ARTICLE_DEFERRED
    )


def claim_detail_queryset() -> QuerySet[Claim]:
    """Claims with their article, people and evidence (two queries per claim)."""
    return claim_list_queryset().prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("added_by"))
    )


def claim_history(*, claim_id: int) -> QuerySet[ClaimStatusChange]:
    """A claim's status changes, oldest first, with their evidence."""
    return (
        ClaimStatusChange.objects.filter(claim_id=claim_id)
        .select_related("changed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("version", "id")
    )


def claim_latest_note(*, claim_id: int) -> str:
    """The note of the change that set the claim's current status."""
    change = ClaimStatusChange.objects.filter(claim_id=claim_id).order_by("-version", "-id").first()
    return change.note if change else ""
