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
disk (see articles.proposal_state.RELAXED_COMMIT): one statement marks the article running
and reads it (articles.proposal_state.article_claim_run), then in one transaction the row
lock and one statement that upserts the claims, records the outcome with its history row
and lists the stale proposals (deleted through the ORM, which cascades, only when a
re-run leaves some). SQLite runs the same steps as separate statements.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.module_loading import import_string

from articles.models import Article, ProposalState
from articles.proposal_queue import (
    article_mark_failed,
)
from articles.proposal_state import (
    RELAXED_COMMIT,
    article_claim_run,
    article_record_outcome,
    check_transition,
    outcome_ctes,
    outcome_params,
)
from claims import deadlines
from claims.models import CLAIM_CONTENT_COLUMNS, Claim, ClaimStatus, Evidence
from claims.signals import claims_proposed
from extraction.boilerplate import own_voice_claimer
from extraction.types import ProposalResult, SentenceProposal

logger = logging.getLogger(__name__)

# How often a run re-reads the text when the article is edited while the pipeline runs.
_MAX_TEXT_CHANGES = 3
# Rows per INSERT on SQLite: far below its bound-parameter limit. PostgreSQL sends one array
# per column, whatever the number of claims.
_UPSERT_BATCH = 500


class ProposalError(Exception):
    """Proposal could not run for a reason retrying will not fix."""


def _pipeline() -> Callable[..., ProposalResult]:
    # A dotted path, so a deployment (or a test worker) can swap the pipeline without code.
    return import_string(settings.CLAIM_PIPELINE)


def article_propose_claims(*, article_id: int, force: bool = False, actor: str = "") -> Article:
    """Run the claim pipeline on an article and upsert its proposed claims, idempotently.

    Claims a reviewer has touched (version > 1) are kept whatever the pipeline now says;
    untouched proposals are updated, added or removed to match the pipeline's output. Unless
    ``force``, an article whose latest request was already served is returned untouched.
    ``actor`` (the worker's name) goes into the article's proposal history.
    Raises ``Article.DoesNotExist`` for a deleted article.
    """
    article = article_claim_run(article_id=article_id, force=force, actor=actor)
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
            actor=actor,
        )
        article.refresh_from_db()
        return article

    body = article.body
    for _ in range(_MAX_TEXT_CHANGES):
        began = time.perf_counter()
        result, model_version_id = _run_pipeline(article, body)
        pipeline_ms = (time.perf_counter() - began) * 1000
        with transaction.atomic():
            # Lock the article: two runs of one article write their claims one after the
            # other (the second one's upsert then changes nothing), and an edit of the text
            # cannot slip in between reading the text and writing offsets into it.
            current_body, requests, finished, from_state = _lock(article_id)
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
            history = {
                "from_state": from_state,
                "attempt": article.proposal_attempts,
                "actor": actor,
                "logged": check_transition(from_state, state, article_id=article_id),
            }
            stale = _write(
                article_id=article_id,
                wanted=wanted,
                outcome=outcome,
                history=history,
                model_version_id=model_version_id,
            )
            # New proposals get their due time (score tier, editors' rules) with them.
            deadlines.article_set_due(
                article_id=article_id, source=article.source, texts=[article.title, body]
            )
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


