"""Matching's Celery tasks: a few lines each; the work is in matching.services.

The task names keep their ``claims.tasks.`` prefix: they are the contract with messages already
queued, beat's schedule and CELERY_TASK_ROUTES, and claims enqueues ``match_claims`` by name.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connection

from articles.models import Article
from claims.tasks import TRANSIENT_ERRORS, retry_backoff
from factcheck import workers
from matching import index, services, state

logger = logging.getLogger(__name__)


def publish_matching(article_id: int, **kwargs: object) -> None:
    """Queue claim matching for an article; a broker failure is left to the matching sweep."""
    try:
        match_claims.apply_async((article_id,), kwargs or None)
    except Exception:
        logger.warning("could not enqueue matching for article %s; sweep will retry", article_id)


# Matching runs as its own task on its own queue: a slow comparison against a large archive
# never holds up proposal, and proposal workers can be scaled apart from matching workers.
@shared_task(
    name="claims.tasks.match_claims",
    bind=True,
    max_retries=None,
    acks_late=True,
    reject_on_worker_lost=True,
)
def match_claims(self, article_id: int, after: int = 0, only_unmatched: bool = False) -> None:
    """Link an article's claims to the same and conflicting claims elsewhere; safe to run twice.

    Works chunk by chunk for CLAIM_MATCH_RUN_SECONDS, then queues itself for the rest (a
    claim-dense article never meets the soft time limit with its progress uncommitted).
    """
    deadline = time.monotonic() + settings.CLAIM_MATCH_RUN_SECONDS
    try:
        summary = services.article_match_claims(
            article_id=article_id, after=after, only_unmatched=only_unmatched, deadline=deadline
        )
    except Article.DoesNotExist:
        logger.info("article %s is gone; nothing to match", article_id)
        return
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= settings.PROPOSAL_MAX_RETRIES:
            _mark_matching_failed(article_id, exc)
            raise
        raise self.retry(exc=exc, countdown=retry_backoff(self.request.retries)) from exc
    except Exception as exc:
        _mark_matching_failed(article_id, exc)
        raise
    if summary.next_after is not None:
        publish_matching(article_id, after=summary.next_after, only_unmatched=only_unmatched)


def _mark_matching_failed(article_id: int, exc: BaseException) -> None:
    if not connection.in_atomic_block:
        close_old_connections()
    state.matching_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(name="claims.tasks.match_unmatched_claims", acks_late=True)
def match_unmatched_claims(limit: int = 500) -> int:
    """Periodic sweep: queue matching for articles with claims never matched (or failed)."""
    # As for proposal: with nothing queued for matching, unmatched claims are lost work.
    idle = workers.queue_length("matching") == 0
    article_ids = state.articles_to_match(
        older_than_seconds=settings.PROPOSAL_LOST_AFTER_SECONDS
        if idle
        else settings.PROPOSAL_STALE_AFTER_SECONDS,
        limit=limit,
    )
    for article_id in article_ids:
        publish_matching(article_id, only_unmatched=True)
    return len(article_ids)


@shared_task(name="claims.tasks.recount_match_terms", acks_late=True)
def recount_match_terms() -> int:
    """Periodic: recompute the matching index's key counts (deleted claims leave theirs)."""
    return index.match_terms_recount()
