"""Writes for claim proposal: run the pipeline on an article and store its claims, exactly once.

Exactly once *in effect*: a task may run twice (redelivery after a lost worker, the stale
sweep, two workers on one article), so every run converges on the same rows:

- the article row is locked while its claims are written, so concurrent runs apply their
  results one after the other;
- claims are upserted on the unique span ``(article, start, end)`` in one statement, and
  the upsert never overwrites a claim a reviewer has touched (``version > 1``);
- untouched proposals the pipeline no longer produces are deleted, touched ones never.

Requests are counted (``Article.proposal_requests``): a run remembers the count it started
under, and a request made while it ran (the count moved) leaves the article pending.

On PostgreSQL an article costs three statements in two commits, neither waiting for the
disk (see _RELAXED_COMMIT): UPDATE ... RETURNING (mark running, read the article), then
in one transaction the row lock and one statement that upserts the claims, records the
outcome and lists the stale proposals (deleted through the ORM, which cascades, only when a
re-run leaves some). SQLite runs the same steps as separate statements.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.db.models.functions import Now
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import Article, ProposalState
from claims.models import Claim, ClaimStatus, Evidence
from claims.signals import claims_proposed
from extraction.boilerplate import own_voice_claimer
from extraction.types import ProposalResult, SentenceProposal

logger = logging.getLogger(__name__)

# How often a run re-reads the text when the article is edited while the pipeline runs.
_MAX_TEXT_CHANGES = 3
# Rows per INSERT on SQLite: far below its bound-parameter limit. PostgreSQL sends one array
# per column, whatever the number of claims.
_UPSERT_BATCH = 500
# States in which the latest request has been served: a duplicate delivery of its message
# then costs one UPDATE that matches nothing. A request always sets "pending" (and a run
# only settles the article when no request came in meanwhile), so the state says it all.
_SETTLED = (ProposalState.DONE, ProposalState.UNSUPPORTED)
# A select-list item that makes the current transaction's commit skip waiting for the WAL
# flush (set_config(..., true) is SET LOCAL without a round trip of its own). Waiting for
# the disk twice per article would cap proposal at the fsync rate; a PostgreSQL crash can
# lose the last fraction of a second of these commits, never tear one: those articles are
# left pending or running, and the stale sweep proposes them again.
_RELAXED_COMMIT = "set_config('synchronous_commit', 'off', true)"


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


# Every proposal timestamp (queued, started, finished) comes from the database clock: the
# web and worker hosts' clocks may disagree.


def article_mark_queued(*, article_id: int) -> None:
    """Record a new proposal request for an article: pending, attempts reset, request counted."""
    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.PENDING,
        proposal_queued_at=Now(),
        proposal_requests=F("proposal_requests") + 1,
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
    article = _mark_running(article_id=article_id, force=force)
    if article is None:
        article = Article.objects.get(pk=article_id)
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
        with transaction.atomic():
            # Lock the article: two runs of one article write their claims one after the
            # other (the second one's upsert then changes nothing), and an edit of the text
            # cannot slip in between reading the text and writing offsets into it.
            current_body, requests, finished = _lock(article_id)
            if current_body != body:
                body = current_body
                continue
            wanted, over_cap = _capped(_wanted(body, result))
            # A request made while this run ran is still owed: leave the article pending so
            # the sweep guarantees it even if its message was lost.
            if requests != article.proposal_requests:
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
                "proposed_claim_count": len(wanted),
                "sentence_scores": [[s.start, s.end, round(s.score, 4)] for s in result.sentences]
                if result.supported
                else [],
            }
            stale = _write(article_id=article_id, wanted=wanted, outcome=outcome)
            claims_proposed.send(sender=Claim, article_id=article_id, over_cap=over_cap)
            if stale:
                # Through the ORM: it deletes what hangs off a claim (match keys, matches,
                # history) first. version=1 is re-checked by the DELETE itself: a claim a
                # reviewer touches meanwhile (claim_set_status locks the claim row, not the
                # article) is not deleted under them.
                Claim.objects.filter(pk__in=stale, version=1).delete()
        logger.info(
            "article %s: %s, %d claims, pipeline %.1f ms, total %.1f ms (attempt %d)",
            article_id,
            state,
            len(wanted),
            pipeline_ms,
            (finished - article.proposal_started_at).total_seconds() * 1000,
            article.proposal_attempts,
        )
        # The caller gets the stored state without another round trip.
        for name, value in outcome.items():
            setattr(article, name, value)
        article.body = body
        article.proposal_requests = requests
        return article
    raise ProposalError(
        f"The text of article {article_id} changed {_MAX_TEXT_CHANGES} times during proposal."
    )


def _mark_running(*, article_id: int, force: bool) -> Article | None:
    """Mark the article running, one attempt more, and return it; None if nothing was due.

    One UPDATE ... RETURNING (SQLite >= 3.35): the article's text and request count come
    back with the write, in autocommit.
    """
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in Article._meta.concrete_fields)
    relaxed = (
        f" FROM (SELECT {_RELAXED_COMMIT}) AS relaxed" if connection.vendor == "postgresql" else ""
    )
    due = "" if force else f" AND {qn('proposal_state')} NOT IN (%s, %s)"
    sql = (
        f"UPDATE {qn(Article._meta.db_table)} SET {qn('proposal_state')} = %s,"  # noqa: S608
        f" {qn('proposal_started_at')} = {_now_sql()}, {qn('proposal_finished_at')} = NULL,"
        f" {qn('proposal_attempts')} = {qn('proposal_attempts')} + 1{relaxed}"
        f" WHERE {qn('id')} = %s{due} RETURNING {columns}"
    )
    params = [ProposalState.RUNNING, article_id, *([] if force else _SETTLED)]
    # Only quoted identifiers from the model's metadata are formatted in; values are bound.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _article_from_row(row)


def _article_from_row(row: Sequence[object]) -> Article:
    # What a queryset does with a row (the database's and the fields' converters, then
    # from_db), without a queryset: Article.objects.raw() costs ~0.2 ms more per article.
    compiler, converters = _article_converters(connections[DEFAULT_DB_ALIAS])
    (values,) = compiler.apply_converters([list(row)], converters) if converters else [row]
    names = [f.attname for f in Article._meta.concrete_fields]
    return Article.from_db(connection.alias, names, list(values))


@lru_cache(maxsize=64)  # one entry per connection object (one per thread)
def _article_converters(conn: BaseDatabaseWrapper) -> tuple[SQLCompiler, dict]:
    compiler = Query(Article).get_compiler(connection=conn)
    table = Article._meta.db_table
    columns = [f.get_col(table) for f in Article._meta.concrete_fields]
    return compiler, compiler.get_converters(columns)


def _lock(article_id: int) -> tuple[str, int, datetime]:
    """Lock the article row; its current text, request count and the database's time."""
    if connection.vendor != "postgresql":
        locked = (
            Article.objects.select_for_update()
            .annotate(db_now=Now())
            .values_list("body", "proposal_requests", "db_now")
            .get(pk=article_id)
        )
        return locked
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('body')}, {qn('proposal_requests')}, statement_timestamp(),"  # noqa: S608
            f" {_RELAXED_COMMIT} FROM {qn(Article._meta.db_table)} WHERE {qn('id')} = %s"
            " FOR UPDATE",
            [article_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist(f"Article {article_id} was deleted during proposal.")
    return row[0], row[1], row[2]


@cache
def _now_sql() -> str:
    # Django's Now() for this database (STATEMENT_TIMESTAMP() on PostgreSQL).
    return Query(Article).get_compiler(connection=connection).compile(Now())[0]


def _run_pipeline(article: Article, body: str) -> ProposalResult:
    from claims.scoring import resolve_scorer

    scorer, threshold = resolve_scorer()
    return _pipeline()(
        body,
        language=article.language or None,
        # Own-voice sentences are the byline agency's copy when one is credited ("with AFP").
        outlet=own_voice_claimer(article.source, article.author),
        threshold=threshold,
        scorer=scorer,
    )


def _wanted(body: str, result: ProposalResult) -> list[SentenceProposal]:
    """The pipeline's distinct claims, each checked against the text it points into."""
    wanted: dict[tuple[int, int], SentenceProposal] = {}
    if result.supported:
        for p in result.claims:
            # The invariant every claim relies on: its text is exactly that span of the body.
            if body[p.start : p.end] != p.text or p.end <= p.start:
                raise ProposalError(f"Span {p.start}:{p.end} does not match the article text.")
            wanted[(p.start, p.end)] = p
    return list(wanted.values())


def _capped(wanted: list[SentenceProposal]) -> tuple[list[SentenceProposal], int]:
    """The PROPOSAL_MAX_CLAIMS_PER_ARTICLE highest-scoring proposals (in text order), and how
    many were left out: a 4.7 MB article gave 45,728 claims, more than anyone reviews or the
    matcher compares in a task's time."""
    cap = settings.PROPOSAL_MAX_CLAIMS_PER_ARTICLE
    if len(wanted) <= cap:
        return wanted, 0
    best = sorted(wanted, key=lambda p: (-p.score, p.start))[:cap]
    logger.warning("proposal kept the best %d of %d claims", cap, len(wanted))
    return sorted(best, key=lambda p: p.start), len(wanted) - cap


def _write(*, article_id: int, wanted: Sequence[SentenceProposal], outcome: dict) -> list[int]:
    """Upsert the wanted claims and record the outcome (caller holds the lock).

    Returns the ids of the untouched claims the pipeline no longer proposes. A version-1
    claim with evidence counts as touched (claim_add_evidence keeps the version).
    """
    if connection.vendor == "postgresql":
        return _write_postgresql(article_id=article_id, wanted=wanted, outcome=outcome)
    untouched = Claim.objects.filter(article_id=article_id, version=1, evidence__isnull=True)
    spans = {(p.start, p.end) for p in wanted}
    stale = [
        pk
        for pk, start, end in untouched.values_list("pk", "start", "end")
        if (start, end) not in spans
    ]
    for i in range(0, len(wanted), _UPSERT_BATCH):
        _upsert_values(article_id=article_id, proposals=wanted[i : i + _UPSERT_BATCH])
    Article.objects.filter(pk=article_id).update(**outcome)
    return stale


_CLAIM_COLUMNS = (
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
)
# What a re-run may change on an untouched claim.
_UPDATED = ("text", "score", "claim_type", "claimer")


def _on_conflict() -> str:
    """ON CONFLICT (span) DO UPDATE, skipping touched claims and unchanged rows.

    Raw SQL because the ORM's bulk_create(update_conflicts=True) cannot say "only if
    untouched".
    """
    qn = connection.ops.quote_name
    table = qn(Claim._meta.db_table)
    assign = ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in [*_UPDATED, "updated_at"])
    changed = " OR ".join(f"{table}.{qn(c)} <> excluded.{qn(c)}" for c in _UPDATED)
    return (
        f" ON CONFLICT ({qn('article_id')}, {qn('start')}, {qn('end')}) DO UPDATE SET {assign}"
        # Touched claims are the reviewer's; unchanged rows keep updated_at, so a re-run
        # that finds the same claims does not flood the API's changes feed.
        f" WHERE {table}.{qn('version')} = 1 AND ({changed})"
    )


