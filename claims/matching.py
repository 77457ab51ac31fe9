"""Claim matching across articles: writes (match, inherit, unlink, flag) and their selectors.

How it fits together:

- ``article_match_claims`` runs after proposal. Each claim's index keys (content stems,
  figures, quantity kinds; ``extraction.matching.analyse``) go into ``ClaimMatchKey``,
  an inverted index, and their document frequencies into ``ClaimMatchTerm``. Candidates are
  the claims sharing the most of its *rarest* keys (an index lookup on at most
  ``CLAIM_MATCH_QUERY_KEYS`` keys, each capped at ``CLAIM_MATCH_MAX_KEY_DF`` postings: never a
  scan), then the pure matcher decides "same", "conflict" or nothing. The same tables and
  query serve SQLite and PostgreSQL.
- "same" links form clusters (connected components), merged on link and split on unlink.
- ``claim_apply_inherited_verdict`` copies a verdict through ``claim_set_status`` and records
  where it came from; ``on_claim_verdict_changed`` (called by ``claim_set_status``) flags every
  claim that inherited from a claim whose verdict changed.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Count, FloatField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from articles.models import Article
from claims.matching_state import (
    articles_to_match,
    matching_begin,
    matching_finish,
    matching_record_failures,
)
from claims.models import (
    Claim,
    ClaimCluster,
    ClaimMatch,
    ClaimMatchKey,
    ClaimMatchTerm,
    ClaimRereview,
    ClaimStatus,
    ClaimStatusChange,
    MatchRelation,
    RereviewReason,
)
from claims.services import VERDICTS, ClaimError, claim_set_status
from extraction.matching import (
    DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    DEFAULT_SAME_THRESHOLD,
    ClaimSignature,
    Quantity,
    Weight,
    analyse,
    compare,
    idf_weight,
)
from extraction.matching import similarity as text_similarity

logger = logging.getLogger(__name__)

# The ClaimMatchTerm row counting indexed claims (the N of the IDF); analyse() never makes it.
N_CLAIMS_KEY = "#claims"


class NotMatched(ClaimError):
    """The two claims are not linked as the same claim, so no verdict can be carried over."""


class NothingToInherit(ClaimError):
    """The source claim has no verdict (verified, disputed or unconfirmed) to carry over."""


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Matching thresholds, read from settings (``CLAIM_MATCH_*``)."""

    same_threshold: float
    conflict_context_threshold: float
    candidate_limit: int
    query_keys: int
    max_key_df: int

    @classmethod
    def from_settings(cls) -> MatchOptions:
        return cls(
            same_threshold=getattr(settings, "CLAIM_MATCH_SAME_THRESHOLD", DEFAULT_SAME_THRESHOLD),
            conflict_context_threshold=getattr(
                settings, "CLAIM_MATCH_CONFLICT_THRESHOLD", DEFAULT_CONFLICT_CONTEXT_THRESHOLD
            ),
            candidate_limit=getattr(settings, "CLAIM_MATCH_CANDIDATE_LIMIT", 30),
            query_keys=getattr(settings, "CLAIM_MATCH_QUERY_KEYS", 8),
            max_key_df=getattr(settings, "CLAIM_MATCH_MAX_KEY_DF", 2000),
        )


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


# --- Index ------------------------------------------------------------------------------------


def _keys(sig: ClaimSignature) -> list[str]:
    return sorted(k[:64] for k in sig.keys)


