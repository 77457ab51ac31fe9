"""The changes feed: keyset pagination over (updated_at, id), no COUNT, no OFFSET.

A cursor names the last (updated_at, id) a client has seen; the next page starts strictly
after it, so changes sharing one timestamp are neither skipped nor repeated. Only changes
older than API_CHANGES_SETTLE_SECONDS are served: a transaction that commits after a later
one (its updated_at is earlier) is still ahead of every cursor handed out.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from api.claims.filters import MAX_ID
from api.claims.rows import row_updated_at


@dataclass(frozen=True, slots=True)
class Position:
    updated_at: datetime
    id: int


def encode_cursor(position: Position) -> str:
    raw = f"{position.updated_at.isoformat()}|{position.id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, _, pk = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition("|")
        when = parse_datetime(stamp)
        if when is None or when.tzinfo is None:
            raise ValueError
        position = Position(updated_at=when.astimezone(UTC), id=int(pk))
        if not 0 <= position.id <= MAX_ID:
            raise ValueError
    except (ValueError, UnicodeError, TypeError, OverflowError):
        raise ValidationError({"cursor": ["Invalid cursor."]}) from None
    return position


@dataclass(frozen=True, slots=True)
class ChangesPage:
    rows: list[dict]
    cursor: str | None
    has_more: bool


def changes_page(
    queryset: QuerySet, *, cursor: str | None, updated_after: datetime | None, size: int
) -> ChangesPage:
    """One page of changed claims after ``cursor`` (or after ``updated_after``).

    ``queryset`` yields ``api.claims.rows.claim_rows_queryset`` dicts.
    """
    start = decode_cursor(cursor) if cursor else None
    if start is None and updated_after is not None:
        # "updated_at > t" is the position just after every row stamped t.
        start = Position(updated_at=updated_after, id=MAX_ID)
    if start is not None:
        # Written as ">= t AND (> t OR id > x)" so the (updated_at, id) index bounds the scan.
        queryset = queryset.filter(updated_at__gte=start.updated_at).filter(
            Q(updated_at__gt=start.updated_at) | Q(id__gt=start.id)
        )
    settle = settings.API_CHANGES_SETTLE_SECONDS
    if settle > 0:
        queryset = queryset.filter(updated_at__lte=timezone.now() - timedelta(seconds=settle))
    rows = list(queryset.order_by("updated_at", "id")[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if rows:
        last = rows[-1]
        end = encode_cursor(Position(updated_at=row_updated_at(last), id=last["id"]))
    else:
        end = encode_cursor(start) if start is not None else None
    return ChangesPage(rows=rows, cursor=end, has_more=has_more)


def next_link(request, page: ChangesPage) -> str | None:
    if not page.has_more or page.cursor is None:
        return None
    url = request.build_absolute_uri()
    return replace_query_param(url, "cursor", page.cursor)