def _lock(article_id: int) -> tuple[str, int, datetime, str]:
    """Lock the article row; its text, request count, the database's time and its state."""
    if connection.vendor != "postgresql":
        locked = (
            Article.objects.select_for_update()
            .annotate(db_now=Now())
            .values_list("body", "proposal_requests", "db_now", "proposal_state")
            .get(pk=article_id)
        )
        return locked
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('body')}, {qn('proposal_requests')}, statement_timestamp(),"  # noqa: S608
            f" {qn('proposal_state')}, {RELAXED_COMMIT} FROM {qn(Article._meta.db_table)}"
            f" WHERE {qn('id')} = %s FOR UPDATE",
            [article_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist(f"Article {article_id} was deleted during proposal.")
    return row[0], row[1], row[2], row[3]


def _run_pipeline(article: Article, body: str) -> tuple[ProposalResult, int]:
    """The pipeline's result with the active model version (claims.desk_model), and its id."""
    from claims.desk_model import proposal_scorer

    scorer, version = proposal_scorer()
    threshold = settings.CLAIM_PROPOSAL_THRESHOLD
    if threshold is None:
        threshold = scorer.threshold
    return _pipeline()(
        body,
        language=article.language or None,
        # Own-voice sentences are the byline agency's copy when one is credited ("with AFP").
        outlet=own_voice_claimer(article.source, article.author),
        threshold=threshold,
        scorer=scorer,
    ), version.pk


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


def _write(
    *,
    article_id: int,
    wanted: Sequence[SentenceProposal],
    outcome: dict,
    history: dict,
    model_version_id: int | None = None,
) -> list[int]:
    """Upsert the wanted claims and record the outcome and its history (caller holds the lock).

    Returns the ids of the untouched claims the pipeline no longer proposes. A version-1
    claim with evidence counts as touched (claim_add_evidence keeps the version).
    """
    if connection.vendor == "postgresql":
        return _write_postgresql(
            article_id=article_id,
            wanted=wanted,
            outcome=outcome,
            history=history,
            model_version_id=model_version_id,
        )
    untouched = Claim.objects.filter(article_id=article_id, version=1, evidence__isnull=True)
    spans = {(p.start, p.end) for p in wanted}
    stale = [
        pk
        for pk, start, end in untouched.values_list("pk", "start", "end")
        if (start, end) not in spans
    ]
    for i in range(0, len(wanted), _UPSERT_BATCH):
        _upsert_values(
            article_id=article_id,
            proposals=wanted[i : i + _UPSERT_BATCH],
            model_version_id=model_version_id,
        )
    article_record_outcome(
        article_id=article_id,
        outcome=outcome,
        from_state=history["from_state"],
        attempt=history["attempt"],
        actor=history["actor"],
    )
    return stale


_CLAIM_COLUMNS = (*CLAIM_CONTENT_COLUMNS, "created_at", "updated_at", "model_version_id")
# What a re-run may change on an untouched claim.
_UPDATED = ("text", "score", "claim_type", "claimer", "model_version_id")


def _on_conflict() -> str:
    """ON CONFLICT (span) DO UPDATE, skipping touched claims and unchanged rows.

    Raw SQL because the ORM's bulk_create(update_conflicts=True) cannot say "only if
    untouched".
    """
    qn = connection.ops.quote_name
    table = qn(Claim._meta.db_table)
    # A reviewer's claimer / type (claims.corrections) survives a re-run even if the version
    # rule below ever changes.
    locked = {"claimer": "claimer_locked", "claim_type": "type_locked"}
    assign = ", ".join(
        f"{qn(c)} = CASE WHEN {table}.{qn(locked[c])} THEN {table}.{qn(c)}"
        f" ELSE excluded.{qn(c)} END"
        if c in locked
        else f"{qn(c)} = excluded.{qn(c)}"
        for c in [*_UPDATED, "updated_at"]
    )
    # COALESCE: the model version is null on claims proposed before versions were recorded.
    changed = " OR ".join(
        f"COALESCE({table}.{qn(c)}, 0) <> COALESCE(excluded.{qn(c)}, 0)"
        if c == "model_version_id"
        else f"{table}.{qn(c)} <> excluded.{qn(c)}"
        for c in _UPDATED
    )
    return (
        f" ON CONFLICT ({qn('article_id')}, {qn('start')}, {qn('end')}) DO UPDATE SET {assign}"
        # Touched claims are the reviewer's; unchanged rows keep updated_at, so a re-run
        # that finds the same claims does not flood the API's changes feed.
        f" WHERE {table}.{qn('version')} = 1 AND ({changed})"
    )


def _claim_row(p: SentenceProposal) -> tuple[str, int, int, float, str, str]:
    return p.text, p.start, p.end, min(max(float(p.score), 0.0), 1.0), p.claim_type, p.claimer[:300]


@cache
def _postgresql_write_sql(logged: bool) -> str:
    qn = connection.ops.quote_name
    claims = qn(Claim._meta.db_table)
    evidence = qn(Evidence._meta.db_table)
    # Three things in one statement (one round trip): the claims (one JSON parameter: no
    # per-value quoting on the client), the article's outcome (and its history row, both
    # written by articles.proposal_state's SQL), and the untouched claims the
    # pipeline no longer proposes. The parts touch disjoint rows, and the final SELECT sees
    # the claims as they were before this statement: the ones it lists are the stale ones.
    return (
        "WITH wanted AS (SELECT * FROM json_to_recordset(%s::json) AS w("  # noqa: S608
        "text text, start integer, stop integer, score double precision, claim_type text,"
        " claimer text)"
        f"), upserted AS (INSERT INTO {claims} ({', '.join(qn(c) for c in _CLAIM_COLUMNS)})"
        " SELECT %s, text, start, stop, score, claim_type, claimer, %s, 1, %s, %s, %s FROM wanted"
        f"{_on_conflict()})"
        f"{outcome_ctes(logged=logged)}"
        f" SELECT c.{qn('id')} FROM {claims} c WHERE c.{qn('article_id')} = %s"
        f" AND c.{qn('version')} = 1"
        f" AND NOT EXISTS (SELECT 1 FROM {evidence} e WHERE e.{qn('claim_id')} = c.{qn('id')})"
        " AND NOT EXISTS (SELECT 1 FROM wanted w"
        f" WHERE w.start = c.{qn('start')} AND w.stop = c.{qn('end')})"
    )


def _write_postgresql(
    *,
    article_id: int,
    wanted: Sequence[SentenceProposal],
    outcome: dict,
    history: dict,
    model_version_id: int | None,
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
        model_version_id,
        *outcome_params(article_id=article_id, outcome=outcome, **history),
        article_id,
    ]
    # Only quoted identifiers from the models' metadata are formatted in; values are bound.
    with connection.cursor() as cursor:
        cursor.execute(_postgresql_write_sql(history["logged"]), params)
        return [row[0] for row in cursor.fetchall()]


def _upsert_values(
    *, article_id: int, proposals: Sequence[SentenceProposal], model_version_id: int | None
) -> None:
    """INSERT ... VALUES (...), (...) ON CONFLICT: the portable upsert (SQLite >= 3.24)."""
    if not proposals:
        return
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(_CLAIM_COLUMNS)) + ")"
    now = timezone.now()
    params: list[object] = []
    for p in proposals:
        params += [article_id, *_claim_row(p), ClaimStatus.PROPOSED, 1, now, now, model_version_id]
    sql = (
        f"INSERT INTO {qn(Claim._meta.db_table)} ({', '.join(qn(c) for c in _CLAIM_COLUMNS)})"  # noqa: S608
        f" VALUES {', '.join([row] * len(proposals))}{_on_conflict()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
