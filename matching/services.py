"""Claim matching across articles: link an article's claims to the same and conflicting claims.

How it fits together:

- ``article_match_claims`` runs after proposal (``matching.tasks.match_claims``). Each claim's
  index keys (content stems, figures, quantity kinds; ``extraction.matching.analyse``) go into
  ``ClaimMatchKey``, an inverted index, and their document frequencies into ``ClaimMatchTerm``
  (``matching.index``). Candidates are the claims sharing the most of its *rarest* keys (an
  index lookup on at most ``CLAIM_MATCH_QUERY_KEYS`` keys, each capped at
  ``CLAIM_MATCH_MAX_KEY_DF`` postings: never a scan), then the pure matcher decides "same",
  "conflict" or nothing. The same tables and query serve SQLite and PostgreSQL.
- "same" links form clusters (``matching.clusters``), merged on link and split on unlink.
- Inherited verdicts, unlinking and re-review flags are in ``matching.verdicts``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.models import Article
from claims.models import Claim, ClaimCluster, ClaimStatus
from extraction.matching import ClaimSignature, Quantity, analyse, compare
from extraction.matching import similarity as text_similarity
from matching.clusters import cluster_union, prune_clusters
from matching.decisions import decided_pairs
from matching.index import MatchOptions, archive_weight, claim_candidates, index_claims
from matching.models import NEGATIVE_DECISIONS, ClaimMatch, MatchRelation, MatchState
from matching.state import matching_begin, matching_finish, matching_record_failures

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What one ``article_match_claims`` run did."""

    claims: int
    same: int
    conflicts: int
    failed: int = 0  # claims whose comparison raised (recorded on the article's ArticleMatching)
    next_after: int | None = None  # set when the run ran out of time: continue after this id

    def plus(self, other: MatchSummary) -> MatchSummary:
        return MatchSummary(
            claims=self.claims + other.claims,
            same=self.same + other.same,
            conflicts=self.conflicts + other.conflicts,
            failed=self.failed + other.failed,
        )


def _kind(qa: Quantity, qb: Quantity) -> str:
    # "3,100 people" vs "2,400 evacuees": name the kind by the side that knows it.
    return qa.category or qb.category or qa.kind


def article_match_claims(
    *,
    article_id: int,
    options: MatchOptions | None = None,
    after: int = 0,
    only_unmatched: bool = False,
    deadline: float | None = None,
) -> MatchSummary:
    """Match an article's claims against claims in other articles, chunk by chunk; idempotent.

    Call after proposal. Claims are taken in id order after ``after``, CLAIM_MATCH_CHUNK_SIZE at
    a time; each chunk's matches commit with the claims' ``matched_at``, so a run cut short (a
    time limit, a lost worker) loses at most one chunk and the sweep finds the rest. Past
    ``deadline`` (``time.monotonic()``) the run stops after a chunk and returns ``next_after``
    for its continuation. A claim whose comparison raises is logged and recorded on the
    article's ``ArticleMatching``; the other claims are matched all the same. Unlinked matches
    stay unlinked: re-running never recreates them.
    """
    options = options or MatchOptions.from_settings()
    if not Article.objects.filter(pk=article_id).exists():
        raise Article.DoesNotExist(f"Article {article_id} does not exist.")
    matching_begin(article_id=article_id, resume=after > 0)
    pending = Claim.objects.filter(article_id=article_id).exclude(status=ClaimStatus.DISMISSED)
    own_claims = pending.count()
    if only_unmatched:
        pending = pending.filter(matched_at__isnull=True)
    pending = pending.order_by("pk").only("id", "text", "article_id", "cluster_id", "matched_at")
    titles = _Titles()
    total = MatchSummary(claims=0, same=0, conflicts=0)
    chunk_size = max(1, settings.CLAIM_MATCH_CHUNK_SIZE)
    # Index the rest of the article first, a committed chunk at a time: the key counts each
    # comparison weighs by then include all the article's claims, as in one pass, and two
    # articles matched at the same time find each other's claims.
    start = after
    while chunk := list(pending.filter(pk__gt=start)[:chunk_size]):
        with transaction.atomic():
            index_claims([(c, sig) for c in chunk if (sig := _signature(c)) is not None])
        start = chunk[-1].pk
    while chunk := list(pending.filter(pk__gt=after)[:chunk_size]):
        done = _match_chunk(
            article_id=article_id,
            claims=chunk,
            own_claims=own_claims,
            options=options,
            titles=titles,
        )
        total = total.plus(done)
        after = chunk[-1].pk
        if deadline is not None and time.monotonic() > deadline:
            if pending.filter(pk__gt=after).exists():
                total = replace(total, next_after=after)
                logger.info("article %s: out of time after claim %s, %s", article_id, after, total)
                return total
            break
    # Proposal may have deleted claims of this article since the last run.
    with transaction.atomic():
        prune_clusters(
            sorted(
                set(
                    Claim.objects.filter(article_id=article_id)
                    .exclude(cluster=None)
                    .values_list("cluster_id", flat=True)
                )
            )
        )
    matching_finish(article_id=article_id)
    logger.info("article %s: matched %s", article_id, total)
    return total


