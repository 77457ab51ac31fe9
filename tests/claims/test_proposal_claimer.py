"""The proposal task credits own-voice claims to the byline agency, else the outlet (#17)."""

from __future__ import annotations

import pytest

from articles.proposal_queue import article_mark_queued
from claims.models import Claim
from claims.proposal import article_propose_claims
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Floods forced 3,400 people from their homes in northern Moldova on Sunday.\n\n"
    "Interior Minister Dorin Rusu said 14 villages had lost power."
)


@pytest.fixture(autouse=True)
def real_pipeline(settings):
    settings.CLAIM_PIPELINE = "extraction.pipeline.propose"
    settings.CLAIM_SCORER = "rules"
    settings.CLAIM_PROPOSAL_THRESHOLD = 0.0


@pytest.mark.parametrize(
    ("author", "expected"),
    [("Ana Popa, with AFP", "AFP"), ("Ana Popa", "Harbour Herald")],
)
def test_own_voice_claims_are_the_agency_s_else_the_outlet_s(author, expected):
    article = ArticleFactory(body=BODY, source="Harbour Herald", author=author, language="en")
    article_mark_queued(article_id=article.pk)

    article_propose_claims(article_id=article.pk)

    claimers = dict(Claim.objects.filter(article=article).values_list("text", "claimer"))
    assert claimers == {
        "Floods forced 3,400 people from their homes in northern Moldova on Sunday.": expected,
        "Interior Minister Dorin Rusu said 14 villages had lost power.": "Dorin Rusu",
    }
