"""Reads for the reviewer workspace: the triage queue, one claim with its history, an article.

Every selector runs a fixed number of SQL queries whatever the number of rows, and the queue
never counts or offsets over the whole table: pages are keyset pages ordered like the
``claim_queue`` index (status, -score, created_at), with the claim id as the cursor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from articles.models import Article
from claims.deadlines import overdue_q
from claims.models import (
    ApprovalState,
    Claim,
    ClaimEdit,
    ClaimStatus,
    ClaimStatusChange,
    Evidence,
    VerdictApproval,
)
from claims.roles import REVIEWERS
from claims.tiers import TIER_RANK, tier_q
from factcheck.parsing import parse_int

QUEUE_PAGE_SIZE = 50
# Status counts stop here: the exact figure above it does not change what a reviewer does.
COUNT_CAP = 1_000
# "To review" first, then the verdicts, then dismissed: the order of the status tabs.
STATUS_ORDER = [
    ClaimStatus.PROPOSED,
    ClaimStatus.VERIFIED,
    ClaimStatus.DISPUTED,
    ClaimStatus.UNCONFIRMED,
    ClaimStatus.DISMISSED,
]
_QUEUE_ORDER = ("-score", "created_at", "id")
_QUEUE_ORDER_REVERSED = ("score", "-created_at", "-id")


@dataclass(frozen=True)
class QueueFilters:
    """What the reviewer narrowed the queue to; empty values mean "any"."""

    status: str = ClaimStatus.PROPOSED  # "" means every status
    article_id: int | None = None
    source: str = ""
    claim_type: str = ""
    claimer: str = ""
    # "" any, "me" the current reviewer, "none" unassigned, otherwise a user id.
    assignee: str = ""
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    text: str = ""
    # "overdue": proposed claims past their due time (claims.deadlines).
    due: str = ""
    # "" best score first; "due": due soonest first (claims with a due time only).
    sort: str = ""
    tier: str = ""  # "" any, else claims.tiers' high / medium / low


SORT_DUE = "due"
DUE_OVERDUE = "overdue"


@dataclass
class QueuePage:
    claims: list[Claim]
    has_next: bool
    has_previous: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def next_cursor(self) -> int | None:
        return self.claims[-1].pk if self.has_next and self.claims else None

    @property
    def previous_cursor(self) -> int | None:
        return self.claims[0].pk if self.has_previous and self.claims else None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def claim_queue_queryset(*, filters: QueueFilters, user: AbstractBaseUser) -> QuerySet[Claim]:
    """Claims matching the queue filters, unordered and without related rows."""
    qs = Claim.objects.all()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.article_id:
        qs = qs.filter(article_id=filters.article_id)
    if filters.source:
        qs = qs.filter(article__source=filters.source)
    if filters.claim_type:
        qs = qs.filter(claim_type=filters.claim_type)
    if filters.claimer:
        qs = qs.filter(claimer__icontains=filters.claimer)
    if filters.assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif (assignee_id := parse_int(filters.assignee)) is not None:
        qs = qs.filter(assignee_id=assignee_id)
    # Compare against aware datetimes instead of created_at__date so an index can be used.
    if filters.created_from:
        qs = qs.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to and filters.created_to < dt.date.max:  # date.max: no end at all
        qs = qs.filter(created_at__lt=_day_start(filters.created_to + dt.timedelta(days=1)))
    if filters.text:
        qs = qs.filter(text__icontains=filters.text)
    if filters.due == DUE_OVERDUE:
        qs = qs.filter(overdue_q())
    if filters.sort == SORT_DUE:
        qs = qs.filter(due_at__isnull=False)
    if filters.tier:
        qs = qs.filter(tier_q(filters.tier))
    return qs


# The leading score bound repeats what the OR already implies: it gives PostgreSQL a range on
# the (status, -score, created_at) index instead of a walk over every row of the status
# (measured at 1M claims: 837 ms -> 0.12 ms per lookup). The due-time order does the same on
# the (status, due_at) index.
def _after(claim: Claim, sort: str = "") -> Q:
    """Claims ranked after ``claim`` in the queue's order."""
    if sort == SORT_DUE:
        if claim.due_at is None:  # not in a due-sorted list: the whole list follows it
            return Q()
        return Q(due_at__gte=claim.due_at) & (
            Q(due_at__gt=claim.due_at) | Q(due_at=claim.due_at, id__gt=claim.pk)
        )
    return Q(score__lte=claim.score) & (
        Q(score__lt=claim.score)
        | Q(score=claim.score, created_at__gt=claim.created_at)
        | Q(score=claim.score, created_at=claim.created_at, id__gt=claim.pk)
    )


def _before(claim: Claim, sort: str = "") -> Q:
    """Claims ranked before ``claim`` in the queue's order."""
    if sort == SORT_DUE:
        if claim.due_at is None:
            return Q(pk__in=[])
        return Q(due_at__lte=claim.due_at) & (
            Q(due_at__lt=claim.due_at) | Q(due_at=claim.due_at, id__lt=claim.pk)
        )
    return Q(score__gte=claim.score) & (
        Q(score__gt=claim.score)
        | Q(score=claim.score, created_at__lt=claim.created_at)
        | Q(score=claim.score, created_at=claim.created_at, id__lt=claim.pk)
    )


