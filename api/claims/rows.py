"""Claims as the API shows them, built from plain column values.

Other services poll the claims list and the changes feed many times a second. A page of 50
read as ``.values()`` (``claim_rows_queryset``) and built into one dict per row costs a
fraction of 50 model instances (with their related descriptors) rendered field by field.
``ClaimSerializer`` renders single claims through the same ``claim_row`` and describes this
shape in the OpenAPI schema, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import CharField, F, Field, Func, QuerySet
from django.utils import timezone

from api.fields import iso, list_url, username
from articles.models import Article
from claims.models import CLAIM_CONTENT_COLUMNS, Claim
from claims.services import VERDICTS
from claims.tiers import tier_for_score
from matching.models import ClaimMatch
from matching.selectors import match_entry, top_matches_by_claim

# The claim's columns the API shows as they are (bench/bare.py reads the same ones).
CLAIM_COLUMNS = ("id", *CLAIM_CONTENT_COLUMNS)
# The claim's own columns a row reads; the related ones and the timestamps come as the
# expressions of ``_row_expressions``.
OWN_COLUMNS = (*CLAIM_COLUMNS, "cluster_id", "inherited_from_id")
# A row's keys, in order: what claim_row writes and ClaimSerializer declares.
ROW_FIELDS = (
    "id",
    "article",
    "article_title",
    "article_url",
    "source",
    "text",
    "start",
    "end",
    "score",
    "tier",
    "claim_type",
    "claimer",
    "status",
    "version",
    "assignee",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
    "due_at",
    "expires_at",
    "expired",
    "cluster_id",
    "matches",
    "match_count",
    "links",
)
TIMESTAMPS = ("reviewed_at", "created_at", "updated_at", "due_at", "expires_at")


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
    """The bases of a response's links (the list URLs, reversed once per process)."""
    return LinkBases(list_url(request, "api:claim-list"), list_url(request, "api:article-list"))


# A row carries a claim's best few matches and their count; all of them are one link away
# (GET /api/v1/claims/{id}/matches/, paginated). One claim had 3,020, a 50-row page 2.2 MB.
MATCHES_IN_ROW = 10


def claim_row(values: Mapping, *, matches: list[dict], match_count: int, bases: LinkBases) -> dict:
    """The API dict of one claim from its row values (``claim_rows_queryset``)."""
    pk = values["id"]
    own = f"{bases.claims}{pk}/"
    return {
        "id": pk,
        "article": values["article_id"],
        "article_title": values["article_title"],
        "article_url": values["article_url"],
        "source": values["article_source"],
        "text": values["text"],
        "start": values["start"],
        "end": values["end"],
        "score": values["score"],
        "tier": tier_for_score(values["score"]),
        "claim_type": values["claim_type"],
        "claimer": values["claimer"],
        "status": values["status"],
        "version": values["version"],
        "assignee": values["assignee_name"],
        "reviewed_by": values["reviewed_by_name"],
        "reviewed_at": iso(values["reviewed_at_iso"]),
        "created_at": iso(values["created_at_iso"]),
        "updated_at": iso(values["updated_at_iso"]),
        "due_at": iso(values["due_at_iso"]),
        "expires_at": iso(values["expires_at_iso"]),
        "expired": _expired(values["expires_at_iso"]),
        "cluster_id": values["cluster_id"],
        "matches": matches,
        "match_count": match_count,
        "links": {
            "self": own,
            "history": f"{own}history/",
            "matches": f"{own}matches/",
            "claimreview": f"{own}claimreview/" if values["status"] in VERDICTS else None,
            "article": f"{bases.articles}{values['article_id']}/",
        },
    }


def _expired(expires_at: datetime | str | None) -> bool:
    """Whether a verdict's re-verification date has passed (PostgreSQL rows give ISO text)."""
    if expires_at is None:
        return False
    if isinstance(expires_at, str):
        expires_at = datetime.fromisoformat(expires_at)
    return expires_at <= timezone.now()


def claim_rows(rows: Sequence[Mapping], *, bases: LinkBases) -> list[dict]:
    """The API dicts of a page of ``claim_rows_queryset`` rows, with their matches."""
    if rows and "matches_json" in rows[0]:
        matches = {row["id"]: _matches(row) for row in rows}
    else:  # the page's matches in one more query
        matches = top_matches_by_claim(
            {row["id"]: row["inherited_from_id"] for row in rows}, limit=MATCHES_IN_ROW
        )
    return [
        claim_row(
            row, matches=matches[row["id"]][0], match_count=matches[row["id"]][1], bases=bases
        )
        for row in rows
    ]


def _matches(row: Mapping) -> tuple[list[dict], int]:
    inherited = row["inherited_from_id"]
    total, best = row["matches_json"] or (0, None)
    return [
        match_entry(other, article, similarity, relation, inherited)
        for other, article, similarity, relation in best or ()
    ], total