class _Titles:
    """Article titles' signatures and dates, read once per run: do two claims share a story?"""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[ClaimSignature, date | None]] = {}

    def _load(self, article_pk: int) -> tuple[ClaimSignature, date | None]:
        if article_pk not in self._seen:
            row = Article.objects.filter(pk=article_pk).values_list("title", "published_at").first()
            title, published = row or ("", None)
            self._seen[article_pk] = (analyse(title or ""), published.date() if published else None)
        return self._seen[article_pk]

    def __call__(self, article_pk: int) -> ClaimSignature:
        return self._load(article_pk)[0]

    def published(self, article_pk: int) -> date | None:
        return self._load(article_pk)[1]


def _signature(claim: Claim) -> ClaimSignature | None:
    try:
        return analyse(claim.text)
    except Exception:  # recorded when the claim is compared (_match_chunk)
        return None


def _failed(article_id: int, claim: Claim, exc: Exception) -> str:
    logger.exception("article %s: matching claim %s failed", article_id, claim.pk)
    return f"{type(exc).__name__}: {exc}"[:300]


def _match_chunk(
    *,
    article_id: int,
    claims: Sequence[Claim],
    own_claims: int,
    options: MatchOptions,
    titles: _Titles,
) -> MatchSummary:
    """Index, compare and link one chunk of an article's claims; one bad claim skips only itself."""
    failures: dict[int, str] = {}
    signed: list[tuple[Claim, ClaimSignature]] = []
    for claim in claims:
        try:
            signed.append((claim, analyse(claim.text)))
        except Exception as exc:  # a pipeline bug on one sentence; the database is fine
            failures[claim.pk] = _failed(article_id, claim, exc)
    rows: dict[tuple[int, int], ClaimMatch] = {}
    for claim, sig in signed:
        try:
            rows.update(_compare_claim(claim, sig, own_claims, options, titles))
        except DatabaseError:
            raise  # transient or not, the task decides: not this claim's fault
        except Exception as exc:
            failures[claim.pk] = _failed(article_id, claim, exc)
    matched = sorted(c.pk for c in claims if c.pk not in failures)
    with transaction.atomic():
        same, conflicts = _write_matches(rows, chunk_ids=[c.pk for c in claims])
        matching_record_failures(article_id=article_id, failures=failures)
        # Only now, with its comparisons committed alongside: a claim counts as matched.
        Claim.objects.filter(pk__in=matched).update(matched_at=timezone.now())
    return MatchSummary(claims=len(claims), same=same, conflicts=conflicts, failed=len(failures))


