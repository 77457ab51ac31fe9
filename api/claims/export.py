"""CSV export of the claims list, streamed row by row from a server-side iterator."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from api.fields import iso

COLUMNS = [
    ("id", "id"),
    ("article", "article_id"),
    ("article_title", "article__title"),
    ("article_url", "article__url"),
    ("source", "article__source"),
    ("text", "text"),
    ("start", "start"),
    ("end", "end"),
    ("score", "score"),
    ("claim_type", "claim_type"),
    ("claimer", "claimer"),
    ("status", "status"),
    ("version", "version"),
    ("assignee", "assignee__username"),
    ("reviewed_by", "reviewed_by__username"),
    ("reviewed_at", "reviewed_at"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
]
_DATES = {"reviewed_at", "created_at", "updated_at"}
# A cell starting with one of these runs as a formula in spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """Selects CSV in content negotiation (``?format=csv`` or ``Accept: text/csv``).

    The list view streams the rows itself; this only renders what is not streamed.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        buffer = _Echo()
        writer = csv.writer(buffer)
        header = list(rows[0]) if rows and isinstance(rows[0], dict) else []
        out = [writer.writerow(header)] if header else []
        out += [writer.writerow([_cell(r.get(h)) for h in header]) for r in rows if header]
        return "".join(out).encode("utf-8")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_rows(queryset: QuerySet) -> Iterator[str]:
    """The header and one CSV line per claim, read in chunks (never the whole result)."""
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _ in COLUMNS])
    fields = [path for _, path in COLUMNS]
    date_positions = [i for i, (name, _) in enumerate(COLUMNS) if name in _DATES]
    rows = queryset.values_list(*fields).iterator(chunk_size=settings.API_CSV_CHUNK_SIZE)
    for row in rows:
        values = [_cell(v) for v in row]
        for i in date_positions:
            values[i] = iso(row[i])
        yield writer.writerow(values)


def csv_response(queryset: QuerySet, *, filename: str = "claims.csv") -> StreamingHttpResponse:
    """A streamed CSV download of the claims in ``queryset`` (already filtered and ordered)."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_rows(queryset)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
