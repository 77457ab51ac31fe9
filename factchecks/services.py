"""Writes of the fact-check archive: imports (file bytes or a URL) and a claim's archive hits.

An import reads the whole file with ``extraction.retrieval.read_archive`` (the same readers as
``retrieve_fact_checks``), rejects rows the database cannot hold or the pages must not link to,
and upserts the rest on (author, external id): a re-import updates rows instead of duplicating
them. Every import writes one ``FactCheckImport`` row, also when the file could not be read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.importing import FetchError, fetch_url
from extraction.language import detect_language
from extraction.retrieval import read_archive
from extraction.retrieval.records import ArchiveError
from extraction.retrieval.records import FactCheck as Record
from factchecks.models import FactCheck, FactCheckHit, FactCheckImport

logger = logging.getLogger(__name__)

REMATCH_TASK = "factchecks.tasks.rematch_recent_claims"
# Row errors kept on the import record: enough to fix a file, not a copy of a broken one.
MAX_ERRORS_KEPT = 500
_CHUNK = 2000
_LIMITS = {"id": 500, "author": 300, "rating": 300, "url": 2000, "date": 100}
# Media types of a fetched archive, when the URL's own name does not say the format.
_MEDIA_FORMATS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/ld+json": "json",
    "text/csv": "csv",
    "application/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
}
_SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonld": "json",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_FIELDS = ("claim", "title", "rating", "url", "date_text", "published_on", "language")


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    record: Record


def fact_checks_import(
    *,
    data: bytes,
    source: str,
    via: str,
    imported_by=None,
    format: str | None = None,
) -> FactCheckImport:
    """Import an archive file's bytes; the import row says what landed and what was rejected."""
    record = FactCheckImport(imported_by=imported_by, via=via, source=source[:2000])
    try:
        result = read_archive(
            data,
            name=PurePosixPath(urlsplit(source).path).name or source,
            format=format,
            max_bytes=settings.FACT_CHECK_IMPORT_MAX_BYTES,
        )
    except ArchiveError as exc:
        return _failed(record, str(exc))
    record.format = result.format
    errors = [(e.row, e.message) for e in result.errors]
    rows: dict[tuple[str, str], _Row] = {}
    for rec in result.records:
        row_no = rec.row
        problem = _problem(rec)
        if problem:
            errors.append((row_no, problem))
        else:
            # A file that lists the same fact-check twice: the later row wins, as on re-import.
            rows[rec.author, rec.id] = _Row(row_no, rec)
    if not rows and not errors:
        return _failed(record, "the file holds no fact-check")
    errors.sort()
    record.rejected = len(errors)
    record.errors = [{"row": row, "message": message} for row, message in errors][:MAX_ERRORS_KEPT]
    if not rows:
        record.state = FactCheckImport.State.FAILED
        record.error = f"no row could be imported ({len(errors)} rejected)"
    with transaction.atomic():
        record.save()
        _upsert(record, list(rows.values()))
        if record.created or record.updated:
            transaction.on_commit(_publish_rematch, robust=True)
    logger.info(
        "fact-check import %s from %s: %d created, %d updated, %d unchanged, %d rejected",
        record.pk, source, record.created, record.updated, record.unchanged, record.rejected,
    )  # fmt: skip
    return record


def fact_checks_import_url(*, url: str, via: str, imported_by=None) -> FactCheckImport:
    """Fetch an archive through the importer's SSRF-safe fetcher, then import it."""
    try:
        doc = fetch_url(
            url,
            max_bytes=settings.FACT_CHECK_IMPORT_MAX_BYTES,
            extra_types=frozenset({"text/csv", "application/csv"}),
        )
    except FetchError as exc:
        record = FactCheckImport(imported_by=imported_by, via=via, source=url[:2000])
        return _failed(record, str(exc))
    suffix = PurePosixPath(urlsplit(doc.url).path).suffix.lower()
    fmt = _SUFFIX_FORMATS.get(suffix) or _MEDIA_FORMATS.get(doc.content_type)
    return fact_checks_import(
        data=doc.content, source=url, via=via, imported_by=imported_by, format=fmt
    )


def _failed(record: FactCheckImport, error: str) -> FactCheckImport:
    record.state = FactCheckImport.State.FAILED
    record.error = error
    record.save()
    logger.info("fact-check import from %s failed: %s", record.source, error)
    return record


def _problem(rec: Record) -> str:
    """Why the database or the claim page cannot take this record ("" when it can)."""
    for name, limit in _LIMITS.items():
        if len(getattr(rec, name)) > limit:
            return f'"{name}" is longer than {limit} characters'
    if rec.url:
        parts = urlsplit(rec.url)
        # The claim page links to it: only web addresses (no javascript:, data:, file:).
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return f'"url" must be an http(s) address, got {rec.url[:80]!r}'
    return ""


def _values(rec: Record) -> dict:
    return {
        "claim": rec.claim,
        "title": rec.title,
        "rating": rec.rating,
        "url": rec.url,
        "date_text": rec.date,
        "published_on": _parse_date(rec.date),
        "language": detect_language(rec.claim or rec.title)[:16],
    }


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    from dateutil import parser

    try:
        return parser.parse(text, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def _upsert(record: FactCheckImport, rows: list[_Row]) -> None:
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        # Lock what exists: two imports of the same file must not both insert a row.
        existing = {
            (fc.author, fc.external_id): fc
            for fc in FactCheck.objects.select_for_update().filter(
                external_id__in={r.record.id for r in chunk},
                author__in={r.record.author for r in chunk},
            )
        }
        new, changed = [], []
        now = timezone.now()
        for row in chunk:
            values = _values(row.record)
            old = existing.get((row.record.author, row.record.id))
            if old is None:
                new.append(
                    FactCheck(
                        external_id=row.record.id,
                        author=row.record.author,
                        source_import=record,
                        **values,
                    )
                )
            elif any(getattr(old, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(old, k, v)
                old.source_import, old.updated_at = record, now
                changed.append(old)
            else:
                record.unchanged += 1
        FactCheck.objects.bulk_create(new)
        FactCheck.objects.bulk_update(changed, [*_FIELDS, "source_import", "updated_at"])
        record.created += len(new)
        record.updated += len(changed)
    record.save(update_fields=["created", "updated", "unchanged"])


def _publish_rematch() -> None:
    try:
        current_app.signature(REMATCH_TASK).apply_async()
    except Exception:
        logger.warning("could not enqueue the archive re-match of recent claims")


def claim_set_fact_check_hits(*, claim_id: int, hits: Iterable[tuple[int, float]]) -> int:
    """Replace a claim's archive hits with ``hits`` ((fact-check id, score), best first)."""
    hits = list(hits)
    with transaction.atomic():
        FactCheckHit.objects.filter(claim_id=claim_id).delete()
        FactCheckHit.objects.bulk_create(
            FactCheckHit(claim_id=claim_id, fact_check_id=fc_id, score=score)
            for fc_id, score in hits
        )
    return len(hits)
