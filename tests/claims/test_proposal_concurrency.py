"""Two proposal runs of one article at the same moment, on a real database."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from articles.proposal_queue import article_mark_queued
from claims.models import Claim
from claims.proposal import article_propose_claims
from tests.factories import ArticleFactory
from tests.worker.pipelines import digits

BODY = (
    "Ferry fares rose 12 percent in March.\n\n"
    "The operator carried 3 million passengers last year.\n\n"
    "Commuters were unhappy.\n\n"
    "A new terminal opens in 2027."
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_on_one_article_yield_one_set_of_claims(settings):
    # Both runs sleep in the pipeline, so both are past "mark running" before either writes.
    settings.CLAIM_PIPELINE = "tests.worker.pipelines.slow"
    settings.CLAIM_SCORER = "rules"
    article = ArticleFactory(body=BODY, proposal_state="pending")
    article_mark_queued(article_id=article.pk)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run():
        barrier.wait()
        try:
            outcomes.append(article_propose_claims(article_id=article.pk).proposal_state)
        except Exception as exc:  # the assertion below shows it
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTCHECK_TEST_SLEEP", "0.5")
        mp.setattr("tests.worker.pipelines._real", digits)
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

    assert outcomes == ["done", "done"]
    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_attempts) == ("done", 2)
    expected = sorted((c.start, c.end) for c in digits(BODY).claims)
    assert len(expected) == 3
    assert sorted(Claim.objects.filter(article=article).values_list("start", "end")) == expected
    assert article.proposed_claim_count == 3
