"""Queueing claim proposal for articles: requests, re-runs, failures and the stale sweep.

The proposal task lives in ``claims``; articles send it by name (``PROPOSE_TASK``), so this
app imports nothing of claims. A signature of a registered task still runs eagerly in the
embedded mode (tests, demo), where ``send_task`` would always go to the broker; the settings'
CELERY_TASK_ROUTES route it by name either way. State changes go through
``articles.proposal_state``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now

from articles.models import Article, ProposalState
from articles.proposal_state import article_set_proposal_state, articles_set_proposal_state

logger = logging.getLogger(__name__)

PROPOSE_TASK = "claims.tasks.propose_claims"
_CHUNK = 500

# Every proposal timestamp (queued, started, finished) comes from the database clock: the
# web and worker hosts' clocks may disagree.


@dataclass(frozen=True, slots=True)
class RequeueResult:
    """What one stale sweep did."""

    requeued: list[int]
    gave_up: list[int]


def article_request_proposal(*, article_id: int, actor: str = "") -> None:
    """Queue proposal for an article once the current transaction commits.

    The article is marked queued (``article_mark_queued``). If the broker is down it stays
    pending and the stale sweep queues it: an import never fails because Redis is unavailable.
    """
    article_mark_queued(article_id=article_id, actor=actor)
    transaction.on_commit(lambda: publish_proposal(article_id), robust=True)


def _new_request_fields() -> dict:
    """What a new proposal request sets besides the state: queued now, one more request."""
    return {
        "proposal_queued_at": Now(),
        "proposal_requests": F("proposal_requests") + 1,
        "proposal_attempts": 0,
    }


def article_mark_queued(*, article_id: int, actor: str = "") -> None:
    """Record a new proposal request: pending, attempts reset, one more request counted.

    A run that sees the count move while it ran leaves the article pending. Sends nothing.
    """
    article_set_proposal_state(
        article_id=article_id,
        to_state=ProposalState.PENDING,
        error="",
        actor=actor,
        fields=_new_request_fields(),
    )


def articles_request_proposal(*, article_ids: Sequence[int], actor: str = "") -> None:
    """``article_request_proposal`` for many articles (an import batch): a few statements per
    500 articles instead of one per article."""
    if not article_ids:
        return
    found: set[int] = set()
    with transaction.atomic():
        # In chunks: a .zip import may hold thousands of articles, more than a statement's
        # bound parameters on some SQLite builds.
        for i in range(0, len(article_ids), _CHUNK):
            rows = list(
                Article.objects.select_for_update()
                .filter(pk__in=list(article_ids[i : i + _CHUNK]))
                .values_list("pk", "proposal_state", "proposal_attempts")
            )
            articles_set_proposal_state(
                rows=rows,
                to_state=ProposalState.PENDING,
                error="",
                actor=actor,
                fields=_new_request_fields(),
            )
            found.update(pk for pk, _, _ in rows)
    # In the caller's order (the import's), which is the order workers should meet them in.
    ids = [pk for pk in article_ids if pk in found]
    transaction.on_commit(lambda: publish_all(ids), robust=True)


def article_mark_failed(*, article_id: int, error: str, actor: str = "") -> bool:
    """Record that proposal failed for good, with the error shown in admin and API.

    A settled article (its latest request was served) stays settled: the failure was a
    duplicate message's. Returns whether the article was marked failed.
    """
    left = article_set_proposal_state(
        article_id=article_id,
        to_state=ProposalState.FAILED,
        expected_from=(ProposalState.PENDING, ProposalState.RUNNING, ProposalState.FAILED),
        error=error,
        actor=actor,
        fields={"proposal_finished_at": Now()},
    )
    return left is not None


def article_rerun_proposal(*, article_id: int, user: AbstractBaseUser | None) -> Article:
    """Queue proposal again for an article (editors); reviewed claims survive the re-run."""
    if user is not None and not user.has_perm("articles.rerun_proposal"):
        raise PermissionDenied("You may not re-run claim proposal.")
    who = user.get_username() if user is not None else "system"
    article_request_proposal(article_id=article_id, actor=f"user {who}")
    logger.info("article %s: proposal re-run requested by %s", article_id, who)
    return Article.objects.get(pk=article_id)


# After a failed publish, the next ones are skipped for this long: a batch import of 500
# articles must not wait out a broker connect timeout 500 times (the articles stay pending
# and the sweep queues them).
BROKER_DOWN_PAUSE_SECONDS = 10.0
_broker_down_until = 0.0


def publish_proposal(article_id: int) -> bool:
    """Send the proposal message now; False (logged) when the broker is unreachable."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.info("broker down: article %s left pending for the sweep", article_id)
        return False
    try:
        current_app.signature(PROPOSE_TASK, args=(article_id,)).delay()
    except Exception:  # the broker is unreachable; the sweep will pick it up
        _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE_SECONDS
        logger.warning("could not enqueue proposal for article %s; sweep will retry", article_id)
        return False
    return True