def _compare_claim(
    claim: Claim, sig: ClaimSignature, own_claims: int, options: MatchOptions, titles: _Titles
) -> dict[tuple[int, int], ClaimMatch]:
    """The "same" and "conflict" rows of one claim against its candidates."""
    others = [
        (other, analyse(other.text))
        for other in claim_candidates(
            sig=sig, exclude_article_id=claim.article_id, options=options, own_claims=own_claims
        )
    ]
    if not others:
        return {}
    weight = archive_weight([sig, *(s for _, s in others)])
    rows = {}
    for other, other_sig in others:
        # Compared in (low, high) id order, so the stored evidence reads in the row's order.
        first, second = (claim, other) if claim.pk < other.pk else (other, claim)
        sig_first, sig_second = (sig, other_sig) if first is claim else (other_sig, sig)
        decision = compare(
            sig_first,
            sig_second,
            same_threshold=options.same_threshold,
            conflict_context_threshold=options.conflict_context_threshold,
            weight=weight,
            story=text_similarity(titles(first.article_id), titles(second.article_id)),
            published=(titles.published(first.article_id), titles.published(second.article_id)),
        )
        if decision is None:
            continue
        confirmed = (
            decision.relation != MatchRelation.SAME
            or decision.confidence >= options.confirm_threshold
        )
        rows[(first.pk, second.pk)] = ClaimMatch(
            claim_id=first.pk,
            other_id=second.pk,
            similarity=decision.similarity,
            relation=decision.relation,
            details=[[qa.text, qb.text, _kind(qa, qb)] for qa, qb in decision.conflicts],
            confidence=decision.confidence,
            explanation=decision.evidence.as_dict() if decision.evidence else {},
            state=MatchState.CONFIRMED if confirmed else MatchState.SUGGESTED,
        )
    return rows


def _write_matches(
    rows: Mapping[tuple[int, int], ClaimMatch], *, chunk_ids: Sequence[int]
) -> tuple[int, int]:
    """Store a chunk's matches and merge clusters (caller's transaction); (same, conflicts).

    Deadlocks: two workers matching articles that share claims insert the same match rows and
    lock the same claims and clusters. Every lock here is taken in ascending id order (match
    rows by (claim, other), then claims, then clusters, then the clusters' members), so one
    waits for the other instead of each holding what the other needs.
    """
    # Pairs a reviewer rejected, unlinked or called "not a conflict" are never proposed again.
    refused = decided_pairs(pairs=list(rows), decisions=NEGATIVE_DECISIONS)
    pairs = sorted(p for p in rows if p not in refused)
    ClaimMatch.objects.bulk_create([rows[p] for p in pairs], ignore_conflicts=True, batch_size=500)
    same_pairs = [p for p in pairs if rows[p].relation == MatchRelation.SAME]
    conflicts = len(pairs) - len(same_pairs)
    if not same_pairs:
        return 0, conflicts
    # Only confirmed links join clusters: a suggestion waits for a reviewer.
    linked = set(
        ClaimMatch.objects.filter(
            claim_id__in=sorted({a for a, _ in same_pairs}),
            relation=MatchRelation.SAME,
            state=MatchState.CONFIRMED,
            unlinked_at__isnull=True,
        ).values_list("claim_id", "other_id")
    )
    claim_ids = sorted({pk for pair in same_pairs for pk in pair} | set(chunk_ids))
    clusters = sorted(
        {
            cid
            for cid in Claim.objects.select_for_update()
            .filter(pk__in=claim_ids)
            .order_by("pk")
            .values_list("cluster_id", flat=True)
            if cid is not None
        }
    )
    if clusters:
        list(ClaimCluster.objects.select_for_update().filter(pk__in=clusters).order_by("pk"))
        list(
            Claim.objects.select_for_update()
            .filter(cluster_id__in=clusters)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    for a, b in same_pairs:
        if (a, b) in linked:
            cluster_union(a, b)
    touched = Claim.objects.filter(pk__in=claim_ids).exclude(cluster=None)
    prune_clusters(sorted(set(touched.values_list("cluster_id", flat=True))))
    return len(same_pairs), conflicts
