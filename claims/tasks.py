"""Celery tasks: a few lines each; the work is in claims.proposal (matching has its own)."""

from __future__ import annotations

import logging
import smtplib

from celery import current_app, shared_task
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
from claims import deadlines, desk_selectors, proposal
from claims.escalation import escalation_email_send
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


def retry_backoff(retries: int) -> float:
    """Seconds before retry number ``retries`` of a proposal or matching task."""
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
        raise self.retry(exc=exc, countdown=retry_backoff(self.request.retries)) from exc
    except Exception as exc:
        _mark_failed(article_id, exc, worker)
        raise
    else:
        if article.proposal_state == ProposalState.DONE:
            publish_matching(article_id)


# The matching app's task, by name: claims never imports matching (matching.tasks registers it).
MATCH_CLAIMS_TASK = "claims.tasks.match_claims"


def publish_matching(article_id: int) -> None:
    """Queue claim matching for an article; a broker failure is left to the matching sweep."""
    try:
        # A signature of a registered task runs eagerly in the embedded mode (send_task would not).
        current_app.signature(MATCH_CLAIMS_TASK, args=(article_id,)).apply_async()
    except Exception:
        logger.warning("could not enqueue matching for article %s; sweep will retry", article_id)


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


# --- deadlines and expiry (claims.deadlines) ---------------------------------------------------

ESCALATION_EMAIL_TASK = "claims.tasks.send_escalation_email"


@shared_task(acks_late=True)
def escalate_overdue_claims() -> int:
    """Periodic (beat): mark newly overdue claims escalated and queue the editors' email."""
    ids = deadlines.claims_escalate_overdue()
    # The desk figures count every claim to review (two full index ranges): recomputed here,
    # off the request path, so the queue page finds them cached.
    desk_selectors.desk_figures(fresh=True)
    if ids:
        # The email goes out from the "notifications" queue: a slow mail server must not hold
        # up the sweeps on "default".
        current_app.signature(ESCALATION_EMAIL_TASK, args=(ids,)).apply_async()
    return len(ids)


# Mail servers refuse or drop connections for a while; a bad address is not worth retrying.
MAIL_TRANSIENT_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPResponseException,
)


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_escalation_email(self, claim_ids: list[int]) -> int:
    """Email the desk's editors the escalated claims; retried when the mail server fails."""
    try:
        return escalation_email_send(claim_ids=claim_ids)
    except MAIL_TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=retry_backoff(self.request.retries)) from exc


@shared_task(acks_late=True)
def announce_expired_verdicts() -> int:
    """Periodic (beat): announce verdicts that passed their re-check date, once each."""
    return len(deadlines.claims_announce_expired())