def claim_status_counts(*, filters: QueueFilters, user: AbstractBaseUser) -> dict[str, int]:
    """Claims per status under every filter but the status one, each counted up to a cap.

    One query of one bounded sub-count per status: ``COUNT(*)`` over a million rows costs
    hundreds of milliseconds on PostgreSQL, counting at most COUNT_CAP + 1 index entries per
    status costs a few. A count above COUNT_CAP is shown as "1,000+".
    """
    qs = claim_queue_queryset(filters=replace(filters, status=""), user=user).order_by()
    if filters.due == DUE_OVERDUE:
        # Only proposed claims are overdue: counting the other statuses would walk each of them
        # whole (PostgreSQL does not see that status = 'verified' AND status = 'proposed' is
        # empty).
        counted = qs.filter(status=ClaimStatus.PROPOSED).values("pk")[: COUNT_CAP + 1].count()
        return {s: counted if s == ClaimStatus.PROPOSED else 0 for s in STATUS_ORDER}
    if filters.source or filters.article_id:
        # One outlet's or one article's claims: a single grouped pass over them is cheaper than
        # five bounded walks through the article join, which for a rare status cover them all
        # five times (measured at 1M claims, source + type: ~290 ms -> ~85 ms).
        counted = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
        return {status: min(counted.get(status, 0), COUNT_CAP + 1) for status in STATUS_ORDER}
    parts, params = [], []
    for i, status in enumerate(STATUS_ORDER):
        bounded = qs.filter(status=status).values("pk")[: COUNT_CAP + 1]
        sql, sub_params = bounded.query.sql_with_params()
        # The SQL is the ORM's own compiled query, its values still passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS bounded_{i})")  # noqa: S608
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(STATUS_ORDER, row, strict=True))


def _order(sort: str, reverse: bool) -> tuple[str, ...]:
    if sort == SORT_DUE:
        return ("-due_at", "-id") if reverse else ("due_at", "id")
    return _QUEUE_ORDER_REVERSED if reverse else _QUEUE_ORDER


def _ranked(
    qs: QuerySet[Claim], *, reverse: bool, limit: int, all_statuses: bool, sort: str = ""
) -> list[Claim]:
    """The first ``limit`` claims of ``qs`` in queue order (or reversed), with related rows."""
    order = _order(sort, reverse)
    related = ("article", "assignee")
    if not (all_statuses and connection.features.supports_slicing_ordering_in_compound):
        return list(qs.select_related(*related).order_by(*order)[:limit])
    # The queue indexes lead with status, so "every status" ordered by score (or due time)
    # would sort the whole table. Instead take the top of each status from the index, merge
    # those few rows, then load the winners.
    if sort == SORT_DUE:
        keys = ("pk", "due_at")

        def rank(r):
            return (r[1], r[0])
    else:
        keys = ("pk", "score", "created_at")

        def rank(r):
            return (-r[1], r[2], r[0])

    branches = [
        qs.filter(status=s).order_by(*order).values_list(*keys)[:limit] for s in STATUS_ORDER
    ]
    candidates = list(branches[0].union(*branches[1:], all=True))
    candidates.sort(key=rank, reverse=reverse)
    ids = [r[0] for r in candidates[:limit]]
    rows = Claim.objects.select_related(*related).in_bulk(ids)
    return [rows[i] for i in ids if i in rows]


def claim_queue_page(
    *,
    filters: QueueFilters,
    user: AbstractBaseUser,
    after_id: int | None = None,
    before_id: int | None = None,
    size: int = QUEUE_PAGE_SIZE,
) -> QueuePage:
    """One keyset page of the queue (best score first then oldest, or due soonest first),
    with article and assignee."""
    qs = claim_queue_queryset(filters=filters, user=user)
    all_statuses = not filters.status
    sort = filters.sort
    cursor_id = after_id or before_id
    cursor = (
        Claim.objects.only("score", "created_at", "due_at").filter(pk=cursor_id).first()
        if cursor_id
        else None
    )
    ranked = {"limit": size + 1, "all_statuses": all_statuses, "sort": sort}
    if cursor is not None and before_id:
        rows = _ranked(qs.filter(_before(cursor, sort)), reverse=True, **ranked)
        has_previous = len(rows) > size
        return QueuePage(claims=rows[:size][::-1], has_next=True, has_previous=has_previous)
    if cursor is not None:
        qs = qs.filter(_after(cursor, sort))
    rows = _ranked(qs, reverse=False, **ranked)
    return QueuePage(claims=rows[:size], has_next=len(rows) > size, has_previous=cursor is not None)


