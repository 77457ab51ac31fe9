"""The archive in the database ranks the dev queries as well as ``retrieve_fact_checks``.

Needs ../shared (the CheckThat! 2020 archive and dev queries); skips without it. The archive
is imported through the import service; the in-memory path (SQLite, and PostgreSQL below
FACT_CHECK_FULL_TEXT_ABOVE entries) must equal the offline ranker, and the full-text path
(PostgreSQL above it) must keep its measured figure.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from extraction.retrieval import ArchiveIndex, default_ranker, read_archive
from extraction.retrieval.evaluate import map_at_5, read_queries
from factchecks.models import FactCheck
from factchecks.search import forget_statistics, rank_archive
from factchecks.services import fact_checks_import

pytestmark = [pytest.mark.shared, pytest.mark.django_db]

# Dev MAP@5 of full-text candidates (30) re-ranked, measured on PostgreSQL 16 (the in-memory
# path reaches the offline 0.818): the full-text first stage misses 8% of relevant fact-checks.
MEASURED_FULL_TEXT_DEV_MAP5 = 0.764
MARGIN = 0.02


@pytest.fixture(scope="module")
def dev():
    root = django_settings.SHARED_DIR / "data" / "claim-retrieval"
    if not root.exists():
        pytest.skip(f"{root} not found (../shared beside the repo)")
    archive = read_archive(root / "verified_claims.jsonl")
    queries = read_queries(root / "dev_queries.jsonl")
    offline = default_ranker(ArchiveIndex.build(archive.records))
    ranked = [[h.id for h in offline.rank(q["text"], top=5)] for q in queries]
    return root, queries, map_at_5(ranked, [set(q["relevant"]) for q in queries])


def _app_map5(root, queries) -> float:
    record = fact_checks_import(
        data=(root / "verified_claims.jsonl").read_bytes(), source="verified.jsonl", via="cli"
    )
    assert (record.created, record.rejected) == (10_375, 0)
    external = dict(FactCheck.objects.values_list("pk", "external_id"))
    ranked = [
        [external[pk] for pk, _ in rank_archive(q["text"], top=5, min_score=0.0)] for q in queries
    ]
    return map_at_5(ranked, [set(q["relevant"]) for q in queries])


@pytest.fixture
def all_hits(settings):
    # MAP@5 scores the ranking: every hit counts, whatever its score or shared words.
    settings.FACT_CHECK_MIN_SHARED_WORDS = 0
    forget_statistics()
    yield
    forget_statistics()


def test_the_archive_in_the_database_ranks_as_the_offline_command(dev, all_hits):
    root, queries, offline_map5 = dev
    assert offline_map5 >= 0.80
    assert _app_map5(root, queries) >= offline_map5 - 1e-6


@pytest.mark.postgres
def test_full_text_candidates_keep_their_measured_quality(dev, all_hits, settings):
    settings.FACT_CHECK_FULL_TEXT_ABOVE = 0
    root, queries, _ = dev
    assert _app_map5(root, queries) >= MEASURED_FULL_TEXT_DEV_MAP5 - MARGIN