def _claim_row(p: SentenceProposal) -> tuple[str, int, int, float, str, str]:
    return p.text, p.start, p.end, min(max(float(p.score), 0.0), 1.0), p.claim_type, p.claimer[:300]


# The outcome a run records on the article (sentence_scores last: it is the JSON one).
_OUTCOME_COLUMNS = (
    "language",
    "proposal_state",
    "proposal_error",
    "proposal_scorer",
    "proposal_finished_at",
    "proposed_claim_count",
    "sentence_scores",
)


@cache
def _postgresql_write_sql() -> str:
    qn = connection.ops.quote_name
    claims, articles = qn(Claim._meta.db_table), qn(Article._meta.db_table)
    evidence = qn(Evidence._meta.db_table)
    outcome = ", ".join(f"{qn(c)} = %s" for c in _OUTCOME_COLUMNS[:-1])
    outcome += f", {qn(_OUTCOME_COLUMNS[-1])} = %s::jsonb"
    # Three things in one statement (one round trip): the claims (one JSON parameter: no
    # per-value quoting on the client), the article's outcome, and the untouched claims the
    # pipeline no longer proposes. The parts touch disjoint rows, and the final SELECT sees
    # the claims as they were before this statement: the ones it lists are the stale ones.
    return (
        "WITH wanted AS (SELECT * FROM json_to_recordset(%s::json) AS w("  # noqa: S608
        "text text, start integer, stop integer, score double precision, claim_type text,"
        " claimer text)"
        f"), upserted AS (INSERT INTO {claims} ({', '.join(qn(c) for c in _CLAIM_COLUMNS)})"
        " SELECT %s, text, start, stop, score, claim_type, claimer, %s, 1, %s, %s FROM wanted"
        f"{_on_conflict()})"
        f", recorded AS (UPDATE {articles} SET {outcome} WHERE {qn('id')} = %s)"
        f" SELECT c.{qn('id')} FROM {claims} c WHERE c.{qn('article_id')} = %s"
        f" AND c.{qn('version')} = 1"
        f" AND NOT EXISTS (SELECT 1 FROM {evidence} e WHERE e.{qn('claim_id')} = c.{qn('id')})"
        " AND NOT EXISTS (SELECT 1 FROM wanted w"
        f" WHERE w.start = c.{qn('start')} AND w.stop = c.{qn('end')})"
    )