def claim_values(claim: Claim) -> dict:
    """A loaded claim's row values, as ``claim_rows_queryset`` reads them (single claims)."""
    loaded = claim.__dict__
    if "row_article_title" in loaded:  # api.claims.selectors.ROW_ANNOTATIONS: joined values
        title, url, source = (
            loaded["row_article_title"],
            loaded["row_article_url"],
            loaded["row_article_source"],
        )
        assignee, reviewed_by = loaded["row_assignee"], loaded["row_reviewed_by"]
    else:
        article = claim.article
        title, url, source = article.title, article.url, article.source
        assignee, reviewed_by = username(claim.assignee), username(claim.reviewed_by)
    return {
        "id": claim.pk,
        "article_id": claim.article_id,
        "article_title": title,
        "article_url": url,
        "article_source": source,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "score": claim.score,
        "claim_type": claim.claim_type,
        "claimer": claim.claimer,
        "status": claim.status,
        "version": claim.version,
        "assignee_name": assignee,
        "reviewed_by_name": reviewed_by,
        "reviewed_at_iso": claim.reviewed_at,
        "created_at_iso": claim.created_at,
        "updated_at_iso": claim.updated_at,
        "due_at_iso": claim.due_at,
        "expires_at_iso": claim.expires_at,
        "cluster_id": claim.cluster_id,
        "inherited_from_id": claim.inherited_from_id,
    }


class RelatedColumn(Func):
    """One column of the row a foreign key points at: ``(SELECT column FROM table WHERE pk = fk)``.

    A scalar subquery per column instead of a JOIN: PostgreSQL plans the page query about four
    times faster (~0.8 -> ~0.2 ms, the join orders it no longer weighs), runs it no slower,
    and a count over the same filtered queryset has no join to carry.
    """

    def __init__(self, foreign_key: str, model, field: str):
        super().__init__(F(foreign_key), output_field=model._meta.get_field(field))
        self.table = model._meta.db_table
        self.column = model._meta.get_field(field).column
        self.pk_column = model._meta.pk.column

    def as_sql(self, compiler, connection, **extra_context):
        name = connection.ops.quote_name
        template = (
            f"(SELECT related.{name(self.column)} FROM {name(self.table)} related "  # noqa: S608
            f"WHERE related.{name(self.pk_column)} = %(expressions)s)"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class MatchesJSON(Func):
    """A claim's best MATCHES_IN_ROW active matches and their count, as JSON
    ``[count, [[claim, article, similarity, relation], ...]]``.

    The rows of ``matching.selectors.top_matches_by_claim`` (tests compare the two), read in the
    page's own query: PostgreSQL plans and runs this subquery for ~0.05 ms a page, where a
    second query for the page's matches cost ~0.4 ms there and a round trip (PostgreSQL only;
    float8 in JSON is exact since PostgreSQL 12).
    """

    output_field = Field()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("MatchesJSON is PostgreSQL only")

    def as_postgresql(self, compiler, connection, **extra_context):
        match, claim = ClaimMatch._meta.db_table, Claim._meta.db_table
        active = (
            f"FROM {match} m WHERE (m.claim_id = %(expressions)s OR m.other_id = %(expressions)s) "
            "AND m.unlinked_at IS NULL"
        )
        template = (
            f"json_build_array((SELECT COUNT(*) {active}), "  # noqa: S608 - fixed names
            "(SELECT json_agg(json_build_array(o.id, o.article_id, t.similarity, t.relation) "
            "ORDER BY t.similarity DESC, t.id) FROM (SELECT m.id, m.similarity, m.relation, "
            "CASE WHEN m.claim_id = %(expressions)s THEN m.other_id ELSE m.claim_id END AS other "
            f"{active} ORDER BY m.similarity DESC, m.id LIMIT {MATCHES_IN_ROW}) t "
            f"JOIN {claim} o ON o.id = t.other))"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _row_expressions(vendor: str, *, with_matches: bool) -> dict:
    user = get_user_model()
    related = {
        "article_title": RelatedColumn("article_id", Article, "title"),
        "article_url": RelatedColumn("article_id", Article, "url"),
        "article_source": RelatedColumn("article_id", Article, "source"),
        "assignee_name": RelatedColumn("assignee_id", user, user.USERNAME_FIELD),
        "reviewed_by_name": RelatedColumn("reviewed_by_id", user, user.USERNAME_FIELD),
    }
    # On PostgreSQL the timestamps come as the API's text (UTCIsoText); elsewhere (SQLite in
    # development) as datetimes, which iso() formats.
    if vendor != "postgresql":
        return {**related, **{f"{name}_iso": F(name) for name in TIMESTAMPS}}
    stamps = {f"{name}_iso": UTCIsoText(name) for name in TIMESTAMPS}
    matches = {"matches_json": MatchesJSON(F("id"))} if with_matches else {}
    return {**related, **stamps, **matches}


def row_updated_at(row: Mapping) -> datetime:
    """The ``updated_at`` of a ``claim_rows_queryset`` row as a datetime (the feed's cursor)."""
    value = row["updated_at_iso"]
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


_ROWS_BASES: dict[tuple[str, bool], QuerySet[dict]] = {}


def claim_rows_queryset(using: str = DEFAULT_DB_ALIAS, *, with_matches=False) -> QuerySet[dict]:
    """Every claim as a dict of the values its API row shows: filter, order and slice it.

    One query, no joins (filters add theirs); ``with_matches`` reads the claims' matches in it
    too on PostgreSQL (``claim_rows`` queries them otherwise). Setting up these columns costs
    ~0.4 ms per query and compiling hashes each again (~0.2 ms): the base is built once per
    process and handed out as clones, which share its (already hashed) expressions.
    """
    key = (using, with_matches)
    base = _ROWS_BASES.get(key)
    if base is None:
        expressions = _row_expressions(connections[using].vendor, with_matches=with_matches)
        base = _ROWS_BASES[key] = Claim.objects.using(using).values(*OWN_COLUMNS, **expressions)
    return base.all()
