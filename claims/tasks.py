"""Celery tasks: a few lines each; the work is in claims.services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError, transaction

from articles.models import Article
from claims import services

logger = logging.getLogger(__name__)


def enqueue_proposal(article_id: int) -> None:
    """Queue proposal for an article once the current transaction commits.

    If the broker is down the article stays ``pending`` and the periodic sweep re-enqueues it:
    an import never fails because Redis is unavailable.
    """
    services.article_mark_queued(article_id=article_id)
    transaction.on_commit(lambda: _publish(article_id), robust=True)


def _publish(article_id: int) -> None:
    try:
        propose_claims.delay(article_id)
    except Exception:  # the broker is unreachable; the sweep will pick it up
        logger.warning("could not enqueue proposal for article %s; sweep will retry", article_id)


@shared_task(bind=True, max_retries=3, acks_late=True, reject_on_worker_lost=True)
def propose_claims(self, article_id: int) -> None:
    """Propose the claims of one article; safe to run twice."""
    try:
        services.article_propose_claims(article_id=article_id)
    except Article.DoesNotExist:
        logger.info("article %s is gone; nothing to propose", article_id)
    except OperationalError as exc:  # database hiccup: worth another try
        if self.request.retries >= self.max_retries:
            services.article_mark_failed(
                article_id=article_id, error=f"{type(exc).__name__}: {exc}"
            )
            raise
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    except Exception as exc:
        services.article_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")
        raise
