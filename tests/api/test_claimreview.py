"""ClaimReview JSON-LD export of reviewed claims."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]


@pytest.mark.parametrize(
    ("status", "note", "rating", "verdict"),
    [
        ("verified", "", 3, "Verified"),
        ("unconfirmed", "No record found.", 2, "Unconfirmed"),
        ("disputed", "Budget papers say $38 million.", 1, "Disputed"),
    ],
)
def test_claimreview_of_a_reviewed_claim_is_schema_org_json_ld(
    read_token_client, reviewer, settings, status, note, rating, verdict
):
    settings.FACTCHECK_ORGANIZATION_NAME = "Harbour Fact Desk"
    settings.FACTCHECK_ORGANIZATION_URL = "https://factdesk.example/"
    article = ArticleFactory(published_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    claim = ClaimFactory(article=article, claimer="Dana Whitfield")
    claim_set_status(claim_id=claim.pk, to_status=status, user=reviewer, note=note)
    claim.refresh_from_db()

    response = read_token_client.get(f"/api/v1/claims/{claim.pk}/claimreview/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    rating_body = {
        "@type": "Rating",
        "ratingValue": rating,
        "bestRating": 3,
        "worstRating": 1,
        "alternateName": verdict,
    }
    if note:
        rating_body["ratingExplanation"] = note
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"http://testserver/api/v1/claims/{claim.pk}/claimreview/",
        "claimReviewed": claim.text,
        "datePublished": claim.reviewed_at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": "Harbour Fact Desk",
            "url": "https://factdesk.example/",
        },
        "reviewRating": rating_body,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Dana Whitfield"},
            "datePublished": "2025-03-04",
            "appearance": {
                "@type": "CreativeWork",
                "headline": article.title,
                "url": article.url,
                "datePublished": "2025-03-04T10:00:00+00:00",
                "publisher": {"@type": "Organization", "name": "Harbour Herald"},
            },
        },
    }


def test_claimer_named_like_the_outlet_is_an_organization(read_token_client):
    claim = ClaimFactory(claimer="Harbour Herald")
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)

    body = read_token_client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()

    assert body["itemReviewed"]["author"] == {"@type": "Organization", "name": "Harbour Herald"}


@pytest.mark.parametrize("status", ["proposed", "dismissed"])
def test_claimreview_of_a_claim_without_verdict_is_404(read_token_client, status):
    claim = ClaimFactory()
    if status != "proposed":
        claim_set_status(claim_id=claim.pk, to_status=status, user=None)

    response = read_token_client.get(f"/api/v1/claims/{claim.pk}/claimreview/")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": f"Claim {claim.pk} has no verdict yet (it is {status}).",
    }
