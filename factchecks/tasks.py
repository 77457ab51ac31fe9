"""The archive's Celery tasks (queue "matching", CELERY_TASK_ROUTES): a few lines each."""

from __future__ import annotations

import logging

from celery import current_app, shared_task
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from claims.tasks import TRANSIENT_ERRORS, retry_backoff
from factchecks import matching

logger = logging.getLogger(__name__)

MATCH_TASK = "factchecks.tasks.match_article_fact_checks"


def publish_archive_matching(article_id: int) -> None:
    """Queue the archive lookup for an article's claims (by name, on the matching queue)."""
    try:
        # A signature runs eagerly in the embedded mode (tests, demo); send_task would not.
        current_app.signature(MATCH_TASK, args=(article_id,)).apply_async()
    except Exception:
        logger.warning("could not enqueue archive matching for article %s", article_id)


def on_claims_proposed(sender, *, article_id: int, **kwargs) -> None:
    """Receiver of ``claims.signals.claims_proposed``: look the new claims up once committed."""
    transaction.on_commit(lambda: publish_archive_matching(article_id), robust=True)


@shared_task(name=MATCH_TASK, bind=True, max_retries=None, acks_late=True)
def match_article_fact_checks(self, article_id: int) -> None:
    """Store each of the article's claims' archive hits; safe to run twice."""
    try:
        matching.article_match_fact_checks(article_id=article_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= settings.PROPOSAL_MAX_RETRIES:
            _mark_failed(article_id, exc)
            raise
        raise self.retry(exc=exc, countdown=retry_backoff(self.request.retries)) from exc
    except Exception as exc:
        _mark_failed(article_id, exc)
        raise


def _mark_failed(article_id: int, exc: BaseException) -> None:
    if not connection.in_atomic_block:
        close_old_connections()
    matching.archive_matching_mark_failed(
        article_id=article_id, error=f"{type(exc).__name__}: {exc}"
    )


@shared_task(name="factchecks.tasks.rematch_recent_claims", acks_late=True)
def rematch_recent_claims() -> int:
    """After an import: queue the archive lookup again for articles with recent proposed claims."""
    article_ids = matching.articles_to_rematch()
    for article_id in article_ids:
        publish_archive_matching(article_id)
    return len(article_ids)