def _index_claims(claims: Sequence[tuple[Claim, ClaimSignature]]) -> None:
    """Write the index keys of claims not indexed yet, and count them in ClaimMatchTerm."""
    # Indexed = matched, or keys already written by a run that stopped before its comparisons
    # committed (a claim is marked matched only then). A keyless claim in such a run adds one
    # to the "#claims" count twice; the periodic recount puts it right.
    unmatched = [c.pk for c, _ in claims if c.matched_at is None]
    indexed = set(
        ClaimMatchKey.objects.filter(claim_id__in=unmatched).values_list("claim_id", flat=True)
    )
    fresh = [(c, sig) for c, sig in claims if c.matched_at is None and c.pk not in indexed]
    if not fresh:
        return
    ClaimMatchKey.objects.bulk_create(
        [ClaimMatchKey(key=k, claim_id=c.pk) for c, sig in fresh for k in _keys(sig)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    counts: dict[str, int] = defaultdict(int)
    for _, sig in fresh:
        for k in _keys(sig):
            counts[k] += 1
    counts[N_CLAIMS_KEY] = len(fresh)
    _increment_terms(counts)


def _increment_terms(counts: dict[str, int]) -> None:
    # One upsert, keys in sorted order: concurrent workers take the row locks in the same order
    # and cannot deadlock. SQLite (3.24+) and PostgreSQL share this syntax.
    table = ClaimMatchTerm._meta.db_table
    items = sorted(counts.items())
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        params = [p for item in chunk for p in item]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, df) VALUES {values} "  # noqa: S608 - fixed names
                f"ON CONFLICT (key) DO UPDATE SET df = {table}.df + EXCLUDED.df",
                params,
            )


def match_terms_recount() -> int:
    """Recompute every key's document frequency from the index; returns the number of keys.

    The counts are only ever incremented as claims are indexed; deleted claims (re-proposal
    replacing untouched proposals, deleted articles) take their index rows with them but not
    their counts, so rare keys drift towards common. A periodic recount (beat, or the
    ``recount_match_terms`` command) puts them back. Concurrent indexing waits on the table
    lock and adds its counts after, so none is lost or counted twice.
    """
    terms, keys = ClaimMatchTerm._meta.db_table, ClaimMatchKey._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {terms} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {terms}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {terms} (key, df) SELECT key, COUNT(*) FROM {keys} GROUP BY key"  # noqa: S608
        )
        matched = Claim.objects.filter(matched_at__isnull=False).count()
        ClaimMatchTerm.objects.update_or_create(key=N_CLAIMS_KEY, defaults={"df": matched})
        total = ClaimMatchTerm.objects.count()
    _df_cache.clear()
    logger.info("match terms recounted: %d keys, %d matched claims", total, matched)
    return total


