"""Writes for claim proposal: run the pipeline on an article and store its claims, exactly once.

Exactly once *in effect*: a task may run twice (redelivery after a lost worker, the stale
sweep, two workers on one article), so every run converges on the same rows:

- the article row is locked while its claims are written, so concurrent runs apply their
  results one after the other;
- claims are upserted on the unique span ``(article, start, end)`` in one statement, and
  the upsert never overwrites a claim a reviewer has touched (``version > 1``);
- untouched proposals the pipeline no longer produces are deleted, touched ones never.

Per article the database sees: one UPDATE (running), one SELECT (the text), then one
transaction with the row lock, one SELECT of the untouched claims (plus a DELETE only when a
re-run leaves stale ones), one INSERT ... ON CONFLICT and one UPDATE; neither commit waits
for the disk (see _relaxed_commit).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import Article, ProposalState
from claims.extraction.types import ProposalResult, SentenceProposal
from claims.models import Claim, ClaimStatus

logger = logging.getLogger(__name__)

# How often a run re-reads the text when the article is edited while the pipeline runs.
_MAX_TEXT_CHANGES = 3
# Rows per INSERT: far below SQLite's bound-parameter limit, far above a real article's claims.
_UPSERT_BATCH = 500
# States after which a queued request counts as served (see _due).
_SETTLED = (ProposalState.DONE, ProposalState.UNSUPPORTED)


class ProposalError(Exception):
    """Proposal could not run for a reason retrying will not fix."""


@dataclass(frozen=True, slots=True)
class RequeueResult:
    """What one stale sweep did."""

    requeued: list[int]
    gave_up: list[int]


def _pipeline() -> Callable[..., ProposalResult]:
    # A dotted path, so a deployment (or a test worker) can swap the pipeline without code.
    return import_string(settings.CLAIM_PIPELINE)


# Every proposal timestamp (queued, started, finished) comes from the database clock: they are
# compared with each other, and the web and worker hosts' clocks may disagree.


def _due() -> Q:
    """Articles whose latest proposal request has not been served by a completed run.

    A request is served when a run that *started after it was queued* finished: a duplicate
    delivery of an already-served message then costs one UPDATE and does nothing.
    """
    return (
        ~Q(proposal_state__in=_SETTLED)
        | Q(proposal_started_at__isnull=True)
        | Q(proposal_queued_at__isnull=True)
        | Q(proposal_queued_at__gt=F("proposal_started_at"))
    )


def article_mark_queued(*, article_id: int) -> None:
    """Record a new proposal request for an article: pending, attempts reset."""
    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.PENDING,
        proposal_queued_at=Now(),
        proposal_error="",
        proposal_attempts=0,
    )


def article_mark_failed(*, article_id: int, error: str) -> None:
    """Record that proposal failed for good, with the error shown in admin and API."""
    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.FAILED,
        proposal_error=error[:5000],
        proposal_finished_at=Now(),
    )


def article_rerun_proposal(*, article_id: int, user: AbstractBaseUser | None) -> Article:
    """Queue proposal again for an article (editors); reviewed claims survive the re-run."""
    if user is not None and not user.has_perm("articles.rerun_proposal"):
        raise PermissionDenied("You may not re-run claim proposal.")
    from claims.tasks import enqueue_proposal

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        enqueue_proposal(article.pk)
    logger.info(
        "article %s: proposal re-run requested by %s",
        article_id,
        user.get_username() if user is not None else "system",
    )
    article.refresh_from_db()
    return article


def article_propose_claims(*, article_id: int, force: bool = False) -> Article:
    """Run the claim pipeline on an article and upsert its proposed claims, idempotently.

    Claims a reviewer has touched (version > 1) are kept whatever the pipeline now says;
    untouched proposals are updated, added or removed to match the pipeline's output. Unless
    ``force``, an article whose latest request was already served is returned untouched.
    Raises ``Article.DoesNotExist`` for a deleted article.
    """
    articles = Article.objects.filter(pk=article_id)
    if not force:
        articles = articles.filter(_due())
    with _relaxed_commit():
        marked = articles.update(
            proposal_state=ProposalState.RUNNING,
            proposal_started_at=Now(),
            proposal_finished_at=None,
            proposal_attempts=F("proposal_attempts") + 1,
        )
    article = Article.objects.get(pk=article_id)
    started = article.proposal_started_at
    if not marked:
        logger.info("article %s: latest proposal request already served; skipping", article_id)
        return article
    if article.proposal_attempts > settings.PROPOSAL_MAX_ATTEMPTS:
        # Each lost worker or hard time limit counts one attempt: an article that keeps
        # killing workers stops here instead of circling between the sweep and the queue.
        article_mark_failed(
            article_id=article_id,
            error=f"Gave up after {article.proposal_attempts - 1} attempts "
            "(the worker was lost or timed out each time).",
        )
        article.refresh_from_db()
        return article

    body = article.body
    for _ in range(_MAX_TEXT_CHANGES):
        began = time.perf_counter()
        result = _run_pipeline(article, body)
        pipeline_ms = (time.perf_counter() - began) * 1000
        with _relaxed_commit():
            # Lock the article: two runs of one article write their claims one after the
            # other (the second one's upsert then changes nothing), and an edit of the text
            # cannot slip in between reading the text and writing offsets into it.
            locked = (
                Article.objects.select_for_update()
                .only("body", "proposal_queued_at")
                .annotate(db_now=Now())
                .get(pk=article_id)
            )
            if locked.body != body:
                body = locked.body
                continue
            proposed = _apply(article_id=article_id, body=body, result=result)
            finished = locked.db_now
            # A re-run requested while this one ran is still owed: leave the article pending
            # so the sweep guarantees it even if its message was lost.
            newer_request = locked.proposal_queued_at and locked.proposal_queued_at > started
            if newer_request:
                state = ProposalState.PENDING
            else:
                state = ProposalState.DONE if result.supported else ProposalState.UNSUPPORTED
            outcome = {
                "language": result.language,
                "proposal_state": state,
                "proposal_error": ""
                if result.supported
                else f"No claim model for language {result.language!r}; nothing was proposed.",
                "proposal_scorer": result.scorer,
                "proposal_finished_at": finished,
                "proposed_claim_count": proposed,
                "sentence_scores": [[s.start, s.end, round(s.score, 4)] for s in result.sentences]
                if result.supported
                else [],
            }
            Article.objects.filter(pk=article_id).update(**outcome)
        logger.info(
            "article %s: %s, %d claims, pipeline %.1f ms, total %.1f ms (attempt %d)",
            article_id,
            state,
            outcome["proposed_claim_count"],
            pipeline_ms,
            (finished - started).total_seconds() * 1000,
            article.proposal_attempts,
        )
        # The caller gets the stored state without another round trip.
        for name, value in outcome.items():
            setattr(article, name, value)
        article.body = body
        article.proposal_started_at = started
        article.proposal_queued_at = locked.proposal_queued_at
        return article
    raise ProposalError(
        f"The text of article {article_id} changed {_MAX_TEXT_CHANGES} times during proposal."
    )


@contextmanager
def _relaxed_commit() -> Iterator[None]:
    """A transaction whose commit does not wait for the WAL flush (PostgreSQL).

    Waiting for the disk twice per article would cap proposal at the fsync rate. What a
    PostgreSQL crash can lose is the last fraction of a second of these commits, never a
    torn write: those articles are left pending or running, and the stale sweep proposes
    them again. Nothing else in the connection is affected (SET LOCAL).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _run_pipeline(article: Article, body: str) -> ProposalResult:
    from claims.scoring import resolve_scorer

    scorer, threshold = resolve_scorer()
    return _pipeline()(
        body,
        language=article.language or None,
        outlet=article.source,
        threshold=threshold,
        scorer=scorer,
    )


