"""Benchmark: match one new claim against N claims (target < 50 ms at 1,000,000, PostgreSQL).

Fills a dedicated database with N synthetic claims (12 words each from a 200,000-word vocabulary
with a Zipf-like skew, so some keys are on a fifth of all claims and most on a handful), their
match keys and key counts, then times the whole per-claim matching step: ``analyse``, the
indexed candidate lookup (``claim_candidates``) and ``compare`` against every candidate.

Never point it at a real database: it migrates and fills the one it is given.

    DATABASE_URL=postgres://postgres@127.0.0.1/factcheck_bench_match \\
        python bench/match_speed.py --claims 1000000
    SQLITE_PATH=/tmp/factcheck_bench_match.sqlite3 python bench/match_speed.py --claims 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import Article, content_hash  # noqa: E402
from claims.models import Claim  # noqa: E402
from extraction.matching import analyse, compare  # noqa: E402
from matching.index import (  # noqa: E402
    N_CLAIMS_KEY,
    MatchOptions,
    _df_cache,
    archive_weight,
    claim_candidates,
)
from matching.models import ClaimMatchKey, ClaimMatchTerm  # noqa: E402

VOCABULARY = 200_000
WORDS_PER_CLAIM = 12
CLAIMS_PER_ARTICLE = 10


def _series(n: int) -> str:
    """SQL yielding i = 0..n-1 (PostgreSQL generate_series, SQLite recursive CTE)."""
    if connection.vendor == "postgresql":
        return f"SELECT g AS i FROM generate_series(0, {n - 1}) g"
    return (
        "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s "
        f"WHERE i < {n - 1}) SELECT i FROM s"
    )


def _random_word() -> str:
    # Uniform u in [0, 1) cubed: word 0 is on about a fifth of claims, most words on very few.
    if connection.vendor == "postgresql":
        return f"'w' || floor({VOCABULARY} * random() * random() * random())::int"
    u = "((abs(random()) % 1000000) / 1000000.0)"
    return f"'w' || cast({VOCABULARY} * {u} * {u} * {u} as integer)"


def populate(n_claims: int) -> None:
    """Fill the database with n synthetic claims, their keys and key counts (once)."""
    have = Claim.objects.count()
    if have >= n_claims:
        print(f"database already holds {have:,} claims")
        return
    if have:
        raise SystemExit("database holds a different number of claims: drop it first")
    began = time.perf_counter()
    n_articles = n_claims // CLAIMS_PER_ARTICLE
    for start in range(Article.objects.count(), n_articles, 5000):
        Article.objects.bulk_create(
            Article(
                title=f"bench {i}",
                body=f"bench article {i}",
                content_hash=content_hash(f"bench article {i}"),
                proposal_state="done",
            )
            for i in range(start, min(start + 5000, n_articles))
        )
    first_article = Article.objects.order_by("pk").values_list("pk", flat=True).first()
    print(f"{n_articles:,} articles in {time.perf_counter() - began:.0f} s")

    claim_table, key_table = Claim._meta.db_table, ClaimMatchKey._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_words (claim_no integer, word text)")
        words = " UNION ALL ".join(
            f"SELECT i AS claim_no, {_random_word()} AS word FROM series"
            for _ in range(WORDS_PER_CLAIM)
        )
        cursor.execute(f"INSERT INTO bench_words WITH series AS ({_series(n_claims)}) {words}")
        agg = (
            "string_agg(word, ' ')"
            if connection.vendor == "postgresql"
            else "group_concat(word, ' ')"
        )
        # Every column of the claim table gets its model default, so fields added later work.
        fields = [f for f in Claim._meta.concrete_fields if not f.primary_key]
        computed = {
            "article_id": f"{first_article} + claim_no / {CLAIMS_PER_ARTICLE}",
            "text": f"{agg} || '.'",
            # %% is "%" once the driver has filled in the parameters.
            "start": f"(claim_no %% {CLAIMS_PER_ARTICLE}) * 1000",
            "end": f"(claim_no %% {CLAIMS_PER_ARTICLE}) * 1000 + 100",
            "score": "0.5",
            "created_at": "CURRENT_TIMESTAMP",
            "updated_at": "CURRENT_TIMESTAMP",
            "matched_at": "CURRENT_TIMESTAMP",
        }
        columns, expressions, params = [], [], []
        for f in fields:
            columns.append(connection.ops.quote_name(f.column))
            if f.attname in computed:
                expressions.append(computed[f.attname])
            else:
                expressions.append("%s")
                default = None if f.null and not f.has_default() else f.get_default()
                params.append(f.get_db_prep_save(default, connection))
        cursor.execute(
            f"INSERT INTO {claim_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM bench_words GROUP BY claim_no ORDER BY claim_no",
            params,
        )
        first_claim = Claim.objects.order_by("pk").values_list("pk", flat=True).first()
        cursor.execute(
            f"INSERT INTO {key_table} (key, claim_id) "
            f"SELECT DISTINCT word, {first_claim} + claim_no FROM bench_words"
        )
        cursor.execute(
            f"INSERT INTO {ClaimMatchTerm._meta.db_table} (key, df) "
            f"SELECT key, count(*) FROM {key_table} GROUP BY key"
        )
        ClaimMatchTerm.objects.create(key=N_CLAIMS_KEY, df=n_claims)
        cursor.execute("DROP TABLE bench_words")
    with connection.cursor() as cursor:
        # Fresh tables: planner statistics, and (PostgreSQL) the visibility map that lets the
        # key lookup be an index-only scan; autovacuum does both in production.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{n_claims:,} claims and their keys in {time.perf_counter() - began:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=500)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    populate(args.claims)
    options = MatchOptions.from_settings()
    rng = random.Random(7)
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample = [top - rng.randrange(args.claims) for _ in range(2 * args.runs + args.warmup)]
    probes = list(Claim.objects.filter(pk__in=sample))
    rng.shuffle(probes)
    cold, warmup, warm = (
        probes[: args.runs],
        probes[args.runs : args.runs + args.warmup],
        probes[args.runs + args.warmup :],
    )
    # A cold worker reads every key count from the database; a warm one, having matched
    # --warmup other claims, has the counts of common keys cached (large archives only).
    run("cold", cold, options, clear_cache=True)
    run("warm-up", warmup, options, report=False)
    run("warm", warm, options)


def run(
    label: str,
    probes: list[Claim],
    options: MatchOptions,
    *,
    clear_cache: bool = False,
    report: bool = True,
) -> None:
    timings, cpu, candidates = [], [], []
    for probe in probes:
        if clear_cache:
            _df_cache.clear()
        began, began_cpu = time.perf_counter(), time.process_time()
        sig = analyse(probe.text)
        found = claim_candidates(
            sig=sig,
            exclude_article_id=probe.article_id,
            options=options,
            own_claims=CLAIMS_PER_ARTICLE,
        )
        others = [analyse(c.text) for c in found]
        weight = archive_weight([sig, *others])
        for other in others:
            compare(sig, other, weight=weight)
        timings.append((time.perf_counter() - began) * 1000)
        # This process's own CPU: the wall time minus waiting for the database and for cores
        # other processes hold (the shared benchmark machine is rarely idle).
        cpu.append((time.process_time() - began_cpu) * 1000)
        candidates.append(len(found))
    timings.sort()
    if not report:
        return
    print(
        f"{connection.vendor} ({label}), {Claim.objects.count():,} claims, "
        f"{len(timings)} new claims: "
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms; "
        f"{statistics.mean(candidates):.0f} candidates compared on average; "
        f"Python CPU median {statistics.median(cpu):.1f} ms"
    )


if __name__ == "__main__":
    main()
