"""Publishing's reads: public pages, the claim page's publishing log, the corrections queue,
and the articles a correction reaches."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence
from matching.models import ClaimMatch, MatchRelation, MatchState
from publishing.models import (
    Correction,
    CorrectionTask,
    CorrectionTaskState,
    Publication,
    PublicationChange,
    PublicationState,
)


def public_url(path: str) -> str:
    """An absolute URL on the public site: SITE_URL, never the request's host."""
    return settings.SITE_URL + path


def fact_check_url(claim_id: int) -> str:
    """The public page of a claim's fact-check (absolute)."""
    return public_url(reverse("publishing:fact_check", args=[claim_id]))


def article_fact_checks_url(article_id: int) -> str:
    """The public page listing an article's fact-checks (absolute)."""
    return public_url(reverse("publishing:article", args=[article_id]))


def public_label(status: str) -> str:
    """The verdict in words, as readers see it (PUBLIC_VERDICT_LABELS)."""
    return settings.PUBLIC_VERDICT_LABELS.get(status, status.capitalize())


def publication_for_page(*, claim_id: int) -> Publication | None:
    """A claim's publication (published or withdrawn) with what its public page shows."""
    return (
        Publication.objects.select_related("claim__article")
        .prefetch_related(
            Prefetch("claim__evidence", queryset=Evidence.objects.order_by("added_at", "id")),
            Prefetch(
                "claim__corrections", queryset=Correction.objects.order_by("created_at", "id")
            ),
        )
        .filter(claim_id=claim_id)
        .first()
    )


def article_publications(*, article_id: int) -> list[Publication]:
    """An article's fact-checks as the public sees them: published first, then withdrawn."""
    return list(
        Publication.objects.select_related("claim__article")
        .filter(claim__article_id=article_id)
        .order_by("state", "claim__start")
    )


def publication_changes(*, claim_id: int) -> QuerySet[PublicationChange]:
    """A claim's publishing log, oldest first, with who did what."""
    return PublicationChange.objects.filter(claim_id=claim_id).select_related("user")


def affected_articles(*, claim: Claim) -> dict[int, int]:
    """Every article that carries the claim or an active same-fact match of it.

    ``{article_id: claim_id}`` (the claim in that article that repeats it). A confirmed "same"
    match not unlinked by a reviewer counts as the same fact (a suggestion does not, as it
    passes no verdict on); the claims that inherited the verdict are among them.
    """
    out = {claim.article_id: claim.pk}
    links = ClaimMatch.objects.filter(
        Q(claim_id=claim.pk) | Q(other_id=claim.pk),
        relation=MatchRelation.SAME,
        state=MatchState.CONFIRMED,
        unlinked_at__isnull=True,
    ).values_list("claim_id", "other_id")
    others = {b if a == claim.pk else a for a, b in links}
    inheritors = Claim.objects.filter(inherited_from_id=claim.pk).values_list("pk", flat=True)
    others.update(inheritors)
    others.discard(claim.pk)
    for pk, article_id in (
        Claim.objects.filter(pk__in=others).order_by("pk").values_list("pk", "article_id")
    ):
        out.setdefault(article_id, pk)
    return out


def correction_queue() -> QuerySet[CorrectionTask]:
    """Open "corrections to make", oldest first, with the claim, correction and article."""
    return (
        CorrectionTask.objects.filter(state=CorrectionTaskState.OPEN)
        .select_related("article", "claim", "correction__claim__article")
        .order_by("created_at", "id")
    )


def recently_closed_corrections(limit: int = 20) -> list[CorrectionTask]:
    """The last closed items, newest first (so an editor sees who closed what)."""
    return list(
        CorrectionTask.objects.filter(state=CorrectionTaskState.DONE)
        .select_related("article", "correction__claim", "closed_by")
        .order_by("-closed_at", "-id")[:limit]
    )


def correction_tasks_unemailed(*, older_than_seconds: int = 300, limit: int = 500) -> list[int]:
    """Corrections to make whose email never went out, for the sweep (oldest first)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        CorrectionTask.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def open_correction_task_count() -> int:
    """The navigation badge: open corrections to make."""
    return CorrectionTask.objects.filter(state=CorrectionTaskState.OPEN).count()


def can_see_corrections(user) -> bool:
    """Editors (who may change articles) and superusers work the corrections queue.

    A permission, not is_staff (reviewers may have is_staff to enter the admin), and not a
    group query: the permission cache the page already filled answers it, so the navigation
    costs no query per page.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm("articles.change_article")


def is_published(*, claim_id: int) -> bool:
    """Whether a claim's fact-check is public now (not withdrawn)."""
    return Publication.objects.filter(claim_id=claim_id, state=PublicationState.PUBLISHED).exists()