def publish_all(article_ids: Sequence[int]) -> None:
    """Publish each article's proposal message, stopping at the first broker failure."""
    for pk in article_ids:
        # The broker is down: the rest stay pending with a fresh queued_at and the next
        # sweep tries again, instead of waiting out a connect timeout per article.
        if not publish_proposal(pk):
            break


def articles_running_ids(*, started_seconds_ago: int, limit: int = 1000) -> list[int]:
    """Articles marked running at least ``started_seconds_ago`` seconds ago (database clock)."""
    return list(
        Article.objects.filter(
            proposal_state=ProposalState.RUNNING,
            proposal_started_at__lte=Now() - timedelta(seconds=started_seconds_ago),
        )
        .order_by("proposal_started_at")
        .values_list("pk", flat=True)[:limit]
    )


def articles_requeue_stale(
    *,
    older_than_seconds: int | None = None,
    orphaned_ids: Sequence[int] = (),
    limit: int = 1000,
) -> RequeueResult:
    """Re-enqueue articles left pending or running too long (a lost message or worker).

    Pending articles qualify after ``older_than_seconds`` (default
    PROPOSAL_STALE_AFTER_SECONDS); running ones only once their run is also older than the
    task's hard time limit, so a live task is not doubled (and if it were, runs converge),
    or at once when listed in ``orphaned_ids`` (their worker is known dead).
    Articles past PROPOSAL_MAX_ATTEMPTS are marked failed instead of queued again.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.PROPOSAL_STALE_AFTER_SECONDS
    # Cut-offs on the database clock, like the timestamps they are compared with.
    pending_cutoff = Now() - timedelta(seconds=older_than_seconds)
    running_cutoff = Now() - timedelta(
        seconds=max(older_than_seconds, settings.CELERY_TASK_TIME_LIMIT + 30)
    )
    stale = (
        Q(proposal_state=ProposalState.PENDING)
        & (Q(proposal_queued_at__isnull=True) | Q(proposal_queued_at__lte=pending_cutoff))
    ) | (
        Q(proposal_state=ProposalState.RUNNING)
        & (
            Q(proposal_started_at__isnull=True)
            | Q(proposal_started_at__lte=running_cutoff)
            | Q(pk__in=list(orphaned_ids))
        )
    )
    with transaction.atomic():
        # skip_locked: an article a worker is writing right now is not stale.
        rows = list(
            Article.objects.select_for_update(skip_locked=True)
            .filter(stale)
            .order_by("proposal_queued_at", "pk")
            .values_list("pk", "proposal_state", "proposal_attempts")[:limit]
        )
        limit_reached = [r for r in rows if r[2] >= settings.PROPOSAL_MAX_ATTEMPTS]
        again = [r for r in rows if r[2] < settings.PROPOSAL_MAX_ATTEMPTS]
        if limit_reached:
            articles_set_proposal_state(
                rows=limit_reached,
                to_state=ProposalState.FAILED,
                error=f"Gave up after {settings.PROPOSAL_MAX_ATTEMPTS} attempts "
                "(the worker was lost or timed out each time).",
                actor="sweep",
                fields={"proposal_finished_at": Now()},
            )
        requeued = [pk for pk, _, _ in again]
        if again:
            # Back to pending with a fresh queued_at (so the next sweep waits again), as a new
            # request (a run still alive leaves it pending); the attempt count is kept, it is
            # what stops an endless loop.
            articles_set_proposal_state(
                rows=again,
                to_state=ProposalState.PENDING,
                actor="sweep",
                fields={
                    "proposal_queued_at": Now(),
                    "proposal_requests": F("proposal_requests") + 1,
                },
            )
            transaction.on_commit(lambda: publish_all(requeued), robust=True)
    gave_up = [pk for pk, _, _ in limit_reached]
    if requeued or gave_up:
        logger.info(
            "stale sweep: requeued %d article(s), gave up on %d", len(requeued), len(gave_up)
        )
    return RequeueResult(requeued=requeued, gave_up=gave_up)
