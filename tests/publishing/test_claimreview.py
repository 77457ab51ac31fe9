"""The ClaimReview JSON-LD of a public fact-check, parsed from the rendered page."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from claims.services import claim_set_status
from integrations.services import api_token_create
from publishing.services import publication_publish
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in JSON_LD.findall(html)]


def test_the_page_carries_one_valid_claimreview_whose_url_is_the_page(client, published_claim):
    response = client.get(f"/fact-checks/{published_claim.pk}/", HTTP_HOST="127.0.0.1")

    (data,) = json_ld(response.content.decode())
    page_url = f"https://facts.example.org/fact-checks/{published_claim.pk}/"
    # Required by schema.org's ClaimReview guidelines.
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == page_url  # SITE_URL's page, not the host the request came on
    assert data["claimReviewed"] == published_claim.text
    rating = data["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == "Accurate"
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (3, 1, 3)
    assert rating["ratingExplanation"].startswith("The council's budget papers")
    # Recommended.
    assert data["author"] == {
        "@type": "Organization",
        "name": "Harbour Fact Desk",
        "url": "https://factdesk.example/",
    }
    assert date.fromisoformat(data["datePublished"])
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Dana Whitfield"}
    assert item["datePublished"] == "2025-03-04"
    appearance = item["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance["url"] == published_claim.article.url
    assert appearance["headline"] == published_claim.article.title
    # The headline is the claim, whole, not a truncated title.
    assert data["headline"] == f"Fact check: {published_claim.text}"
    # The canonical link agrees with the url.
    assert f'<link rel="canonical" href="{page_url}">' in response.content.decode()


def test_the_api_export_and_the_page_give_the_same_record(client, published_claim):
    page = json_ld(client.get(f"/fact-checks/{published_claim.pk}/").content.decode())[0]
    key = api_token_create(name="cms", scope="read").key

    api = client.get(
        f"/api/v1/claims/{published_claim.pk}/claimreview/",
        HTTP_HOST="localhost",
        HTTP_AUTHORIZATION=f"Token {key}",
    ).json()

    assert api == page


def test_hostile_text_survives_the_json_ld_round_trip_intact(client, reviewer):
    text = "He said </script><script>alert(1)</script> & <!-- cost $1."
    article = ArticleFactory(body=f"{text}\n\nMore text follows here.")
    claim = ClaimFactory(article=article, end=len(text))
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    publication_publish(claim_id=claim.pk, user=reviewer, rationale="</script> fine & good")

    html = client.get(f"/fact-checks/{claim.pk}/").content.decode()

    (data,) = json_ld(html)
    assert data["claimReviewed"] == text
    assert data["reviewRating"]["ratingExplanation"] == "</script> fine & good"
    assert "<!--" not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


def test_a_reopened_published_claim_has_no_claimreview_until_it_has_a_verdict(
    client, published_claim, reviewer
):
    claim_set_status(claim_id=published_claim.pk, to_status="proposed", user=reviewer)

    html = client.get(f"/fact-checks/{published_claim.pk}/").content.decode()

    assert json_ld(html) == []
    assert "Under review again" in html
