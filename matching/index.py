"""The candidate index: each claim's keys (``ClaimMatchKey``), their counts (``ClaimMatchTerm``)
and the lookup that finds a claim's candidates without scanning the archive.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, FloatField, Sum, Value, When

from claims.models import Claim, ClaimStatus
from extraction.matching import ClaimSignature, Weight, idf_weight
from matching.models import ClaimMatchKey, ClaimMatchTerm

logger = logging.getLogger(__name__)

# The ClaimMatchTerm row counting indexed claims (the N of the IDF); analyse() never makes it.
N_CLAIMS_KEY = "#claims"


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Matching thresholds from settings (``CLAIM_MATCH_*``, each default written once there)."""

    same_threshold: float
    conflict_context_threshold: float
    candidate_limit: int
    query_keys: int
    max_key_df: int
    confirm_threshold: float = 0.85

    @classmethod
    def from_settings(cls) -> MatchOptions:
        return cls(
            same_threshold=settings.CLAIM_MATCH_SAME_THRESHOLD,
            conflict_context_threshold=settings.CLAIM_MATCH_CONFLICT_THRESHOLD,
            candidate_limit=settings.CLAIM_MATCH_CANDIDATE_LIMIT,
            query_keys=settings.CLAIM_MATCH_QUERY_KEYS,
            max_key_df=settings.CLAIM_MATCH_MAX_KEY_DF,
            confirm_threshold=settings.MATCH_CONFIRM_THRESHOLD,
        )


def _keys(sig: ClaimSignature) -> list[str]:
    return sorted(k[:64] for k in sig.keys)


def index_claims(claims: Sequence[tuple[Claim, ClaimSignature]]) -> None:
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


# Key counts move slowly in a large archive (a claim adds 1 to a few keys): a worker keeps the
# ones it read for a few minutes instead of asking for ~400 of them per claim. A small archive
# (the demo, a new newsroom) changes fast relative to its size, so it is always read afresh.
# A plain dict on purpose: Django's local-memory cache (a key function, a lock and a pickle per
# key) took 1.66 ms for 400 keys against 0.16 ms here, twice per claim on a ~12 ms benchmark
# figure; functools has no expiry. Per process, emptied whole when full.
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