def _write_postgresql(
    *, article_id: int, wanted: Sequence[SentenceProposal], outcome: dict
) -> list[int]:
    keys = ("text", "start", "stop", "score", "claim_type", "claimer")
    claims = json.dumps([dict(zip(keys, _claim_row(p), strict=True)) for p in wanted])
    now = timezone.now()
    params = [
        claims,
        article_id,
        ClaimStatus.PROPOSED,
        now,
        now,
        *(outcome[c] for c in _OUTCOME_COLUMNS[:-1]),
        json.dumps(outcome["sentence_scores"]),
        article_id,
        article_id,
    ]
    # Only quoted identifiers from the models' metadata are formatted in; values are bound.
    with connection.cursor() as cursor:
        cursor.execute(_postgresql_write_sql(), params)
        return [row[0] for row in cursor.fetchall()]


def _upsert_values(*, article_id: int, proposals: Sequence[SentenceProposal]) -> None:
    """INSERT ... VALUES (...), (...) ON CONFLICT: the portable upsert (SQLite >= 3.24)."""
    if not proposals:
        return
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(_CLAIM_COLUMNS)) + ")"
    now = timezone.now()
    params: list[object] = []
    for p in proposals:
        params += [article_id, *_claim_row(p), ClaimStatus.PROPOSED, 1, now, now]
    sql = (
        f"INSERT INTO {qn(Claim._meta.db_table)} ({', '.join(qn(c) for c in _CLAIM_COLUMNS)})"  # noqa: S608
        f" VALUES {', '.join([row] * len(proposals))}{_on_conflict()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
            # Back to pending with a fresh queued_at (so the next sweep waits again), as a new
            # request (a run still alive leaves it pending); the attempt count is kept, it is
            # what stops an endless loop.
            Article.objects.filter(pk__in=requeued).update(
                proposal_state=ProposalState.PENDING,
                proposal_queued_at=Now(),
                proposal_requests=F("proposal_requests") + 1,
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
