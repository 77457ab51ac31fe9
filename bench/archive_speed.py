"""Benchmark: "already checked elsewhere" for a new claim, at 100k, 300k and 1M archive entries.

Fills the bench database's fact-check archive (``factchecks_factcheck``, kept for later runs
like the claims) with synthetic published fact-checks: claims rendered by ``bench.textgen``
from the same fictional region as the bench's claims (so names and places overlap, with the
same skewed vocabulary), headlines, ratings, 60 organisations and dates, written with COPY,
then ``VACUUM ANALYZE`` (the planner statistics the full-text query reads). At each size it
times the archive side per new claim (``factchecks.search.rank_archive``: the full-text
candidates and their re-rank, forced onto the full-text path) and, once, the claim side at the
bench's claim count (the same steps as the "matching" benchmark); the target is their sum
< 50 ms at 1,000,000 entries plus 1,000,000 claims. Half the probe claims restate archive
claims (they have a fact-check), half are new facts.

    python -m bench --only archive            # 100k, 300k, 1M (generates what is missing)
    BENCH_ARCHIVE_SIZES=100000 python -m bench --only archive
"""

from __future__ import annotations

import os
import random
import statistics
import time

from bench import core

FULL_SIZES = (100_000, 300_000, 1_000_000)
QUICK_SIZES = (1_000, 3_000, 10_000)
RATINGS = [
    "False",
    "Mostly false",
    "Misleading",
    "Missing context",
    "Half true",
    "Mostly true",
    "True",
    "Unproven",
]
_COPY_COLUMNS = (
    "external_id, claim, title, rating, url, author, date_text, published_on, language, "
    "created_at, updated_at"
)


def archive_sizes(sizes: core.Sizes) -> tuple[int, ...]:
    explicit = os.environ.get("BENCH_ARCHIVE_SIZES")
    if explicit:
        return tuple(int(x) for x in explicit.split(","))
    return QUICK_SIZES if sizes.name == "quick" else FULL_SIZES


def fill_archive(n: int, *, log=print) -> float:
    """Add synthetic fact-checks until the archive holds ``n``; returns the seconds it took."""
    from django.db import connection, transaction

    from bench.textgen import World, render
    from factchecks.models import FactCheck

    have = FactCheck.objects.count()
    if have >= n:
        return 0.0
    began = time.perf_counter()
    world = World(seed=42)  # the bench claims' world: the same places, people and figures
    world.rng = random.Random(7_000 + have)
    orgs = [f"{world.place()} Fact Check" for _ in range(60)]
    rng = random.Random(11 + have)
    with transaction.atomic(), connection.cursor() as cursor:
        copy_sql = f"COPY {FactCheck._meta.db_table} ({_COPY_COLUMNS}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for i in range(have, n):
                fact = world.new_fact()
                claim = render(fact)[0]
                try:
                    title = world.title(fact)
                except KeyError:  # a template without the headline's slots
                    title = f"Fact check: {claim[:60]}"
                org = orgs[int(len(orgs) * rng.random() ** 2)]
                year, month, day = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
                when = f"{year}-{month:02d}-{day:02d}"
                copy.write_row(
                    (
                        f"bench-{i}",
                        claim,
                        title,
                        rng.choice(RATINGS),
                        f"https://checks.example/{org.split()[0].lower()}/{i}",
                        org,
                        when,
                        when,
                        "en",
                        "now",
                        "now",
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {FactCheck._meta.db_table}")
    took = time.perf_counter() - began
    log(f"archive: {have:,} -> {n:,} fact-checks in {took:.0f} s")
    return took


def _probes(count: int) -> list[str]:
    from bench.textgen import World, render
    from factchecks.models import FactCheck

    rng = random.Random(5)
    top = FactCheck.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    restated = (
        list(
            FactCheck.objects.filter(
                pk__in=[rng.randint(1, top) for _ in range(count)]
            ).values_list("claim", flat=True)[: count // 2]
        )
        if top
        else []
    )
    world = World(seed=42)
    world.rng = random.Random(99)
    probes = restated + [render(world.new_fact())[0] for _ in range(count - len(restated))]
    rng.shuffle(probes)
    return probes


def _claim_side(probes: list[str]) -> list[float] | None:
    """Per-claim time of claim matching against the bench's claims (None without an index)."""
    from extraction.matching import analyse, compare
    from matching.index import MatchOptions, archive_weight, claim_candidates
    from matching.models import ClaimMatchKey

    if not ClaimMatchKey.objects.exists():
        return None
    options = MatchOptions.from_settings()

    def match_one(text: str) -> None:
        sig = analyse(text)
        found = claim_candidates(sig=sig, exclude_article_id=None, options=options)
        others = [analyse(c.text) for c in found]
        weight = archive_weight([sig, *others])
        for other in others:
            compare(sig, other, weight=weight)

    match_one(probes[0])
    return core.timed_each(match_one, probes)


def bench_archive(sizes: core.Sizes) -> list[core.Result]:
    from django.conf import settings

    from claims.models import Claim
    from factchecks.search import forget_statistics, rank_archive

    result = core.Result(
        "archive",
        "Fact-check archive: one new claim against the archive (PostgreSQL full text)",
        "python -m bench --only archive",
    )
    settings.FACT_CHECK_FULL_TEXT_ABOVE = 0  # the full-text path at every size
    probes = _probes(sizes.runs * 40)
    claim_ms = _claim_side(probes)
    claims = Claim.objects.count()
    if claim_ms is None:
        result.notes.append("Claim side NOT AVAILABLE: the match index (ClaimMatchKey) is empty.")
    else:
        f = core.Figure(f"claim side per new claim ({claims:,} claims)", "ms", claim_ms)
        result.figures.append(f)
    for n in archive_sizes(sizes):
        took = fill_archive(n)
        forget_statistics()
        probes = _probes(sizes.runs * 40)

        def rank(text: str) -> None:
            rank_archive(text, top=settings.FACT_CHECK_TOP, min_score=settings.FACT_CHECK_MIN_SCORE)

        rank(probes[0])
        archive_ms = core.timed_each(rank, probes)
        f = core.Figure(f"archive side per new claim ({n:,} fact-checks)", "ms", archive_ms)
        ordered = sorted(archive_ms)
        f.note = f"p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms"
        if took:
            f.note += f"; archive rows generated in {took:.0f} s"
        result.figures.append(f)
        if claim_ms is not None:
            both = [a + c for a, c in zip(archive_ms, claim_ms, strict=False)]
            target = "< 50" if n >= 1_000_000 else ""
            result.figures.append(
                core.Figure(
                    f"claim side + archive side ({claims:,} claims, {n:,} fact-checks)",
                    "ms",
                    both,
                    target=target,
                )
            )
    result.notes.append(
        f"{len(probes)} new claims per size, half restating archive claims; "
        f"{settings.FACT_CHECK_CANDIDATES} full-text candidates re-ranked per claim; "
        f"statistics: {statistics.mean(len(p) for p in probes):.0f} characters a claim."
    )
    return [result]