def claim_queue_neighbours(
    *, claim: Claim, filters: QueueFilters, user: AbstractBaseUser
) -> tuple[int | None, int | None]:
    """The ids of the claims just before and just after ``claim`` in the filtered queue.

    Works even when ``claim`` itself no longer matches (it was just given a verdict), because
    the position is taken from its score and age (or due time), not from its place in a list.
    """
    qs = claim_queue_queryset(filters=filters, user=user).exclude(pk=claim.pk)
    ranked = {"limit": 1, "all_statuses": not filters.status, "sort": filters.sort}
    previous = _ranked(qs.filter(_before(claim, filters.sort)), reverse=True, **ranked)
    following = _ranked(qs.filter(_after(claim, filters.sort)), reverse=False, **ranked)
    return (
        previous[0].pk if previous else None,
        following[0].pk if following else None,
    )


def claim_detail(*, claim_id: int) -> Claim:
    """One claim with its article, assignee, reviewer and inheritance (raises DoesNotExist)."""
    return Claim.objects.select_related("article", "assignee", "reviewed_by", "inherited_by").get(
        pk=claim_id
    )


@dataclass
class ClaimHistory:
    changes: list[ClaimStatusChange]
    # Evidence attached outside a status change, newest last.
    loose_evidence: list[Evidence]
    all_evidence: list[Evidence]
    # Reviewer corrections of claimer and type (claims.corrections), oldest first.
    edits: list[ClaimEdit] = field(default_factory=list)

    @property
    def timeline(self) -> list[tuple[str, ClaimStatusChange | ClaimEdit]]:
        """Status changes and corrections in the order they happened (by version)."""
        entries = [("change", c) for c in self.changes] + [("edit", e) for e in self.edits]
        return sorted(entries, key=lambda entry: (entry[1].version, entry[0] == "edit"))


def claim_history(*, claim_id: int) -> ClaimHistory:
    """The claim's status changes (with who and their evidence) and all its evidence links."""
    evidence = list(Evidence.objects.filter(claim_id=claim_id).select_related("added_by"))
    by_change: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        if item.status_change_id:
            by_change[item.status_change_id].append(item)
    changes = list(
        ClaimStatusChange.objects.filter(claim_id=claim_id).select_related(
            "changed_by", "submitted_by"
        )
    )
    undone = {change.undoes_id for change in changes if change.undoes_id}
    for change in changes:
        change.evidence_links = by_change.get(change.pk, [])
        change.undone = change.pk in undone
    return ClaimHistory(
        changes=changes,
        loose_evidence=[e for e in evidence if not e.status_change_id],
        all_evidence=evidence,
        edits=list(ClaimEdit.objects.filter(claim_id=claim_id).select_related("edited_by")),
    )


@dataclass
class ArticleSummary:
    total: int
    counts: dict[str, int]
    tiers: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """'12 claims: 5 verified, 3 disputed, 1 unconfirmed, 3 to review'."""
        noun = "claim" if self.total == 1 else "claims"
        parts = [
            f"{self.counts[ClaimStatus.VERIFIED]} verified",
            f"{self.counts[ClaimStatus.DISPUTED]} disputed",
            f"{self.counts[ClaimStatus.UNCONFIRMED]} unconfirmed",
            f"{self.counts[ClaimStatus.PROPOSED]} to review",
        ]
        if self.counts[ClaimStatus.DISMISSED]:
            parts.append(f"{self.counts[ClaimStatus.DISMISSED]} dismissed")
        return f"{self.total} {noun}: " + ", ".join(parts)


def article_with_claims(*, article_id: int) -> tuple[Article, list[Claim], ArticleSummary]:
    """An article, its claims in text order (with assignee) and a per-status summary."""
    article = Article.objects.get(pk=article_id)
    claims = list(
        Claim.objects.filter(article_id=article_id)
        .select_related("assignee")
        .order_by("start", "end")
    )
    counts = dict.fromkeys(STATUS_ORDER, 0)
    counts.update(Counter(c.status for c in claims))
    tiers = Counter(c.tier for c in claims)
    return article, claims, ArticleSummary(total=len(claims), counts=counts, tiers=dict(tiers))


def claims_by_tier(claims: list[Claim]) -> list[Claim]:
    """Claims highest tier first, then best score, then text order (the article's side list)."""
    return sorted(claims, key=lambda c: (TIER_RANK[c.tier], -c.score, c.start))


def reviewer_choices() -> list[AbstractBaseUser]:
    """Active users who can be given claims to review, by username."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=REVIEWERS) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
        .only("id", "username", "first_name", "last_name")
    )


# --- Verdicts awaiting a second reviewer (claims.review) ------------------------------------

APPROVALS_PAGE_SIZE = 100


def pending_approvals(*, limit: int = APPROVALS_PAGE_SIZE) -> list[VerdictApproval]:
    """Verdicts awaiting approval, oldest first, with their claim, article and submitter."""
    return list(
        VerdictApproval.objects.filter(state=ApprovalState.PENDING)
        .select_related("claim", "claim__article", "submitted_by")
        .order_by("submitted_at", "id")[:limit]
    )


def awaiting_approval_count(*, user: AbstractBaseUser) -> int:
    """How many verdicts await approval that ``user`` may approve (not their own)."""
    return (
        VerdictApproval.objects.filter(state=ApprovalState.PENDING)
        .exclude(submitted_by_id=user.pk)
        .count()
    )
