"""Celery tasks: a few lines each; the work is in claims.proposal."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)

from articles import proposal_queue
from articles.models import Article, ProposalState
from claims import matching, matching_state, proposal
from factcheck import retry, workers

logger = logging.getLogger(__name__)

# Worth another try: the database restarting or failing over, a dropped connection, a lock
# timeout, or a run cut short by the soft time limit on an overloaded machine.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, SoftTimeLimitExceeded)


def enqueue_proposal(article_id: int) -> None:
    """Queue proposal for an article once the current transaction commits (see articles)."""
    proposal_queue.article_request_proposal(article_id=article_id)


def publish_proposal(article_id: int) -> bool:
    """Send the proposal message now; False (logged) when the broker is unreachable."""
    return proposal_queue.publish_proposal(article_id)


def _backoff(retries: int) -> float:
    # Exponential with jitter, so articles that failed together do not retry together.
    return retry.backoff_seconds(
        base=settings.PROPOSAL_RETRY_BACKOFF_SECONDS, retry=retries, jitter=0.5
    )


# max_retries=None: the limit is PROPOSAL_MAX_RETRIES, checked above so the last try can
# mark the article failed before giving up.
@shared_task(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)
def propose_claims(self, article_id: int) -> None:
    """Propose the claims of one article; safe to run twice (the service is idempotent)."""
    # Before the article is marked running: the sweep then knows whose heartbeat to watch.
    workers.run_started(
        kind="proposal",
        key=article_id,
        hostname=None if self.request.is_eager else self.request.hostname,
    )
    worker = "" if self.request.is_eager else (self.request.hostname or "")
    try:
        article = proposal.article_propose_claims(article_id=article_id, actor=worker)
    except Article.DoesNotExist:
        logger.info("article %s is gone; nothing to propose", article_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= settings.PROPOSAL_MAX_RETRIES:
            _mark_failed(article_id, exc, worker)
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    except Exception as exc:
        _mark_failed(article_id, exc, worker)
        raise
    else:
        if article.proposal_state == ProposalState.DONE:
            publish_matching(article_id)


def _mark_failed(article_id: int, exc: BaseException, worker: str) -> None:
    # The error may have come from a broken connection: drop it so this write gets a new one
    # (never inside an atomic block, where closing would throw the caller's transaction away).
    if not connection.in_atomic_block:
        close_old_connections()
    proposal_queue.article_mark_failed(
        article_id=article_id, error=f"{type(exc).__name__}: {exc}", actor=worker
    )


@shared_task(acks_late=True)
def requeue_stale_articles(older_than_seconds: int | None = None) -> dict[str, int]:
    """Periodic sweep (Celery beat): re-enqueue articles left pending or running too long."""
    result = sweep_stale_articles(older_than_seconds=older_than_seconds)
    return {"requeued": len(result.requeued), "gave_up": len(result.gave_up)}


def sweep_stale_articles(
    *, older_than_seconds: int | None = None, limit: int = 1000
) -> proposal_queue.RequeueResult:
    """The stale sweep, told what the broker and the worker heartbeats know about lost work.

    Pending articles wait PROPOSAL_STALE_AFTER_SECONDS, as they may be queued behind others;
    when the proposals queue is empty no message of theirs is left (Redis restarted empty, or
    the publish failed), so PROPOSAL_LOST_AFTER_SECONDS is enough. Running articles whose
    worker's heartbeat stopped (SIGKILL, lost host) are lost too: their message only comes
    back after the visibility timeout, which must stay long for countdown retries.
    """
    lost_after = settings.PROPOSAL_LOST_AFTER_SECONDS
    if older_than_seconds is None:
        idle = workers.queue_length("proposals") == 0
        older_than_seconds = lost_after if idle else settings.PROPOSAL_STALE_AFTER_SECONDS
    try:
        orphaned = workers.runs_without_live_worker(
            kind="proposal",
            keys=proposal_queue.articles_running_ids(started_seconds_ago=lost_after, limit=limit),
        )
    except Exception:  # the health cache is down: fall back to the time limits alone
        logger.warning("could not read worker heartbeats; sweeping by age only", exc_info=True)
        orphaned = []
    return proposal_queue.articles_requeue_stale(
        older_than_seconds=older_than_seconds, orphaned_ids=orphaned, limit=limit
    )


def publish_matching(article_id: int, **kwargs: object) -> None:
    """Queue claim matching for an article; a broker failure is left to the matching sweep."""
    try:
        match_claims.apply_async((article_id,), kwargs or None)
    except Exception:
        logger.warning("could not enqueue matching for article %s; sweep will retry", article_id)


# Matching runs as its own task on its own queue: a slow comparison against a large archive
# never holds up proposal, and proposal workers can be scaled apart from matching workers.
@shared_task(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)
def match_claims(self, article_id: int, after: int = 0, only_unmatched: bool = False) -> None:
    """Link an article's claims to the same and conflicting claims elsewhere; safe to run twice.

    Works chunk by chunk for CLAIM_MATCH_RUN_SECONDS, then queues itself for the rest (a
    claim-dense article never meets the soft time limit with its progress uncommitted).
    """
    deadline = time.monotonic() + settings.CLAIM_MATCH_RUN_SECONDS
    try:
        summary = matching.article_match_claims(
            article_id=article_id, after=after, only_unmatched=only_unmatched, deadline=deadline
        )
    except Article.DoesNotExist:
        logger.info("article %s is gone; nothing to match", article_id)
        return
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= settings.PROPOSAL_MAX_RETRIES:
            _mark_matching_failed(article_id, exc)
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    except Exception as exc:
        _mark_matching_failed(article_id, exc)
        raise
    if summary.next_after is not None:
        publish_matching(article_id, after=summary.next_after, only_unmatched=only_unmatched)


def _mark_matching_failed(article_id: int, exc: BaseException) -> None:
    if not connection.in_atomic_block:
        close_old_connections()
    matching_state.matching_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(acks_late=True)
def match_unmatched_claims(limit: int = 500) -> int:
    """Periodic sweep: queue matching for articles with claims never matched (or failed)."""
    # As for proposal: with nothing queued for matching, unmatched claims are lost work.
    idle = workers.queue_length("matching") == 0
    article_ids = matching_state.articles_to_match(
        older_than_seconds=settings.PROPOSAL_LOST_AFTER_SECONDS
        if idle
        else settings.PROPOSAL_STALE_AFTER_SECONDS,
        limit=limit,
    )
    for article_id in article_ids:
        publish_matching(article_id, only_unmatched=True)
    return len(article_ids)


@shared_task(acks_late=True)
def recount_match_terms() -> int:
    """Periodic: recompute the matching index's key counts (deleted claims leave theirs)."""
    return matching.match_terms_recount()