def _apply(*, article_id: int, body: str, result: ProposalResult) -> int:
    """Make the article's untouched claims the pipeline's output (caller holds the lock).

    Returns the number of distinct claims the pipeline proposed.
    """
    wanted: dict[tuple[int, int], SentenceProposal] = {}
    if result.supported:
        for p in result.claims:
            # The invariant every claim relies on: its text is exactly that span of the body.
            if body[p.start : p.end] != p.text or p.end <= p.start:
                raise ProposalError(f"Span {p.start}:{p.end} does not match the article text.")
            wanted[(p.start, p.end)] = p
    # A version-1 claim with evidence was touched too (claim_add_evidence keeps the version).
    untouched = Claim.objects.filter(article_id=article_id, version=1, evidence__isnull=True)
    stale = [
        pk
        for pk, start, end in untouched.values_list("pk", "start", "end")
        if (start, end) not in wanted
    ]
    if stale:
        # version=1 is re-checked by the DELETE itself: a claim a reviewer touches meanwhile
        # (claim_set_status locks the claim row, not the article) is not deleted under them.
        Claim.objects.filter(pk__in=stale, version=1).delete()
    proposals = list(wanted.values())
    for i in range(0, len(proposals), _UPSERT_BATCH):
        _upsert(article_id=article_id, proposals=proposals[i : i + _UPSERT_BATCH])
    return len(proposals)


