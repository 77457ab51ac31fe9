"""Reads for the claims API: querysets with their joins, so a page is a fixed number of queries."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from claims.models import ApprovalState, Claim, ClaimStatusChange, Evidence, VerdictApproval

# The few columns of the article and people a claim row shows, joined as plain values: a page
# of 50 builds 50 model instances, not 200 (article, assignee and reviewer each).
ROW_ANNOTATIONS = {
    "row_article_title": F("article__title"),
    "row_article_url": F("article__url"),
    "row_article_source": F("article__source"),
    "row_assignee": F("assignee__username"),
    "row_reviewed_by": F("reviewed_by__username"),
}


def claim_list_queryset() -> QuerySet[Claim]:
    """Claims with their article's and people's shown columns joined (one query per page)."""
    return Claim.objects.annotate(**ROW_ANNOTATIONS)


def claim_with_article_queryset() -> QuerySet[Claim]:
    """Claims with their whole article (the ClaimReview export needs its dates)."""
    return Claim.objects.select_related("article").defer(
        "article__body", "article__sentence_scores"
    )


def claim_detail_queryset() -> QuerySet[Claim]:
    """Claims with their article, people, evidence and pending verdict (three queries)."""
    return claim_list_queryset().prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
        Prefetch(
            "approvals",
            queryset=VerdictApproval.objects.filter(state=ApprovalState.PENDING).select_related(
                "submitted_by"
            ),
            to_attr="pending_approvals",
        ),
    )


def claim_history(*, claim_id: int) -> QuerySet[ClaimStatusChange]:
    """A claim's status changes, oldest first, with their evidence."""
    return (
        ClaimStatusChange.objects.filter(claim_id=claim_id)
        .select_related("changed_by", "submitted_by", "undoes")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("version", "id")
    )


def claim_latest_note(*, claim_id: int) -> str:
    """The note of the change that set the claim's current status."""
    change = ClaimStatusChange.objects.filter(claim_id=claim_id).order_by("-version", "-id").first()
    return change.note if change else ""
