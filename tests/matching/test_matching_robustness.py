"""Matching is robust by construction: chunks commit their progress, one bad claim skips only
itself, and the article says how matching went (matching.services, matching.state)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim
from matching import index, services
from matching.models import ArticleMatching, ClaimMatch
from matching.services import article_match_claims
from matching.state import article_matching_status, articles_to_match
from tests.matching.test_services import COURIER, HERALD, make_article, match_between

pytestmark = pytest.mark.django_db

# Issue #18: this sentence raised a TypeError in _quantities and cost its article every match.
CRASH = "He served as mayor from 2010-2014, then resigned after 2,400 residents were evacuated."


@pytest.fixture(autouse=True)
def _fresh_key_counts():
    index._df_cache.clear()


@pytest.fixture
def herald():
    article, claims = make_article(HERALD, title="Tesk floods Marrowby")
    article_match_claims(article_id=article.pk)
    return claims


def _raise_for(text_part: str, real):
    def compare(a, b, **kwargs):
        if text_part in a.text or text_part in b.text:  # compared in claim-id order
            raise TypeError("unsupported operand type(s) for *: 'NoneType' and 'float'")
        return real(a, b, **kwargs)

    return compare


def test_the_crash_sentence_is_matched_with_the_rest_of_its_article(herald):
    courier, claims = make_article([CRASH, *COURIER], title="Marrowby under water")

    summary = article_match_claims(article_id=courier.pk)

    assert summary.failed == 0
    assert not Claim.objects.filter(article=courier, matched_at__isnull=True).exists()
    assert match_between(herald[1], claims[2]).relation == "same"
    assert article_matching_status(article_id=courier.pk)["state"] == "done"


def test_a_failing_claim_does_not_stop_the_others(herald, monkeypatch, caplog):
    monkeypatch.setattr(services, "compare", _raise_for("3,100", services.compare))
    courier, (evacuated, quote, _rowing) = make_article(COURIER, title="Marrowby under water")

    with caplog.at_level(logging.ERROR, logger="matching.services"):
        summary = article_match_claims(article_id=courier.pk)

    assert (summary.claims, summary.failed, summary.same) == (3, 1, 1)
    assert match_between(herald[1], quote).relation == "same"  # the others were matched
    evacuated.refresh_from_db()
    quote.refresh_from_db()
    assert evacuated.matched_at is None  # left for the sweep to retry
    assert quote.matched_at is not None
    row = ArticleMatching.objects.get(article=courier)
    assert (row.state, row.failed_claims, row.attempts) == ("failed", [evacuated.pk], 1)
    assert row.error == (
        "1 claim could not be matched:\n"
        f"claim {evacuated.pk}: TypeError: unsupported operand type(s) for *: "
        "'NoneType' and 'float'"
    )
    assert f"matching claim {evacuated.pk} failed" in caplog.text


def test_the_sweep_retries_a_failed_article_until_its_attempts_run_out(
    herald, monkeypatch, settings
):
    settings.CLAIM_MATCH_MAX_ATTEMPTS = 2
    monkeypatch.setattr(services, "compare", _raise_for("3,100", services.compare))
    courier, (evacuated, *_) = make_article(COURIER, title="Marrowby under water")
    article_match_claims(article_id=courier.pk)
    assert articles_to_match(older_than_seconds=-60) == [courier.pk]

    article_match_claims(article_id=courier.pk, only_unmatched=True)  # the sweep's retry
    row = ArticleMatching.objects.get(article=courier)
    assert (row.state, row.attempts) == ("failed", 2)
    assert articles_to_match(older_than_seconds=-60) == []  # given up: no retry every minute

    monkeypatch.undo()  # the bug is fixed; an editor retries from the admin
    ArticleMatching.objects.filter(article=courier).update(attempts=0)
    assert articles_to_match(older_than_seconds=-60) == [courier.pk]
    article_match_claims(article_id=courier.pk, only_unmatched=True)
    evacuated.refresh_from_db()
    assert evacuated.matched_at is not None
    assert match_between(herald[0], evacuated).relation == "conflict"
    row.refresh_from_db()
    assert (row.state, row.error, row.failed_claims) == ("done", "", [])


def test_a_claim_is_marked_matched_only_with_its_committed_comparisons(
    herald, monkeypatch, settings
):
    settings.CLAIM_MATCH_CHUNK_SIZE = 1
    courier, (evacuated, quote, _rowing) = make_article(COURIER, title="Marrowby under water")
    real = services._write_matches
    calls = []

    def write_then_die(rows, *, chunk_ids):
        calls.append(chunk_ids)
        if len(calls) == 2:
            raise ConnectionError("worker lost")  # a chunk that never commits
        return real(rows, chunk_ids=chunk_ids)

    monkeypatch.setattr(services, "_write_matches", write_then_die)
    with pytest.raises(ConnectionError):
        article_match_claims(article_id=courier.pk)

    matched = set(
        Claim.objects.filter(article=courier, matched_at__isnull=False).values_list("pk", flat=True)
    )
    assert matched == {evacuated.pk}  # the first chunk committed; the second left unmatched
    assert match_between(herald[0], evacuated).relation == "conflict"
    assert not ClaimMatch.objects.filter(other=quote).exists()

    monkeypatch.setattr(services, "_write_matches", real)
    article_match_claims(article_id=courier.pk, only_unmatched=True)
    assert match_between(herald[1], quote).relation == "same"
    assert not Claim.objects.filter(article=courier, matched_at__isnull=True).exists()


def test_a_run_out_of_time_returns_where_its_continuation_starts(herald, settings):
    settings.CLAIM_MATCH_CHUNK_SIZE = 2
    courier, claims = make_article(COURIER, title="Marrowby under water")

    first = article_match_claims(article_id=courier.pk, deadline=time.monotonic() - 1)

    assert (first.claims, first.next_after) == (2, claims[1].pk)
    assert [c.matched_at is not None for c in Claim.objects.filter(article=courier)] == [
        True,
        True,
        False,
    ]
    assert ArticleMatching.objects.get(article=courier).state == "running"
    # Not the sweep's while it makes progress: its continuation is on its way.
    Claim.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert articles_to_match(older_than_seconds=600) == []
    ArticleMatching.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    assert articles_to_match(older_than_seconds=600) == [courier.pk]  # its worker was lost

    rest = article_match_claims(article_id=courier.pk, after=first.next_after)
    assert (rest.claims, rest.next_after) == (1, None)
    row = ArticleMatching.objects.get(article=courier)
    assert (row.state, row.attempts) == ("done", 1)  # one pass in two runs


def test_dismissed_claims_alone_do_not_requeue_their_article(herald):
    courier, (evacuated, *_) = make_article(COURIER, title="Marrowby under water")
    article_match_claims(article_id=courier.pk)
    Claim.objects.filter(pk=evacuated.pk).update(status="dismissed", matched_at=None)

    assert articles_to_match(older_than_seconds=-60) == []
