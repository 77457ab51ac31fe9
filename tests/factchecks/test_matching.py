"""Matching proposed claims against the archive: the task, failures, re-match, claim page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factchecks import matching
from factchecks.models import ArticleArchiveMatching, FactCheck, FactCheckHit
from factchecks.search import forget_statistics, rank_archive
from factchecks.services import fact_checks_import
from factchecks.tasks import match_article_fact_checks, rematch_recent_claims
from tests.factchecks import archive_samples as samples
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

FLOOD = "The council spent 4 million dollars on the new flood wall in 2023, the mayor said."
COLD = "Hot water cures a cold in a day, a post claims."
UNRELATED = "The orchestra will tour six cities in the spring."


@pytest.fixture(autouse=True)
def _fresh_index():
    forget_statistics()
    yield
    forget_statistics()


@pytest.fixture
def archive(db):
    return fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")


def _claims(*texts):
    body = " ".join(texts)
    article = ArticleFactory(body=body)
    out, start = [], 0
    for text in texts:
        out.append(ClaimFactory(article=article, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    return article, out


def test_the_task_stores_the_archive_hits_above_the_threshold(archive):
    article, (flood, cold, other) = _claims(FLOOD, COLD, UNRELATED)
    match_article_fact_checks.delay(article.pk)
    hits = {c.pk: list(FactCheckHit.objects.filter(claim=c)) for c in (flood, cold, other)}
    assert [h.fact_check.external_id for h in hits[flood.pk]] == ["fc-1"]
    assert [h.fact_check.external_id for h in hits[cold.pk]] == ["fc-3"]
    assert hits[other.pk] == []
    assert all(h.score >= 0.5 for h in hits[flood.pk] + hits[cold.pk])
    state = ArticleArchiveMatching.objects.get(article=article)
    assert (state.state, state.attempts, state.error) == ("done", 1, "")


def test_running_twice_replaces_the_hits_instead_of_adding(archive):
    article, (flood,) = _claims(FLOOD)
    match_article_fact_checks.delay(article.pk)
    match_article_fact_checks.delay(article.pk)
    assert FactCheckHit.objects.filter(claim=flood).count() == 1
    assert ArticleArchiveMatching.objects.get(article=article).attempts == 2


def test_a_threshold_above_every_score_stores_nothing(archive, settings):
    settings.FACT_CHECK_MIN_SCORE = 1.01
    article, _ = _claims(FLOOD)
    match_article_fact_checks.delay(article.pk)
    assert not FactCheckHit.objects.exists()


def test_an_empty_archive_gives_no_hits_and_no_error(db):
    article, _ = _claims(FLOOD)
    match_article_fact_checks.delay(article.pk)
    assert not FactCheckHit.objects.exists()
    assert ArticleArchiveMatching.objects.get(article=article).state == "done"


def test_a_claim_that_fails_is_recorded_and_the_others_still_match(archive, monkeypatch):
    article, (flood, cold) = _claims(FLOOD, COLD)
    real = matching.rank_archive

    def failing_for_the_flood_claim(text, **kwargs):
        if text == FLOOD:
            raise ValueError("ranker exploded")
        return real(text, **kwargs)

    monkeypatch.setattr(matching, "rank_archive", failing_for_the_flood_claim)
    match_article_fact_checks.delay(article.pk)
    assert FactCheckHit.objects.filter(claim=cold).exists()
    state = ArticleArchiveMatching.objects.get(article=article)
    assert state.state == "failed"
    assert state.failed_claims == [flood.pk]
    assert f"claim {flood.pk}: ValueError: ranker exploded" in state.error


def test_claims_proposed_queues_the_archive_lookup(archive, django_capture_on_commit_callbacks):
    from claims.models import Claim
    from claims.signals import claims_proposed

    article, (flood,) = _claims(FLOOD)
    with django_capture_on_commit_callbacks(execute=True):
        claims_proposed.send(sender=Claim, article_id=article.pk, over_cap=0)
    assert FactCheckHit.objects.filter(claim=flood).count() == 1


def test_an_import_rematches_recent_proposed_claims(db, django_capture_on_commit_callbacks):
    article, (flood,) = _claims(FLOOD)
    match_article_fact_checks.delay(article.pk)
    assert not FactCheckHit.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")
    assert FactCheckHit.objects.get(claim=flood).fact_check.external_id == "fc-1"


def test_the_rematch_is_bounded_to_recent_proposed_claims(archive, settings):
    settings.FACT_CHECK_REMATCH_LIMIT = 1
    old_article, _ = _claims(COLD)
    new_article, _ = _claims(FLOOD)
    assert matching.articles_to_rematch() == [new_article.pk]
    assert rematch_recent_claims.delay().get() == 1
    assert not ArticleArchiveMatching.objects.filter(article=old_article).exists()


def test_the_in_memory_index_follows_archive_changes(archive):
    (first, _), *_ = rank_archive(FLOOD, top=1, min_score=0)
    assert FactCheck.objects.get(pk=first).external_id == "fc-1"
    FactCheck.objects.filter(pk=first).delete()
    ranked = rank_archive(FLOOD, top=5, min_score=0)
    assert first not in [pk for pk, _ in ranked]


def test_the_claim_page_shows_who_checked_it_when_and_the_rating(archive, reviewer_client):
    article, (flood,) = _claims(FLOOD)
    match_article_fact_checks.delay(article.pk)
    page = reviewer_client.get(reverse("claims:claim", args=[flood.pk])).content.decode()
    assert "Already checked elsewhere" in page
    assert (
        'Checked by Harbour Checks on <time datetime="2024-02-03">3 Feb 2024</time>: False' in page
    )
    assert 'href="https://checker.example/flood-wall"' in page


def test_the_claim_page_escapes_hostile_archive_text(reviewer_client):
    hostile = {
        "id": "h1",
        "claim": "<script>alert(1)</script> The council spent 4 million dollars on the flood wall",
        "title": "<img src=x onerror=alert(2)>",
        "rating": "<b>False</b>",
        "url": "https://checker.example/x?a=<script>",
        "author": "<i>Desk</i>",
        "date": "2024-01-01",
    }
    fact_checks_import(data=samples.jsonl([hostile]), source="h.jsonl", via="cli")
    _, (flood,) = _claims(FLOOD)
    FactCheckHit.objects.create(claim=flood, fact_check=FactCheck.objects.get(), score=0.9)
    page = reviewer_client.get(reverse("claims:claim", args=[flood.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "Checked by &lt;i&gt;Desk&lt;/i&gt;" in page


def test_the_claim_page_says_when_the_archive_lookup_failed(reviewer_client):
    article, (flood,) = _claims(FLOOD)
    matching.archive_matching_mark_failed(article_id=article.pk, error="OperationalError: gone")
    page = reviewer_client.get(reverse("claims:claim", args=[flood.pk])).content.decode()
    assert "The fact-check archive lookup failed for this article" in page
    assert "OperationalError: gone" in page


def test_the_claim_page_has_no_section_without_hits(reviewer_client):
    _, (flood,) = _claims(FLOOD)
    page = reviewer_client.get(reverse("claims:claim", args=[flood.pk])).content.decode()
    assert "Already checked elsewhere" not in page
