"""The archive's PostgreSQL full-text path: the generated tsvector, candidates, the re-rank."""

from __future__ import annotations

import pytest
from django.db import connection

from factchecks.models import FactCheck
from factchecks.search import forget_statistics, full_text_candidates, rank_archive, uses_full_text
from factchecks.services import fact_checks_import
from tests.factchecks import archive_samples as samples

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def full_text(settings):
    settings.FACT_CHECK_FULL_TEXT_ABOVE = 0
    forget_statistics()
    fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")
    yield
    forget_statistics()


def test_the_search_column_is_generated_and_gin_indexed(full_text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search::text FROM factchecks_factcheck WHERE external_id = 'fc-2'")
        assert "'unemploy'" in cursor.fetchone()[0]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'fact_check_search'")
        assert "USING gin (search)" in cursor.fetchone()[0]


def test_an_update_refreshes_the_search_column(full_text):
    FactCheck.objects.filter(external_id="fc-2").update(claim="Zebras grazed quietly.", title="")
    ids = [int(r.id) for r in full_text_candidates("grazing zebra", limit=5)]
    assert ids == [FactCheck.objects.get(external_id="fc-2").pk]


def test_full_text_candidates_come_ranked_and_hostile_text_is_only_text(full_text):
    assert uses_full_text()
    found = full_text_candidates("flood wall cost 4 million dollars", limit=3)
    assert FactCheck.objects.get(pk=int(found[0].id)).external_id == "fc-1"
    for hostile in ("'); DROP TABLE factchecks_factcheck; --", "a & | ! :* <->", "\\'\"", ""):
        full_text_candidates(hostile, limit=3)
    assert FactCheck.objects.count() == 4


def test_rank_archive_reranks_the_full_text_candidates(full_text):
    # The full-text query finds fc-3 alone; a candidate set of one scores lower than the
    # same fact-check among the whole archive (0.38 against 0.54): the features are relative.
    hits = rank_archive("Hot water cures a cold in a day, a post claims.", top=3, min_score=0.1)
    assert [FactCheck.objects.get(pk=pk).external_id for pk, _ in hits] == ["fc-3"]
    assert rank_archive("The orchestra will tour six cities.", top=3, min_score=0.0) == []


def test_common_lexemes_are_left_out_of_the_query(full_text, settings):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factchecks_factcheck")
    settings.FACT_CHECK_COMMON_LEXEME = 0.3  # "checks"/"flood"... on a 4-row archive
    forget_statistics()
    # "percent" is on one row of four (0.25): kept; a query of common words only still runs.
    found = full_text_candidates("unemployment percent", limit=5)
    assert [FactCheck.objects.get(pk=int(r.id)).external_id for r in found] == ["fc-2"]


def test_a_small_archive_is_ranked_in_memory(settings):
    settings.FACT_CHECK_FULL_TEXT_ABOVE = 10
    forget_statistics()
    fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")
    assert not uses_full_text()
