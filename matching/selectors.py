"""Matching's reads: a claim's matches (page and API shapes), clusters, and the two queues."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from claims.models import Claim, ClaimCluster, ClaimStatusChange
from claims.services import VERDICTS
from extraction.matching import explanation_summary
from matching.models import FIGURE_RELATIONS, ClaimMatch, ClaimRereview, MatchRelation, MatchState


def claim_matches_for(claims: Iterable[Claim]) -> dict[int, list[dict]]:
    """Active matches of many claims in one query, in the API shape, best first.

    ``{claim_id: [{"claim", "article", "similarity", "relation", "inherited_from"}, ...]}``;
    ``inherited_from`` says the claim inherited its verdict from that match.
    """
    return matches_by_claim({c.pk: c.inherited_from_id for c in claims})


def matches_by_claim(inherited: Mapping[int, int | None]) -> dict[int, list[dict]]:
    """``claim_matches_for`` of the claims ``{id: inherited_from_id}`` (rows, not instances)."""
    out: dict[int, list[dict]] = {pk: [] for pk in inherited}
    if not out:
        return out
    # Plain SQL: for a page of 50 claims, the ORM spent ~1 ms of CPU building and binding this
    # query (two IN lists of 50 related-field values), more than the rest of an API page.
    # PostgreSQL takes the ids as one array literal: cheaper to bind than a list. The article
    # ids come as scalar subqueries, not two joins: PostgreSQL plans it ~3x faster.
    ids = list(out)
    if connection.vendor == "postgresql":
        array = "{" + ",".join(map(str, ids)) + "}"
        among, params = "= ANY(%s::bigint[])", [array, array]
    else:
        among, params = f"IN ({', '.join(['%s'] * len(ids))})", [*ids, *ids]
    match, claim = ClaimMatch._meta.db_table, Claim._meta.db_table
    sql = (
        "SELECT m.claim_id, m.other_id, "  # noqa: S608 - fixed names
        f"(SELECT a.article_id FROM {claim} a WHERE a.id = m.claim_id), "
        f"(SELECT b.article_id FROM {claim} b WHERE b.id = m.other_id), "
        f"m.similarity, m.relation FROM {match} m "
        f"WHERE (m.claim_id {among} OR m.other_id {among}) AND m.unlinked_at IS NULL "
        "ORDER BY m.similarity DESC, m.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for a, b, article_a, article_b, similarity, relation in rows:
        for mine, theirs, their_article in ((a, b, article_b), (b, a, article_a)):
            if mine in out:
                out[mine].append(
                    match_entry(theirs, their_article, similarity, relation, inherited[mine])
                )
    return out


def top_matches_by_claim(
    inherited: Mapping[int, int | None], *, limit: int
) -> dict[int, tuple[list[dict], int]]:
    """The ``limit`` best active matches of each claim ``{id: inherited_from_id}`` and its count.

    ``{claim_id: ([match, ...], total)}`` in one query: a claim repeated across an archive had
    3,020 matches, and a page of 50 rows carrying them all was 2.2 MB (issue #21).
    """
    out: dict[int, tuple[list[dict], int]] = {pk: ([], 0) for pk in inherited}
    if not out:
        return out
    ids = list(out)
    if connection.vendor == "postgresql":
        among, params = "= ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"] * 2
    else:
        among, params = f"IN ({', '.join(['%s'] * len(ids))})", [*ids, *ids]
    match, claim = ClaimMatch._meta.db_table, Claim._meta.db_table
    # Both directions of each match, ranked per claim; SQLite has window functions since 3.25.
    sql = (
        "WITH mine AS ("  # noqa: S608 - fixed names
        f"SELECT m.claim_id AS mine, m.other_id AS theirs, m.similarity, m.relation, m.id "
        f"FROM {match} m WHERE m.claim_id {among} AND m.unlinked_at IS NULL "
        "UNION ALL "
        f"SELECT m.other_id, m.claim_id, m.similarity, m.relation, m.id "
        f"FROM {match} m WHERE m.other_id {among} AND m.unlinked_at IS NULL), "
        "ranked AS (SELECT mine, theirs, similarity, relation, "
        "ROW_NUMBER() OVER (PARTITION BY mine ORDER BY similarity DESC, id) AS rank, "
        "COUNT(*) OVER (PARTITION BY mine) AS total FROM mine) "
        f"SELECT r.mine, r.theirs, (SELECT o.article_id FROM {claim} o WHERE o.id = r.theirs), "
        "r.similarity, r.relation, r.total FROM ranked r WHERE r.rank <= %s ORDER BY r.mine, r.rank"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    for mine, theirs, article, similarity, relation, total in rows:
        entries, _ = out[mine]
        entries.append(match_entry(theirs, article, similarity, relation, inherited[mine]))
        out[mine] = (entries, total)
    return out


def match_entry(
    other: int, article: int, similarity: float, relation: str, inherited_from: int | None
) -> dict:
    """One match of a claim in the API shape; ``inherited_from`` is that claim's own field."""
    return {
        "claim": other,
        "article": article,
        # float(): from JSON a similarity of exactly 1 or 0 comes as an integer.
        "similarity": round(float(similarity), 4),
        "relation": relation,
        "inherited_from": inherited_from == other,
    }


def claims_attach_matches(claims: Sequence[Claim]) -> Sequence[Claim]:
    """Set ``claim.matches`` (the API list) on each claim of a page: one query for the page."""
    by_claim = claim_matches_for(claims)
    for claim in claims:
        claim.matches = by_claim.get(claim.pk, [])
    return claims


@dataclass(frozen=True)
class MatchView:
    """One match as the claim page shows it."""

    match: ClaimMatch
    other: Claim  # with .article and .reviewed_by loaded
    relation: str
    similarity: float
    inherited_from: bool  # this claim's verdict came from ``other``
    verdict_note: str  # the note of the other claim's latest status change
    # Conflicts: [(figure in this claim, figure in the other, kind)].
    figures: list[tuple[str, str, str]]
    state: str = MatchState.CONFIRMED
    confidence: float | None = None
    # Why the matcher linked them, as this claim's side reads it ("" for old links).
    why: str = ""

    @property
    def can_inherit(self) -> bool:
        return (
            self.relation == MatchRelation.SAME
            and self.state == MatchState.CONFIRMED
            and self.other.status in VERDICTS
        )

    @property
    def is_suggestion(self) -> bool:
        return self.relation == MatchRelation.SAME and self.state == MatchState.SUGGESTED

    @property
    def is_figures(self) -> bool:
        return self.relation in FIGURE_RELATIONS


def oriented_explanation(explanation: dict, *, mine_first: bool) -> dict:
    """A stored explanation (in the row's (claim, other) order) as the given side reads it."""
    if mine_first or not explanation:
        return dict(explanation or {})
    flipped = dict(explanation)
    flipped["differences"] = [
        {**d, "mine": d.get("theirs"), "theirs": d.get("mine")}
        for d in explanation.get("differences") or ()
    ]
    return flipped


def claim_match_views(*, claim: Claim) -> list[MatchView]:
    """The claim page's matches, same claims first, each with why it was linked (2 queries)."""
    matches = list(
        ClaimMatch.objects.filter(Q(claim=claim) | Q(other=claim), unlinked_at__isnull=True)
        .select_related(
            "claim__article",
            "claim__reviewed_by",
            "other__article",
            "other__reviewed_by",
            "confirmed_by",
        )
        .order_by("relation", "-similarity", "id")
    )
    others = [m.other if m.claim_id == claim.pk else m.claim for m in matches]
    notes: dict[int, str] = {}
    for change in ClaimStatusChange.objects.filter(claim__in=others).order_by(
        "claim_id", "-version"
    ):
        notes.setdefault(change.claim_id, change.note)
    views = []
    for match, other in zip(matches, others, strict=True):
        mine_first = match.claim_id == claim.pk
        figures = [
            (a, b, kind) if mine_first else (b, a, kind) for a, b, kind in (match.details or [])
        ]
        explanation = oriented_explanation(match.explanation, mine_first=mine_first)
        views.append(
            MatchView(
                match=match,
                other=other,
                relation=match.relation,
                similarity=match.similarity,
                inherited_from=claim.inherited_from_id == other.pk,
                verdict_note=notes.get(other.pk, ""),
                figures=figures,
                state=match.state,
                confidence=match.confidence,
                why=explanation_summary(explanation) if explanation else "",
            )
        )
    return views


def match_detail_entry(row: Mapping, *, claim_id: int, inherited_from: int | None) -> dict:
    """One match of a claim with its state and explanation (GET /claims/{id}/matches/).

    ``row``: a ClaimMatch's values (id, claim_id, other_id, claim__article_id,
    other__article_id, similarity, relation, state, confidence, explanation).
    """
    mine_first = row["claim_id"] == claim_id
    other = row["other_id"] if mine_first else row["claim_id"]
    article = row["other__article_id"] if mine_first else row["claim__article_id"]
    explanation = oriented_explanation(row["explanation"], mine_first=mine_first)
    confidence = row["confidence"]
    return {
        "id": row["id"],
        **match_entry(other, article, row["similarity"], row["relation"], inherited_from),
        "state": row["state"],
        "confidence": None if confidence is None else round(float(confidence), 4),
        "explanation": explanation,
        "summary": explanation_summary(explanation) if explanation else "",
    }


def open_conflict_count() -> int:
    """Open numeric conflicts: the navigation badge (partial index claim_match_open_conflict)."""
    return ClaimMatch.objects.filter(
        relation=MatchRelation.CONFLICT, unlinked_at__isnull=True
    ).count()


def cluster_claims(*, cluster_id: int) -> QuerySet[Claim]:
    """The claims of one cluster with their articles (for ``GET /api/v1/clusters/{id}/``)."""
    return (
        Claim.objects.filter(cluster_id=cluster_id)
        .select_related("article", "reviewed_by")
        .order_by("article__published_at", "article_id", "start")
    )


def cluster_as_dict(*, cluster_id: int) -> dict | None:
    """A cluster in the API shape: its id and claims with status and article; None if unknown."""
    cluster = ClaimCluster.objects.filter(pk=cluster_id).first()
    if cluster is None:
        return None
    return {
        "id": cluster.pk,
        "created_at": cluster.created_at,
        "claims": [
            {
                "id": c.pk,
                "article": c.article_id,
                "article_title": c.article.title,
                "text": c.text,
                "status": c.status,
                "reviewed_at": c.reviewed_at,
                "inherited_from": c.inherited_from_id,
            }
            for c in cluster_claims(cluster_id=cluster_id)
        ],
    }


# Badge counts stop here (the queue's own cap: claims.selectors.COUNT_CAP).
BADGE_CAP = 1_000


def open_rereview_count() -> int:
    """Open re-review flags, up to BADGE_CAP + 1 (the rereview_one_open partial index)."""
    return (
        ClaimRereview.objects.filter(resolved_at__isnull=True)
        .order_by()
        .values("pk")[: BADGE_CAP + 1]
        .count()
    )


def rereview_queue() -> QuerySet[ClaimRereview]:
    """The "verdict changed" queue: open flags, oldest first, with both claims and articles."""
    return (
        ClaimRereview.objects.filter(resolved_at__isnull=True)
        .select_related(
            "claim__article",
            "source__article",
            "source__reviewed_by",
            "source_change__changed_by",
        )
        .order_by("flagged_at", "id")
    )


def conflict_queue() -> QuerySet[ClaimMatch]:
    """Open numeric conflicts and figures that differ by date, newest first, with both claims."""
    return (
        ClaimMatch.objects.filter(relation__in=FIGURE_RELATIONS, unlinked_at__isnull=True)
        .select_related("claim__article", "other__article")
        .order_by("-created_at", "-id")
    )