def claim_candidates(
    *,
    sig: ClaimSignature,
    exclude_article_id: int | None,
    options: MatchOptions,
    own_claims: int | None = None,
) -> list[Claim]:
    """Claims in other articles sharing the most of this claim's rarest keys (index lookups).

    ``own_claims`` is how many claims the excluded article has (counted when not given).
    """
    keys = _keys(sig)
    df = _document_frequencies(set(keys))
    # Rare keys identify a fact; keys on more than max_key_df claims ("said", "ukraine" in a
    # newsroom covering Ukraine) would make the lookup a scan and say little.
    usable = sorted((k for k in keys if 0 < df.get(k, 0) <= options.max_key_df), key=df.get)
    usable = usable[: options.query_keys]
    if not usable:
        return []
    # Rarer keys count more (an IDF-like weight), so "sudzha" outranks "region".
    weight = Case(
        *[When(key=k, then=Value(1.0 / (1 + df[k]) ** 0.5)) for k in usable],
        output_field=FloatField(),
    )
    # Over-fetch by the article's own claims, which share their own keys and are dropped below.
    own = own_claims
    if own is None:
        own = (
            Claim.objects.filter(article_id=exclude_article_id).count() if exclude_article_id else 0
        )
    ranked = (
        ClaimMatchKey.objects.filter(key__in=usable)
        .values("claim_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "claim_id")[: options.candidate_limit + own]
    )
    ids = [row["claim_id"] for row in ranked]
    found = (
        Claim.objects.filter(pk__in=ids)
        .exclude(article_id=exclude_article_id)
        .exclude(status=ClaimStatus.DISMISSED)
        .only("id", "text", "article_id", "cluster_id")
    )
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(found, key=lambda c: order[c.pk])[: options.candidate_limit]


# --- Matching ---------------------------------------------------------------------------------


def _kind(qa: Quantity, qb: Quantity) -> str:
    # "3,100 people" vs "2,400 evacuees": name the kind by the side that knows it.
    return qa.category or qb.category or qa.kind


# Key counts move slowly in a large archive (a claim adds 1 to a few keys): a worker keeps the
# ones it read for a few minutes instead of asking for ~400 of them per claim. A small archive
# (the demo, a new newsroom) changes fast relative to its size, so it is always read afresh.
_DF_TTL_SECONDS = 300.0
_DF_CACHE_MAX = 200_000
_DF_CACHE_MIN_CLAIMS = 10_000
_df_cache: dict[str, tuple[int, float]] = {}


def _document_frequencies(keys: set[str]) -> dict[str, int]:
    now = time.monotonic()
    found = {k: v[0] for k in keys if (v := _df_cache.get(k)) and now - v[1] < _DF_TTL_SECONDS}
    found.pop(N_CLAIMS_KEY, None)
    n = ClaimMatchTerm.objects.filter(key=N_CLAIMS_KEY).values_list("df", flat=True).first() or 0
    if n < _DF_CACHE_MIN_CLAIMS:
        found = {}
    missing = keys - found.keys() - {N_CLAIMS_KEY}
    if missing:
        fetched = dict(ClaimMatchTerm.objects.filter(key__in=missing).values_list("key", "df"))
        if len(_df_cache) > _DF_CACHE_MAX:
            _df_cache.clear()
        for k in missing:
            found[k] = fetched.get(k, 0)
            if n >= _DF_CACHE_MIN_CLAIMS:
                _df_cache[k] = (found[k], now)
    found[N_CLAIMS_KEY] = n
    return found


def archive_weight(signatures: Sequence[ClaimSignature]) -> Weight:
    """IDF weights for comparing these claims, from the whole archive's key counts."""
    df = _document_frequencies({t for sig in signatures for t in sig.tokens} | {N_CLAIMS_KEY})
    return idf_weight(df, max(df.pop(N_CLAIMS_KEY, 0), 1))


# The benchmarks (bench/web.py, bench/match_speed.py) imported it under this name first.
_archive_weight = archive_weight


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
            _index_claims([(c, sig) for c in chunk if (sig := _signature(c)) is not None])
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
        _prune_clusters(
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
    """Article titles' signatures, read once per run: they tell whether two claims share a story."""

    def __init__(self) -> None:
        self._seen: dict[int, ClaimSignature] = {}

    def __call__(self, article_pk: int) -> ClaimSignature:
        if article_pk not in self._seen:
            title = Article.objects.filter(pk=article_pk).values_list("title", flat=True).first()
            self._seen[article_pk] = analyse(title or "")
        return self._seen[article_pk]


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
        decision = compare(
            sig,
            other_sig,
            same_threshold=options.same_threshold,
            conflict_context_threshold=options.conflict_context_threshold,
            weight=weight,
            story=text_similarity(titles(claim.article_id), titles(other.article_id)),
        )
        if decision is None:
            continue
        low, high = sorted((claim.pk, other.pk))
        # Figures side by side, in (low, high) order whichever claim they came from.
        details = [
            [qa.text, qb.text, _kind(qa, qb)]
            if claim.pk == low
            else [qb.text, qa.text, _kind(qa, qb)]
            for qa, qb in decision.conflicts
        ]
        rows[(low, high)] = ClaimMatch(
            claim_id=low,
            other_id=high,
            similarity=decision.similarity,
            relation=decision.relation,
            details=details,
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
    pairs = sorted(rows)
    ClaimMatch.objects.bulk_create([rows[p] for p in pairs], ignore_conflicts=True, batch_size=500)
    same_pairs = [p for p in pairs if rows[p].relation == MatchRelation.SAME]
    conflicts = len(pairs) - len(same_pairs)
    if not same_pairs:
        return 0, conflicts
    linked = set(
        ClaimMatch.objects.filter(
            claim_id__in=sorted({a for a, _ in same_pairs}),
            relation=MatchRelation.SAME,
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
            _cluster_union(a, b)
    touched = Claim.objects.filter(pk__in=claim_ids).exclude(cluster=None)
    _prune_clusters(sorted(set(touched.values_list("cluster_id", flat=True))))
    return len(same_pairs), conflicts


def _cluster_union(a: int, b: int) -> None:
    """Put two linked claims in one cluster, merging their clusters if they had two."""
    pair = {c.pk: c for c in Claim.objects.filter(pk__in=(a, b)).only("id", "cluster_id")}
    ca, cb = pair[a].cluster_id, pair[b].cluster_id
    if ca is None and cb is None:
        cluster = ClaimCluster.objects.create()
        Claim.objects.filter(pk__in=(a, b)).update(cluster=cluster)
    elif ca is None or cb is None:
        Claim.objects.filter(pk__in=(a, b)).update(cluster_id=ca or cb)
    elif ca != cb:
        # Two workers merging overlapping clusters: lock both rows, lowest id first.
        keep, gone = sorted((ca, cb))
        list(ClaimCluster.objects.select_for_update().filter(pk__in=(keep, gone)).order_by("pk"))
        Claim.objects.filter(cluster_id=gone).update(cluster_id=keep)
        ClaimCluster.objects.filter(pk=gone).delete()
        ClaimCluster.objects.filter(pk=keep).update(updated_at=timezone.now())


def _cluster_recompute(cluster_id: int) -> None:
    """Split a cluster into the connected components its remaining "same" links leave."""
    members = list(Claim.objects.filter(cluster_id=cluster_id).values_list("id", flat=True))
    edges = ClaimMatch.objects.filter(
        claim_id__in=members, other_id__in=members, relation=MatchRelation.SAME
    ).filter(unlinked_at__isnull=True)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in edges.values_list("claim_id", "other_id"):
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[int] = set()
    components = []
    for start in sorted(members):
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node in component:
                continue
            component.add(node)
            stack.extend(neighbours[node] - component)
        seen |= component
        components.append(component)
    # The largest component keeps the cluster id; the others get new clusters or none.
    components.sort(key=lambda comp: (-len(comp), min(comp)))
    for i, component in enumerate(components):
        if len(component) < 2:
            Claim.objects.filter(pk__in=component).update(cluster=None)
        elif i > 0:
            Claim.objects.filter(pk__in=component).update(cluster=ClaimCluster.objects.create())
    _prune_clusters([cluster_id])


def _prune_clusters(cluster_ids: Iterable[int]) -> None:
    """Drop clusters left with fewer than two claims (a claim was deleted or unlinked)."""
    qs = ClaimCluster.objects.filter(pk__in=list(cluster_ids))
    lonely = list(qs.annotate(n=Count("claims")).filter(n__lt=2).values_list("pk", flat=True))
    if lonely:
        Claim.objects.filter(cluster_id__in=lonely).update(cluster=None)
        ClaimCluster.objects.filter(pk__in=lonely).delete()


def claim_unlink_match(
    *, match_id: int, user: AbstractBaseUser | None, note: str = ""
) -> ClaimMatch:
    """Mark a match as wrong (recorded, not deleted) and split the cluster if it held it."""
    with transaction.atomic():
        match = ClaimMatch.objects.select_for_update().get(pk=match_id)
        if match.unlinked_at is not None:
            return match
        match.unlinked_at = timezone.now()
        match.unlinked_by = user
        match.unlink_note = note.strip()
        match.save(update_fields=["unlinked_at", "unlinked_by", "unlink_note"])
        if match.relation == MatchRelation.SAME:
            cluster_ids = set(
                Claim.objects.filter(pk__in=(match.claim_id, match.other_id))
                .exclude(cluster=None)
                .values_list("cluster_id", flat=True)
            )
            members = {match.claim_id, match.other_id}
            members.update(
                Claim.objects.filter(cluster_id__in=cluster_ids).values_list("pk", flat=True)
            )
            for cluster_id in cluster_ids:
                _cluster_recompute(cluster_id)
            _flag_orphaned_inheritors(members)
    logger.info("match %s unlinked by %s", match_id, user)
    return match


def _flag_orphaned_inheritors(claim_ids: set[int]) -> int:
    """Flag the claims an unlink cut off from the claim their verdict came from.

    Of ``claim_ids`` (the match's claims and their former clusters), each whose verdict source
    is no longer linked to it (no shared cluster, no active "same" match) stops inheriting it
    and goes on the "verdict changed" queue. Its status is left for a reviewer to decide.
    """
    inheritors = Claim.objects.select_for_update().filter(
        pk__in=claim_ids, inherited_from__isnull=False
    )
    flagged = 0
    for claim in inheritors:
        source = Claim.objects.get(pk=claim.inherited_from_id)
        if _linked(claim, source):
            continue  # still the same claim through the rest of its cluster
        Claim.objects.filter(pk=claim.pk).update(
            inherited_from=None, inherited_by=None, inherited_at=None
        )
        flag = {
            "source": source,
            "source_change": None,
            "from_status": claim.status,
            "to_status": claim.status,
            "reason": RereviewReason.UNLINKED,
            "flagged_at": timezone.now(),
        }
        open_flag = ClaimRereview.objects.filter(claim=claim, resolved_at__isnull=True)
        if not open_flag.update(**flag):
            ClaimRereview.objects.create(claim=claim, **flag)
        flagged += 1
    return flagged


# --- Inherited verdicts -----------------------------------------------------------------------


def _linked(claim: Claim, source: Claim) -> bool:
    if claim.cluster_id is not None and claim.cluster_id == source.cluster_id:
        return True
    low, high = sorted((claim.pk, source.pk))
    return ClaimMatch.objects.filter(
        claim_id=low, other_id=high, relation=MatchRelation.SAME, unlinked_at__isnull=True
    ).exists()


def claim_apply_inherited_verdict(
    *,
    claim_id: int,
    source_claim_id: int,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Give a claim the verdict of a linked claim via claim_set_status, recorded as inherited."""
    source = Claim.objects.select_related("article", "reviewed_by").get(pk=source_claim_id)
    if source.status not in VERDICTS:
        raise NothingToInherit(f"Claim {source.pk} has no verdict to carry over ({source.status}).")
    last = (
        ClaimStatusChange.objects.filter(claim=source, to_status=source.status)
        .order_by("-version")
        .first()
    )
    who = source.reviewed_by.get_username() if source.reviewed_by else "unknown"
    when = f"{source.reviewed_at:%Y-%m-%d}" if source.reviewed_at else "an unknown date"
    note = (
        f"Verdict inherited from claim #{source.pk} in “{source.article.title}” "
        f"({source.status} on {when} by {who})."
    )
    if last and last.note:
        note += f" Their note: {last.note}"
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.pk == source.pk or not _linked(claim, source):
            raise NotMatched(f"Claim {claim_id} is not linked to claim {source_claim_id}.")
        claim = claim_set_status(
            claim_id=claim_id,
            to_status=source.status,
            user=user,
            expected_version=expected_version,
            note=note,
        )
        # After claim_set_status: its verdict-changed hook clears an older inheritance.
        now = timezone.now()
        Claim.objects.filter(pk=claim_id).update(
            inherited_from=source, inherited_by=user, inherited_at=now
        )
        _resolve_rereviews(claim_id=claim_id, user=user)
        claim.inherited_from, claim.inherited_by, claim.inherited_at = source, user, now
    logger.info("claim %s inherited %s from claim %s", claim_id, source.status, source.pk)
    return claim


def _resolve_rereviews(*, claim_id: int, user: AbstractBaseUser | None) -> int:
    return ClaimRereview.objects.filter(claim_id=claim_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def claim_resolve_rereview(*, claim_id: int, user: AbstractBaseUser | None) -> int:
    """Take a claim off the "verdict changed" queue: the reviewer keeps its verdict."""
    return _resolve_rereviews(claim_id=claim_id, user=user)


def on_claim_verdict_changed(claim: Claim, *, change: ClaimStatusChange | None = None) -> int:
    """Hook for ``claim_set_status``: flag every claim that inherited this claim's verdict.

    Runs inside the status change's transaction, so the flags commit with it. The claim's own
    open flags are resolved (a reviewer just set its status), and a verdict it had inherited
    is no longer inherited. Returns the number of claims flagged.
    """
    if change is None:
        change = claim.history.order_by("-version").first()
    if claim.inherited_from_id is not None:
        Claim.objects.filter(pk=claim.pk).update(
            inherited_from=None, inherited_by=None, inherited_at=None
        )
        claim.inherited_from, claim.inherited_by, claim.inherited_at = None, None, None
    _resolve_rereviews(claim_id=claim.pk, user=change.changed_by if change else None)
    inheritors = list(
        Claim.objects.filter(inherited_from_id=claim.pk)
        .exclude(pk=claim.pk)
        .values_list("pk", flat=True)
    )
    if not inheritors:
        return 0
    from_status = change.from_status if change else ""
    open_flags = set(
        ClaimRereview.objects.filter(claim_id__in=inheritors, resolved_at__isnull=True).values_list(
            "claim_id", flat=True
        )
    )
    # A second change at the source before anyone looked: update the open flag in place.
    ClaimRereview.objects.filter(claim_id__in=open_flags, resolved_at__isnull=True).update(
        source=claim,
        source_change=change,
        to_status=claim.status,
        reason=RereviewReason.VERDICT_CHANGED,
        flagged_at=timezone.now(),
    )
    ClaimRereview.objects.bulk_create(
        ClaimRereview(
            claim_id=pk,
            source=claim,
            source_change=change,
            from_status=from_status,
            to_status=claim.status,
        )
        for pk in inheritors
        if pk not in open_flags
    )
    logger.info("claim %s verdict changed: %d inheritors flagged", claim.pk, len(inheritors))
    return len(inheritors)


# --- Selectors --------------------------------------------------------------------------------


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

    @property
    def can_inherit(self) -> bool:
        return self.relation == MatchRelation.SAME and self.other.status in VERDICTS


def claim_match_views(*, claim: Claim) -> list[MatchView]:
    """The claim page's "Same claim as … in ARTICLE — verified on DATE by REVIEWER" (2 queries)."""
    matches = list(
        ClaimMatch.objects.filter(Q(claim=claim) | Q(other=claim), unlinked_at__isnull=True)
        .select_related(
            "claim__article", "claim__reviewed_by", "other__article", "other__reviewed_by"
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
        views.append(
            MatchView(
                match=match,
                other=other,
                relation=match.relation,
                similarity=match.similarity,
                inherited_from=claim.inherited_from_id == other.pk,
                verdict_note=notes.get(other.pk, ""),
                figures=figures,
            )
        )
    return views


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
    """Open numeric conflicts, newest first, with both claims and their articles."""
    return (
        ClaimMatch.objects.filter(relation=MatchRelation.CONFLICT, unlinked_at__isnull=True)
        .select_related("claim__article", "other__article")
        .order_by("-created_at", "-id")
    )


__all__ = [
    "MatchOptions",
    "MatchSummary",
    "MatchView",
    "NotMatched",
    "NothingToInherit",
    "archive_weight",
    "article_match_claims",
    "claim_apply_inherited_verdict",
    "claim_candidates",
    "claim_match_views",
    "claim_matches_for",
    "claim_resolve_rereview",
    "claim_unlink_match",
    "claims_attach_matches",
    "cluster_as_dict",
    "cluster_claims",
    "conflict_queue",
    "matches_by_claim",
    "on_claim_verdict_changed",
    "rereview_queue",
    "top_matches_by_claim",
]


def articles_with_unmatched_claims(*, older_than_seconds: int, limit: int = 500) -> list[int]:
    """The matching sweep's articles (``claims.matching_state.articles_to_match``)."""
    return articles_to_match(older_than_seconds=older_than_seconds, limit=limit)
