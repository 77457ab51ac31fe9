"""The matching state of an article (``ArticleMatching``): writes and the sweep's selector.

``matching.services.article_match_claims`` moves an article through pending → running → done or
failed; a run cut short by its time budget stays running while its continuation is queued.
The matching sweep (``matching.tasks.match_unmatched_claims``) reads ``articles_to_match``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from matching.models import ArticleMatching, MatchingState

logger = logging.getLogger(__name__)

# An error message is for people: the first few failing claims say enough.
_ERRORS_SHOWN = 5


def matching_begin(*, article_id: int, resume: bool) -> set[int]:
    """Mark the article's matching running; returns claim ids to skip (failed earlier this pass).

    A new pass (``resume`` False) counts an attempt and forgets the last pass's failures, so the
    sweep's retry compares those claims again; a continuation keeps both.
    """
    with transaction.atomic():
        row, _ = ArticleMatching.objects.select_for_update().get_or_create(article_id=article_id)
        if not resume or row.state != MatchingState.RUNNING:
            row.attempts += 1
            row.failed_claims = []
            row.error = ""
            row.started_at = timezone.now()
        row.state = MatchingState.RUNNING
        row.save()
    return set(row.failed_claims)


def matching_record_failures(*, article_id: int, failures: dict[int, str]) -> None:
    """Add claims whose comparison raised to the pass's failures (inside the chunk's write)."""
    if not failures:
        return
    row = ArticleMatching.objects.select_for_update().get(article_id=article_id)
    row.failed_claims = sorted(set(row.failed_claims) | set(failures))
    shown = [f"claim {pk}: {error}" for pk, error in sorted(failures.items())]
    row.error = "\n".join([*row.error.splitlines(), *shown][:_ERRORS_SHOWN])
    row.save(update_fields=["failed_claims", "error", "updated_at"])


def matching_finish(*, article_id: int) -> ArticleMatching:
    """End a pass: done, or failed when some claims could not be compared."""
    with transaction.atomic():
        row = ArticleMatching.objects.select_for_update().get(article_id=article_id)
        if row.failed_claims:
            row.state = MatchingState.FAILED
            count = len(row.failed_claims)
            summary = f"{count} claim{'s' if count != 1 else ''} could not be matched"
            if not row.error.startswith(summary):
                row.error = f"{summary}:\n{row.error}"
        else:
            row.state, row.error = MatchingState.DONE, ""
        row.finished_at = timezone.now()
        row.save()
    return row


def matching_mark_failed(*, article_id: int, error: str) -> None:
    """Record that a whole run failed (the sweep retries it while attempts remain)."""
    updated = ArticleMatching.objects.filter(article_id=article_id).update(
        state=MatchingState.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    if not updated:
        logger.info("article %s: no matching state to mark failed (article gone?)", article_id)


def matching_note_cap(*, article_id: int, over_cap: int) -> None:
    """Record how many proposals the per-article cap left out (0 clears an older note)."""
    if over_cap:
        ArticleMatching.objects.update_or_create(
            article_id=article_id, defaults={"claims_over_cap": over_cap}
        )
    else:
        ArticleMatching.objects.filter(article_id=article_id, claims_over_cap__gt=0).update(
            claims_over_cap=0
        )


def on_claims_proposed(sender, *, article_id: int, over_cap: int, **kwargs) -> None:
    """Receiver of ``claims.signals.claims_proposed`` (see ``MatchingConfig.ready``)."""
    matching_note_cap(article_id=article_id, over_cap=over_cap)


def matching_reset(*, article_ids: list[int]) -> int:
    """Give articles a fresh set of attempts (admin "retry matching"); the caller queues them."""
    return ArticleMatching.objects.filter(article_id__in=article_ids).update(
        attempts=0, state=MatchingState.PENDING
    )


def articles_to_match(*, older_than_seconds: int, limit: int = 500) -> list[int]:
    """Articles the matching sweep should queue: unmatched claims, and attempts left.

    Claims proposed over ``older_than_seconds`` ago and never matched (served by the partial
    index ``claim_unmatched``; the age keeps the sweep away from articles whose message is still
    on its way). Left out: articles whose matching gave up after CLAIM_MATCH_MAX_ATTEMPTS
    passes, and those running with recent progress (their continuation is queued).
    """
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    busy_or_spent = ArticleMatching.objects.filter(
        Q(state=MatchingState.RUNNING, updated_at__gte=cutoff)
        | Q(state=MatchingState.FAILED, attempts__gte=settings.CLAIM_MATCH_MAX_ATTEMPTS)
    ).values("article_id")
    return list(
        Claim.objects.filter(matched_at__isnull=True, created_at__lt=cutoff)
        # Dismissed claims are never matched: they alone must not re-queue their article.
        .exclude(status=ClaimStatus.DISMISSED)
        .exclude(article_id__in=busy_or_spent)
        .order_by()
        .values_list("article_id", flat=True)
        .distinct()[:limit]
    )


def article_matching_status(*, article_id: int) -> dict:
    """The article's matching state in the API shape (page and admin show the same fields)."""
    row = ArticleMatching.objects.filter(article_id=article_id).first()
    if row is None:
        row = ArticleMatching(article_id=article_id)
    note = ""
    if row.claims_over_cap:
        note = (
            f"Only the {settings.PROPOSAL_MAX_CLAIMS_PER_ARTICLE:,} highest-scoring claims were "
            f"proposed; {row.claims_over_cap:,} more were left out "
            "(PROPOSAL_MAX_CLAIMS_PER_ARTICLE)."
        )
    return {
        "state": row.state,
        "error": row.error,
        "failed_claims": list(row.failed_claims),
        "attempts": row.attempts,
        "finished_at": row.finished_at,
        "claims_over_cap": row.claims_over_cap,
        "note": note,
    }
