"""Claims as the API shows them, built from plain column values.

Other services poll the claims list and the changes feed many times a second. A page of 50
built from ``.values(*ROW_COLUMNS)`` and one dict per row costs a fraction of 50 model
instances (with their related descriptors) rendered field by field. ``ClaimSerializer`` renders
single claims through the same ``claim_row`` and describes this shape in the OpenAPI schema,
so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import CharField, F, Func, QuerySet
from django.urls import reverse

from claims.matching import matches_by_claim
from claims.models import Claim
from claims.services import VERDICTS

# The columns a claim row shows, as ``.values()`` paths: the joined article and usernames come
# in the page's own query. Timestamps come as ``<name>_iso`` (see ``claim_value_rows``).
ROW_COLUMNS = (
    "id",
    "article_id",
    "article__title",
    "article__url",
    "article__source",
    "text",
    "start",
    "end",
    "score",
    "claim_type",
    "claimer",
    "status",
    "version",
    "assignee__username",
    "reviewed_by__username",
    "cluster_id",
    "inherited_from_id",
)
TIMESTAMPS = ("reviewed_at", "created_at", "updated_at")


def iso(value) -> str | None:
    """ISO 8601 the way DRF writes it (UTC as Z); a string is already formatted (UTCIsoText)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat().replace("+00:00", "Z")


class UTCIsoText(Func):
    """A timestamp as ``iso()`` writes it, formatted by PostgreSQL.

    Loading a timestamptz into a datetime (psycopg's Python loader, through Django's) and
    formatting it again costs ~5 µs per value: ~0.5 ms of a 50-row page with three each.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("UTCIsoText is PostgreSQL only")

    def as_postgresql(self, compiler, connection, **extra_context):
        # TO_CHAR always writes six fraction digits; isoformat() leaves them out when zero.
        template = (
            "REPLACE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class LinkBases(NamedTuple):
    """The absolute URLs of the claims and articles lists: a row's links start with them."""

    claims: str
    articles: str


def link_bases(request) -> LinkBases:
    """One reverse() and build_absolute_uri per response, not per row."""
    paths = (reverse("api:claim-list"), reverse("api:article-list"))
    if request is not None:
        paths = tuple(request.build_absolute_uri(path) for path in paths)
    return LinkBases(*paths)


def claim_row(values: Mapping, *, matches: list[dict], bases: LinkBases) -> dict:
    """The API dict of one claim from its ``ROW_COLUMNS`` values."""
    pk = values["id"]
    own = f"{bases.claims}{pk}/"
    return {
        "id": pk,
        "article": values["article_id"],
        "article_title": values["article__title"],
        "article_url": values["article__url"],
        "source": values["article__source"],
        "text": values["text"],
        "start": values["start"],
        "end": values["end"],
        "score": values["score"],
        "claim_type": values["claim_type"],
        "claimer": values["claimer"],
        "status": values["status"],
        "version": values["version"],
        "assignee": values["assignee__username"],
        "reviewed_by": values["reviewed_by__username"],
        "reviewed_at": iso(values["reviewed_at_iso"]),
        "created_at": iso(values["created_at_iso"]),
        "updated_at": iso(values["updated_at_iso"]),
        "cluster_id": values["cluster_id"],
        "matches": matches,
        "links": {
            "self": own,
            "history": f"{own}history/",
            "claimreview": f"{own}claimreview/" if values["status"] in VERDICTS else None,
            "article": f"{bases.articles}{values['article_id']}/",
        },
    }


def claim_rows(rows: Sequence[Mapping], *, bases: LinkBases) -> list[dict]:
    """The API dicts of a page of ``.values(*ROW_COLUMNS)`` rows, with their matches (one query)."""
    matches = matches_by_claim({row["id"]: row["inherited_from_id"] for row in rows})
    return [claim_row(row, matches=matches[row["id"]], bases=bases) for row in rows]


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def claim_values(claim: Claim) -> dict:
    """A loaded claim's ``ROW_COLUMNS`` values (single claims: detail, review answers)."""
    loaded = claim.__dict__
    if "row_article_title" in loaded:  # claims.api.selectors.ROW_ANNOTATIONS: joined values
        title, url, source = (
            loaded["row_article_title"],
            loaded["row_article_url"],
            loaded["row_article_source"],
        )
        assignee, reviewed_by = loaded["row_assignee"], loaded["row_reviewed_by"]
    else:
        article = claim.article
        title, url, source = article.title, article.url, article.source
        assignee, reviewed_by = _username(claim.assignee), _username(claim.reviewed_by)
    return {
        "id": claim.pk,
        "article_id": claim.article_id,
        "article__title": title,
        "article__url": url,
        "article__source": source,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "score": claim.score,
        "claim_type": claim.claim_type,
        "claimer": claim.claimer,
        "status": claim.status,
        "version": claim.version,
        "assignee__username": assignee,
        "reviewed_by__username": reviewed_by,
        "reviewed_at_iso": claim.reviewed_at,
        "created_at_iso": claim.created_at,
        "updated_at_iso": claim.updated_at,
        "cluster_id": claim.cluster_id,
        "inherited_from_id": claim.inherited_from_id,
    }


def claim_value_rows(queryset: QuerySet[Claim]) -> QuerySet[dict]:
    """``queryset`` as dicts of ``ROW_COLUMNS`` and the ``<timestamp>_iso`` values, one query.

    On PostgreSQL the timestamps come as the API's text (``UTCIsoText``); elsewhere (SQLite in
    development) as datetimes, which ``iso()`` formats.
    """
    if connections[queryset.db].vendor == "postgresql":
        stamps = {f"{name}_iso": UTCIsoText(name) for name in TIMESTAMPS}
    else:
        stamps = {f"{name}_iso": F(name) for name in TIMESTAMPS}
    return queryset.values(*ROW_COLUMNS, **stamps)


def row_updated_at(row: Mapping) -> datetime:
    """The ``updated_at`` of a ``claim_value_rows`` row as a datetime (the feed's cursor)."""
    value = row["updated_at_iso"]
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


_ROWS_BASES: dict[str, QuerySet[dict]] = {}


def claim_rows_queryset(using: str = DEFAULT_DB_ALIAS) -> QuerySet[dict]:
    """Every claim as ``claim_value_rows`` dicts: the base a page's filters and order go on.

    Setting up these columns and joins costs ~0.4 ms per query, and compiling hashes each
    column again (~0.2 ms): built once per process and handed out as clones, whose columns
    are the same (already hashed) expressions, the SQL is the same and costs half.
    """
    base = _ROWS_BASES.get(using)
    if base is None:
        base = _ROWS_BASES[using] = claim_value_rows(Claim.objects.using(using))
    return base.all()
