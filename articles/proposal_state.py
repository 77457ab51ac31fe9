"""The only writer of ``Article.proposal_state``: a transitions table, a history row per change.

Every move goes through here, as a claim's status goes through ``claim_set_status``:

- ``article_set_proposal_state`` locks the row, checks ``TRANSITIONS``, writes the state and
  whatever bookkeeping the caller passes, and records an ``ArticleProposalChange``;
- ``articles_set_proposal_state`` does the same for many rows the caller has locked (the sweep);
- the worker's two hot writes keep their single statement on PostgreSQL:
  ``article_claim_run`` (mark running, one attempt more, return the article) and the run's
  outcome, whose SQL pieces (``outcome_ctes``) the proposal service splices into the one
  statement that also upserts the claims. The history row is part of the same statement.

An unchanged state writes no history row (the bookkeeping fields still update: a second
request for a pending article is still counted). An illegal move raises
``IllegalProposalTransition``; ``expected_from`` is a compare-and-set guard instead: when the
current state is not one of them nothing is written and None comes back.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from functools import cache, lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.functions import Now
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

from articles.models import Article, ArticleProposalChange, ProposalState

PENDING, RUNNING, DONE, FAILED, UNSUPPORTED = (
    ProposalState.PENDING,
    ProposalState.RUNNING,
    ProposalState.DONE,
    ProposalState.FAILED,
    ProposalState.UNSUPPORTED,
)
# A run's outcome is one of these, whatever the state it finds under its row lock: the request
# count decides (claims.proposal), and a run that outlived a give-up or a newer run still
# records what it found, as proposal always has.
_OUTCOMES = frozenset({PENDING, DONE, UNSUPPORTED})
# from -> the states it may move to. A same-state move is a no-op (no history row), except
# RUNNING -> RUNNING: a redelivered message (lost worker) claims the article again, one
# attempt more, and that is worth a row.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    # A worker claims it; the sweep or the last retry gives up; an older run's outcome.
    PENDING: frozenset({RUNNING, FAILED}) | _OUTCOMES,
    # A run ends; fails; a request came in while it ran or the sweep requeued a lost run.
    RUNNING: frozenset({RUNNING, FAILED}) | _OUTCOMES,
    # A re-run is requested (RUNNING: a forced run); a late run records its outcome.
    DONE: frozenset({RUNNING}) | _OUTCOMES,
    UNSUPPORTED: frozenset({RUNNING}) | _OUTCOMES,
    # A re-run; a redelivered message; a run that outlived the give-up records its outcome.
    FAILED: frozenset({RUNNING}) | _OUTCOMES,
}
# Settled states: the latest request was served. A duplicate delivery then claims nothing,
# and a late failure (a duplicate message meeting a database outage) does not unsettle it.
SETTLED = (DONE, UNSUPPORTED)
# A select-list item that makes the current transaction's commit skip waiting for the WAL
# flush (set_config(..., true) is SET LOCAL without a round trip of its own). Waiting for
# the disk twice per article would cap proposal at the fsync rate; a PostgreSQL crash can
# lose the last fraction of a second of these commits, never tear one: those articles are
# left pending or running, and the stale sweep proposes them again.
RELAXED_COMMIT = "set_config('synchronous_commit', 'off', true)"
_ERROR_MAX = 5000


class IllegalProposalTransition(Exception):
    """A proposal state change the transitions table does not allow."""

    def __init__(self, from_state: str, to_state: str, article_id: int | None = None) -> None:
        self.from_state, self.to_state = from_state, to_state
        where = f"article {article_id}: " if article_id is not None else ""
        super().__init__(f"{where}proposal state cannot move from {from_state} to {to_state}")


def check_transition(from_state: str, to_state: str, *, article_id: int | None = None) -> bool:
    """True if the move is a change (a history row), False if a no-op; raises if illegal."""
    if from_state == to_state and to_state != RUNNING:
        return False
    if to_state in TRANSITIONS.get(from_state, ()):
        return True
    raise IllegalProposalTransition(from_state, to_state, article_id)


def article_set_proposal_state(
    *,
    article_id: int,
    to_state: str,
    expected_from: Collection[str] | None = None,
    error: str | None = None,
    actor: str = "",
    fields: Mapping[str, object] | None = None,
) -> str | None:
    """Move one article's proposal state; returns the state it left, None if not expected.

    ``fields`` are the bookkeeping columns written with it (queued_at, request count...).
    Raises ``Article.DoesNotExist`` and ``IllegalProposalTransition``.
    """
    with transaction.atomic():
        row = (
            Article.objects.select_for_update()
            .filter(pk=article_id)
            .values_list("proposal_state", "proposal_attempts")
            .first()
        )
        if row is None:
            raise Article.DoesNotExist(f"Article {article_id} does not exist.")
        if expected_from is not None and row[0] not in expected_from:
            return None
        articles_set_proposal_state(
            rows=[(article_id, *row)], to_state=to_state, error=error, actor=actor, fields=fields
        )
    return row[0]


def articles_set_proposal_state(
    *,
    rows: Sequence[tuple[int, str, int]],
    to_state: str,
    error: str | None = None,
    actor: str = "",
    fields: Mapping[str, object] | None = None,
) -> list[int]:
    """Move the ``(id, current state, attempts)`` rows the caller has locked to ``to_state``.

    One UPDATE for all of them and one INSERT for the history rows; returns the ids whose
    state changed. Raises ``IllegalProposalTransition`` before writing anything.
    """
    changed = [row for row in rows if check_transition(row[1], to_state, article_id=row[0])]
    if not rows:
        return []
    values: dict[str, object] = {"proposal_state": to_state, **(fields or {})}
    if error is not None:
        values["proposal_error"] = error[:_ERROR_MAX]
    Article.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(**values)
    if changed:
        ArticleProposalChange.objects.bulk_create(
            ArticleProposalChange(
                article_id=pk,
                from_state=state,
                to_state=to_state,
                at=Now(),
                error=(error or "")[:_ERROR_MAX],
                attempt=attempts,
                actor=actor[:200],
            )
            for pk, state, attempts in changed
        )
    return [pk for pk, _, _ in changed]


def article_claim_run(*, article_id: int, force: bool = False, actor: str = "") -> Article | None:
    """Mark the article running, one attempt more, and return it; None if nothing was due.

    Unless ``force``, a settled article is not claimed (a duplicate delivery costs one
    statement that matches nothing). On PostgreSQL one statement locks the row, writes it,
    records the history row and returns the article, in autocommit: two workers claiming one
    article queue on the row lock, and each sees the other's attempt.
    """
    if connection.vendor == "postgresql":
        params: list[object] = [article_id, *([] if force else SETTLED), RUNNING, RUNNING, actor]
        with connection.cursor() as cursor:
            cursor.execute(_claim_sql_postgresql(force), params)
            row = cursor.fetchone()
        return None if row is None else _article_from_row(row[:-1])
    with transaction.atomic():
        qs = Article.objects.select_for_update().filter(pk=article_id)
        if not force:
            qs = qs.exclude(proposal_state__in=SETTLED)
        from_state = qs.values_list("proposal_state", flat=True).first()
        if from_state is None:
            return None
        with connection.cursor() as cursor:
            cursor.execute(_claim_sql_sqlite(), [RUNNING, article_id])
            row = cursor.fetchone()
        article = _article_from_row(row)
        ArticleProposalChange.objects.create(
            article_id=article_id,
            from_state=from_state,
            to_state=RUNNING,
            at=Now(),
            attempt=article.proposal_attempts,
            actor=actor[:200],
        )
    return article


def _quoted() -> tuple:
    qn = connection.ops.quote_name
    return qn, qn(Article._meta.db_table), qn(ArticleProposalChange._meta.db_table)


_HISTORY_COLUMNS = ("article_id", "from_state", "to_state", "at", "error", "attempt", "actor")


@cache
def _claim_sql_postgresql(force: bool) -> str:
    qn, articles, history = _quoted()
    columns = ", ".join(f"a.{qn(f.column)}" for f in Article._meta.concrete_fields)
    due = "" if force else f" AND {qn('proposal_state')} NOT IN (%s, %s)"
    state, attempts = qn("proposal_state"), qn("proposal_attempts")
    # Only quoted identifiers from the models' metadata are formatted in; values are bound.
    return (
        f"WITH prev AS (SELECT {qn('id')}, {state} AS from_state, {RELAXED_COMMIT}"  # noqa: S608
        f" FROM {articles} WHERE {qn('id')} = %s{due} FOR UPDATE),"
        f" claimed AS (UPDATE {articles} a SET {state} = %s,"
        f" {qn('proposal_started_at')} = STATEMENT_TIMESTAMP(),"
        f" {qn('proposal_finished_at')} = NULL, {attempts} = a.{attempts} + 1"
        f" FROM prev WHERE a.{qn('id')} = prev.{qn('id')} RETURNING {columns}, prev.from_state),"
        f" logged AS (INSERT INTO {history} ({', '.join(qn(c) for c in _HISTORY_COLUMNS)})"
        f" SELECT {qn('id')}, from_state, %s, STATEMENT_TIMESTAMP(), '', {attempts}, %s"
        " FROM claimed)"
        " SELECT * FROM claimed"
    )


@cache
def _claim_sql_sqlite() -> str:
    qn, articles, _ = _quoted()
    columns = ", ".join(qn(f.column) for f in Article._meta.concrete_fields)
    now = Query(Article).get_compiler(connection=connection).compile(Now())[0]
    return (
        f"UPDATE {articles} SET {qn('proposal_state')} = %s,"  # noqa: S608
        f" {qn('proposal_started_at')} = {now}, {qn('proposal_finished_at')} = NULL,"
        f" {qn('proposal_attempts')} = {qn('proposal_attempts')} + 1"
        f" WHERE {qn('id')} = %s RETURNING {columns}"
    )


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


# --- a run's outcome --------------------------------------------------------------------------

# The outcome a run records on the article (sentence_scores last: it is the JSON one).
OUTCOME_COLUMNS = (
    "language",
    "proposal_state",
    "proposal_error",
    "proposal_scorer",
    "proposal_finished_at",
    "proposed_claim_count",
    "sentence_scores",
)


@cache
def outcome_ctes(*, logged: bool) -> str:
    """The CTEs that record a run's outcome (and its history row when ``logged``), PostgreSQL.

    Parameters, in order: ``outcome_params(...)``. The caller holds the row lock and has
    checked the move with ``check_transition``.
    """
    qn, articles, history = _quoted()
    values = ", ".join(f"{qn(c)} = %s" for c in OUTCOME_COLUMNS[:-1])
    values += f", {qn(OUTCOME_COLUMNS[-1])} = %s::jsonb"
    sql = f", recorded AS (UPDATE {articles} SET {values} WHERE {qn('id')} = %s)"  # noqa: S608
    if logged:
        sql += (
            f", logged AS (INSERT INTO {history} ({', '.join(qn(c) for c in _HISTORY_COLUMNS)})"  # noqa: S608
            " VALUES (%s, %s, %s, %s, %s, %s, %s))"
        )
    return sql


def outcome_params(
    *,
    article_id: int,
    outcome: Mapping[str, object],
    from_state: str,
    attempt: int,
    actor: str,
    logged: bool,
) -> list[object]:
    """The parameters of ``outcome_ctes(logged=...)``, from the outcome (OUTCOME_COLUMNS)."""
    params = [outcome[c] for c in OUTCOME_COLUMNS[:-1]]
    params += [json.dumps(outcome["sentence_scores"]), article_id]
    if logged:
        params += _history_values(article_id, outcome, from_state, attempt, actor)
    return params


def _history_values(article_id, outcome, from_state, attempt, actor) -> list[object]:
    return [
        article_id,
        from_state,
        outcome["proposal_state"],
        outcome["proposal_finished_at"],
        outcome["proposal_error"][:_ERROR_MAX],
        attempt,
        actor[:200],
    ]


def article_record_outcome(
    *, article_id: int, outcome: Mapping[str, object], from_state: str, attempt: int, actor: str
) -> None:
    """Record a run's outcome through the ORM (the caller holds the row lock): not PostgreSQL."""
    logged = check_transition(from_state, str(outcome["proposal_state"]), article_id=article_id)
    Article.objects.filter(pk=article_id).update(**outcome)
    if logged:
        values = _history_values(article_id, outcome, from_state, attempt, actor)
        ArticleProposalChange.objects.create(**dict(zip(_HISTORY_COLUMNS, values, strict=True)))
