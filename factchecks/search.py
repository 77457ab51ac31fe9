"""Rank the archive for a claim's text: PostgreSQL full-text candidates, re-ranked in Python.

PostgreSQL, an archive over FACT_CHECK_FULL_TEXT_ABOVE entries: the generated ``search``
tsvector column (GIN index, migration 0001) finds the top FACT_CHECK_CANDIDATES entries by
``ts_rank_cd`` for an OR of the claim's lexemes, leaving out lexemes the planner's statistics
put on more than FACT_CHECK_COMMON_LEXEME of the archive (on a million entries an OR over
"said" or "percent" would rank a tenth of the table); the shipped re-ranker scores those
candidates (``extraction.retrieval.rerank``, with the candidates' own lexical statistics).
Elsewhere (SQLite, tests, smaller archives) the whole archive is indexed in memory, exactly as
``retrieve_fact_checks`` does, and kept per process until the archive changes.

The re-ranker's score is relative: it was trained on queries that all had a fact-check, so
the best candidate of an unrelated claim can score high too. A hit must therefore also share
FACT_CHECK_MIN_SHARED_WORDS content words with the claim.
"""

from __future__ import annotations

import re
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from extraction.retrieval import ArchiveIndex, default_ranker
from extraction.retrieval.index import analyzer
from extraction.retrieval.records import FactCheck as Record
from extraction.retrieval.rerank import rerank
from extraction.retrieval.text import prepare
from factchecks.models import FactCheck

# Lexemes put in the tsquery text must need no quoting: word characters only.
_LEXEME = re.compile(r"\w+")
# Planner statistics change only with ANALYZE: re-read them this often.
_STATS_SECONDS = 300
_MAX_QUERY_LEXEMES = 32

_lock = threading.Lock()
_memory: dict[str, object] = {}
_common: dict[str, object] = {"at": 0.0, "lexemes": frozenset()}
# Whether the archive is over FACT_CHECK_FULL_TEXT_ABOVE, re-checked this often.
_SIZE_SECONDS = 60
_size: dict[str, object] = {"at": -1e9, "threshold": None, "over": False}


def uses_full_text() -> bool:
    """Whether candidates come from PostgreSQL full-text search (else the in-memory index).

    Only on PostgreSQL, and only for an archive over FACT_CHECK_FULL_TEXT_ABOVE entries: a
    smaller one is indexed in memory whole, which ranks as well as ``retrieve_fact_checks``
    (dev MAP@5 0.818 against 0.764 for full-text candidates re-ranked) in a few ms a claim.
    """
    if connection.vendor != "postgresql":
        return False
    threshold = settings.FACT_CHECK_FULL_TEXT_ABOVE
    now = time.monotonic()
    if now - float(_size["at"]) > _SIZE_SECONDS or _size["threshold"] != threshold:
        with connection.cursor() as cursor:
            # Bounded: counts at most threshold + 1 rows, however big the archive.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FactCheck._meta.db_table} "  # noqa: S608
                "LIMIT %s) t",
                [threshold + 1],
            )
            _size.update(at=now, threshold=threshold, over=cursor.fetchone()[0] > threshold)
    return bool(_size["over"])


def rank_archive(text: str, *, top: int, min_score: float) -> list[tuple[int, float]]:
    """(fact-check id, score) of the best archive entries for ``text``, best first."""
    if not text.strip() or top < 1:
        return []
    if uses_full_text():
        records = full_text_candidates(text, limit=settings.FACT_CHECK_CANDIDATES)
        hits = rerank(text, records, top=top)
        by_id = {r.id: r for r in records}
    else:
        ranker = _memory_ranker()
        if ranker is None:
            return []
        hits = ranker.rank(text, top=top)
        by_id = _memory["records"]  # type: ignore[assignment]
    words = _words(text)
    need = settings.FACT_CHECK_MIN_SHARED_WORDS
    return [
        (int(h.id), h.score)
        for h in hits
        if h.score >= min_score and len(words & _words(_record_text(by_id[h.id]))) >= need
    ]


def _words(text: str) -> set[str]:
    return set(analyzer("bm25")(prepare(text)))


def _record_text(record: Record) -> str:
    return f"{record.claim} {record.title}"


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
    _size.update(at=-1e9, threshold=None)
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
            _memory.update(
                key=key,
                ranker=default_ranker(ArchiveIndex.build(records)),
                records={r.id: r for r in records},
            )
        return _memory["ranker"]
