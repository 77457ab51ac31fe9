"""The API's ClaimReview export: the public page's record (publishing.claimreview), only for
published verdicts, with the page's url on SITE_URL whatever host the API is asked on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.services import claim_set_status
from publishing.services import publication_publish, publication_withdraw
from tests.factories import ArticleFactory, ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]


@pytest.mark.parametrize(
    ("status", "note", "rating", "verdict"),
    [
        ("verified", "", 3, "Accurate"),
        ("unconfirmed", "No record found.", 2, "Unproven"),
        ("disputed", "Budget papers say $38 million.", 1, "Disputed"),
    ],
)
def test_claimreview_of_a_published_claim_is_the_public_pages_json_ld(
    read_token_client, reviewer, settings, status, note, rating, verdict
):
    settings.SITE_URL = "https://facts.example.org"
    settings.PUBLISHER_NAME = "Harbour Fact Desk"
    settings.PUBLISHER_URL = "https://factdesk.example/"
    article = ArticleFactory(published_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    claim = ClaimFactory(article=article, claimer="Dana Whitfield")
    claim_set_status(claim_id=claim.pk, to_status=status, user=reviewer, note=note)
    publication = publication_publish(
        claim_id=claim.pk, user=reviewer, rationale=note or "The minutes confirm it."
    )

    response = read_token_client.get(f"/api/v1/claims/{claim.pk}/claimreview/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        # The public page, on SITE_URL: never the API endpoint, never the request's host.
        "url": f"https://facts.example.org/fact-checks/{claim.pk}/",
        "headline": f"Fact check: {claim.text}",
        "claimReviewed": claim.text,
        "datePublished": publication.first_published_at.date().isoformat(),
        "dateModified": publication.published_at.isoformat(),
        "author": {
            "@type": "Organization",
            "name": "Harbour Fact Desk",
            "url": "https://factdesk.example/",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": verdict,
            "ratingExplanation": note or "The minutes confirm it.",
        },
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
    publication_publish(claim_id=claim.pk, user=None, rationale="Checked.")

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
        "message": f"Claim {claim.pk} has no published fact-check (it is {status}, not published).",
    }


def test_an_unpublished_or_withdrawn_verdict_has_no_claimreview(read_token_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    url = f"/api/v1/claims/{claim.pk}/claimreview/"

    assert read_token_client.get(url).status_code == 404
    publication_publish(claim_id=claim.pk, user=reviewer, rationale="Checked.")
    assert read_token_client.get(url).status_code == 200
    publication_withdraw(claim_id=claim.pk, user=reviewer)

    response = read_token_client.get(url)
    assert response.status_code == 404
    assert response.json()["message"] == (
        f"Claim {claim.pk} has no published fact-check (it is verified, withdrawn)."
    )
