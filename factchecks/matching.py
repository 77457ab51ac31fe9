"""Matching claims against the archive: per article (after proposal) and the recent re-match.

Each claim is ranked on its own: one claim whose ranking raises is logged with its id and
recorded on the article's ``ArticleArchiveMatching`` (state failed, the error shown in the
admin, the API and on the claim page), and the article's other claims still get their hits.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from factchecks.models import ArchiveMatchingState, ArticleArchiveMatching
from factchecks.search import rank_archive
from factchecks.services import claim_set_fact_check_hits

logger = logging.getLogger(__name__)

_ERRORS_SHOWN = 5


def article_match_fact_checks(*, article_id: int) -> ArticleArchiveMatching:
    """Rank the archive for each of the article's claims and store the hits above threshold."""
    with transaction.atomic():
        row, _ = ArticleArchiveMatching.objects.select_for_update().get_or_create(
            article_id=article_id
        )
        row.state = ArchiveMatchingState.RUNNING
        row.attempts += 1
        row.save(update_fields=["state", "attempts", "updated_at"])
    claims = (
        Claim.objects.filter(article_id=article_id)
        .exclude(status=ClaimStatus.DISMISSED)
        .order_by("pk")
        .values_list("pk", "text")
    )
    failures: dict[int, str] = {}
    for claim_id, text in claims:
        try:
            claim_match_fact_checks(claim_id=claim_id, text=text)
        except Exception as exc:
            # Isolated per claim: the error is kept and shown, the other claims go on.
            logger.exception("archive matching failed for claim %s", claim_id)
            failures[claim_id] = f"{type(exc).__name__}: {exc}"
    return article_archive_matching_finish(article_id=article_id, failures=failures)


def claim_match_fact_checks(*, claim_id: int, text: str) -> int:
    """Replace one claim's archive hits with the ranker's current top entries."""
    hits = rank_archive(text, top=settings.FACT_CHECK_TOP, min_score=settings.FACT_CHECK_MIN_SCORE)
    return claim_set_fact_check_hits(claim_id=claim_id, hits=hits)


def article_archive_matching_finish(
    *, article_id: int, failures: dict[int, str]
) -> ArticleArchiveMatching:
    """End a pass: done, or failed naming the claims that could not be ranked."""
    with transaction.atomic():
        row = ArticleArchiveMatching.objects.select_for_update().get(article_id=article_id)
        row.failed_claims = sorted(failures)
        if failures:
            count = len(failures)
            shown = [f"claim {pk}: {error}" for pk, error in sorted(failures.items())]
            row.state = ArchiveMatchingState.FAILED
            row.error = "\n".join(
                [f"{count} claim{'s' if count != 1 else ''} could not be matched against "
                 "the fact-check archive:", *shown[:_ERRORS_SHOWN]]
            )  # fmt: skip
        else:
            row.state, row.error = ArchiveMatchingState.DONE, ""
        row.finished_at = timezone.now()
        row.save()
    return row


def archive_matching_mark_failed(*, article_id: int, error: str) -> None:
    """Record that a whole run failed (the task raised before finishing)."""
    ArticleArchiveMatching.objects.update_or_create(
        article_id=article_id,
        defaults={
            "state": ArchiveMatchingState.FAILED,
            "error": error[:2000],
            "finished_at": timezone.now(),
        },
    )


def articles_to_rematch() -> list[int]:
    """Articles of the most recent proposed claims (FACT_CHECK_REMATCH_DAYS/_LIMIT bound it)."""
    since = timezone.now() - timedelta(days=settings.FACT_CHECK_REMATCH_DAYS)
    recent = (
        Claim.objects.filter(status=ClaimStatus.PROPOSED, created_at__gte=since)
        .order_by("-created_at")
        .values_list("article_id", flat=True)[: settings.FACT_CHECK_REMATCH_LIMIT]
    )
    return list(dict.fromkeys(recent))


def article_archive_status(*, article_id: int) -> dict:
    """The article's archive-matching state in the API shape (the page shows the same)."""
    row = ArticleArchiveMatching.objects.filter(article_id=article_id).first()
    if row is None:
        row = ArticleArchiveMatching(article_id=article_id)
    return {
        "state": row.state,
        "error": row.error,
        "failed_claims": list(row.failed_claims),
        "attempts": row.attempts,
        "finished_at": row.finished_at,
    }