def _upsert(*, article_id: int, proposals: Sequence[SentenceProposal]) -> None:
    """INSERT ... ON CONFLICT (span) DO UPDATE, skipping touched claims and unchanged rows.

    Raw SQL because the ORM's bulk_create(update_conflicts=True) cannot say "only if
    untouched". PostgreSQL inserts from unnest() arrays, SQLite (>= 3.24) from VALUES rows.
    """
    if not proposals:
        return
    qn = connection.ops.quote_name
    table = qn(Claim._meta.db_table)
    columns = [
        "article_id",
        "text",
        "start",
        "end",
        "score",
        "claim_type",
        "claimer",
        "status",
        "version",
        "created_at",
        "updated_at",
    ]
    updated = ["text", "score", "claim_type", "claimer"]
    now = timezone.now()
    # Only quoted identifiers from the model's own metadata are formatted in; every value is
    # a bound parameter.
    column_list = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        # One array per column: the statement text is the same for every article, so the
        # driver converts it once, whatever the number of claims.
        rows = [
            [article_id] * len(proposals),
            [p.text for p in proposals],
            [p.start for p in proposals],
            [p.end for p in proposals],
            [min(max(float(p.score), 0.0), 1.0) for p in proposals],
            [p.claim_type for p in proposals],
            [p.claimer[:300] for p in proposals],
        ]
        types = ["bigint", "text", "integer", "integer", "double precision", "text", "text"]
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        source = f"SELECT *, %s, 1, %s::timestamptz, %s::timestamptz FROM unnest({arrays})"  # noqa: S608
        params: list[object] = [ClaimStatus.PROPOSED, now, now, *rows]
    else:
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = "VALUES " + ", ".join([row] * len(proposals))
        params = []
        for p in proposals:
            params += [
                article_id,
                p.text,
                p.start,
                p.end,
                min(max(float(p.score), 0.0), 1.0),
                p.claim_type,
                p.claimer[:300],
                ClaimStatus.PROPOSED,
                1,
                now,
                now,
            ]
    assign = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in [*updated, "updated_at"])
    changed = " OR ".join(f"{table}.{qn(c)} <> excluded.{qn(c)}" for c in updated)
    sql = (
        f"INSERT INTO {table} ({column_list}) {source}"
        + f" ON CONFLICT ({qn('article_id')}, {qn('start')}, {qn('end')}) DO UPDATE SET {assign}"
        # Touched claims are the reviewer's; unchanged rows keep updated_at, so a re-run
        # that finds the same claims does not flood the API's changes feed.
        + f" WHERE {table}.{qn('version')} = 1 AND ({changed})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def articles_requeue_stale(
    *, older_than_seconds: int | None = None, limit: int = 1000
) -> RequeueResult:
    """Re-enqueue articles left pending or running too long (a lost message or worker).

    Pending articles qualify after ``older_than_seconds`` (default
    PROPOSAL_STALE_AFTER_SECONDS); running ones only once their run is also older than the
    task's hard time limit, so a live task is not doubled (and if it were, runs converge).
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
        & (Q(proposal_started_at__isnull=True) | Q(proposal_started_at__lte=running_cutoff))
    )
    gave_up: list[int] = []
    requeued: list[int] = []
    with transaction.atomic():
        # skip_locked: an article a worker is writing right now is not stale.
        rows = list(
            Article.objects.select_for_update(skip_locked=True)
            .filter(stale)
            .order_by("proposal_queued_at", "pk")
            .values_list("pk", "proposal_attempts")[:limit]
        )
        for pk, attempts in rows:
            (gave_up if attempts >= settings.PROPOSAL_MAX_ATTEMPTS else requeued).append(pk)
        if gave_up:
            Article.objects.filter(pk__in=gave_up).update(
                proposal_state=ProposalState.FAILED,
                proposal_error=f"Gave up after {settings.PROPOSAL_MAX_ATTEMPTS} attempts "
                "(the worker was lost or timed out each time).",
                proposal_finished_at=Now(),
            )
        if requeued:
            # Back to pending with a fresh queued_at (so the next sweep waits again); the
            # attempt count is kept, it is what stops an endless loop.
            Article.objects.filter(pk__in=requeued).update(
                proposal_state=ProposalState.PENDING, proposal_queued_at=Now()
            )
            transaction.on_commit(lambda: _publish_all(requeued), robust=True)
    if requeued or gave_up:
        logger.info(
            "stale sweep: requeued %d article(s), gave up on %d", len(requeued), len(gave_up)
        )
    return RequeueResult(requeued=requeued, gave_up=gave_up)


def _publish_all(article_ids: list[int]) -> None:
    from claims.tasks import publish_proposal

    for pk in article_ids:
        # The broker is down: the rest stay pending with a fresh queued_at and the next
        # sweep tries again, instead of waiting out a connect timeout per article.
        if not publish_proposal(pk):
            break
