"""Rank the archive for a claim's text: PostgreSQL full-text candidates, re-ranked in Python.

PostgreSQL: the generated ``search`` tsvector column (GIN index, migration 0001) finds the
top FACT_CHECK_CANDIDATES entries by ``ts_rank_cd`` for an OR of the claim's lexemes, leaving
out lexemes the planner's statistics put on more than FACT_CHECK_COMMON_LEXEME of the archive
(on a million entries an OR over "said" or "percent" would rank a tenth of the table); the
shipped ranker (``extraction.retrieval``) then re-ranks those candidates. Elsewhere (SQLite,
tests) the whole archive is indexed in memory, exactly as ``retrieve_fact_checks`` does, and
kept per process until the archive changes.
"""

from __future__ import annotations

import re
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from extraction.retrieval import ArchiveIndex, default_ranker
from extraction.retrieval.records import FactCheck as Record
from factchecks.models import FactCheck

# Lexemes put in the tsquery text must need no quoting: word characters only.
_LEXEME = re.compile(r"\w+")
# Planner statistics change only with ANALYZE: re-read them this often.
_STATS_SECONDS = 300
_MAX_QUERY_LEXEMES = 32

_lock = threading.Lock()
_memory: dict[str, object] = {}
_common: dict[str, object] = {"at": 0.0, "lexemes": frozenset()}


def uses_full_text() -> bool:
    """Whether candidates come from PostgreSQL full-text search (else the in-memory index)."""
    return connection.vendor == "postgresql"


def rank_archive(text: str, *, top: int, min_score: float) -> list[tuple[int, float]]:
    """(fact-check id, score) of the best archive entries for ``text``, best first."""
    if not text.strip() or top < 1:
        return []
    if uses_full_text():
        records = full_text_candidates(text, limit=settings.FACT_CHECK_CANDIDATES)
        if not records:
            return []
        ranker = default_ranker(ArchiveIndex.build(records))
    else:
        ranker = _memory_ranker()
        if ranker is None:
            return []
    return [(int(h.id), h.score) for h in ranker.rank(text, top=top) if h.score >= min_score]


def full_text_candidates(text: str, *, limit: int) -> list[Record]:
    """The archive entries PostgreSQL's full-text ranking puts first for ``text``."""
    table = FactCheck._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [text])
        lexemes = [w for w in cursor.fetchone()[0] if _LEXEME.fullmatch(w)]
        common = _common_lexemes(cursor)
        kept = [w for w in lexemes if w not in common] or lexemes
        if not kept:
            return []
        query = " | ".join(f"'{w}'" for w in kept[:_MAX_QUERY_LEXEMES])
        cursor.execute(
            f"SELECT id, claim, title FROM {table}, CAST(%s AS tsquery) q "  # noqa: S608
            "WHERE search @@ q ORDER BY ts_rank_cd(search, q) DESC, id LIMIT %s",
            [query, limit],
        )
        return [Record(id=str(pk), claim=claim, title=title) for pk, claim, title in cursor]


def _common_lexemes(cursor) -> frozenset[str]:
    now = time.monotonic()
    if now - float(_common["at"]) < _STATS_SECONDS:
        return _common["lexemes"]  # type: ignore[return-value]
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = %s AND attname = 'search'",
        [FactCheck._meta.db_table],
    )
    row = cursor.fetchone()
    common: frozenset[str] = frozenset()
    if row and row[0]:
        # The frequencies array ends with three summary numbers (min, max, null fraction).
        cap = settings.FACT_CHECK_COMMON_LEXEME
        common = frozenset(w for w, f in zip(row[0], row[1], strict=False) if f > cap)
    _common.update(at=now, lexemes=common)
    return common


def forget_statistics() -> None:
    """Read the planner statistics and the archive again on the next ranking (tests, imports)."""
    _common.update(at=0.0, lexemes=frozenset())
    with _lock:
        _memory.clear()


def _memory_ranker():
    state = FactCheck.objects.aggregate(n=Count("id"), top=Max("id"), changed=Max("updated_at"))
    if not state["n"]:
        return None
    key = (state["n"], state["top"], state["changed"])
    with _lock:
        if _memory.get("key") != key:
            records = [
                Record(id=str(pk), claim=claim, title=title)
                for pk, claim, title in FactCheck.objects.order_by("id").values_list(
                    "id", "claim", "title"
                )
            ]
            _memory.update(key=key, ranker=default_ranker(ArchiveIndex.build(records)))
        return _memory["ranker"]
