"""oEmbed for the public pages: a rich iframe of the article's embed snippet."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

SITE = "https://facts.example.org"


def test_oembed_of_an_article_page_gives_the_embed_iframe(client, published_claim):
    article_id = published_claim.article_id

    response = client.get(
        "/oembed", {"url": f"{SITE}/fact-checks/articles/{article_id}/", "format": "json"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_name"] == "Harbour Fact Desk"
    assert f'src="{SITE}/fact-checks/articles/{article_id}/embed/"' in body["html"]
    assert (body["width"], body["height"]) == (600, 400)
    assert "public" in response["Cache-Control"]


def test_oembed_of_a_claim_page_embeds_its_article_and_honours_maxwidth(client, published_claim):
    response = client.get(
        "/oembed", {"url": f"{SITE}/fact-checks/{published_claim.pk}/", "maxwidth": "320"}
    )

    body = response.json()
    assert body["width"] == 320
    assert f"/fact-checks/articles/{published_claim.article_id}/embed/" in body["html"]


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({}, 400, "Give the page to embed as ?url=."),
        (
            {"url": "https://evil.example/fact-checks/1/"},
            404,
            f"Only pages of {SITE} can be embedded.",
        ),
        ({"url": f"{SITE}/admin/"}, 404, "Not a public fact-check page."),
        ({"url": f"{SITE}/fact-checks/999999/"}, 404, "No published fact-check at that address."),
        ({"url": f"{SITE}/fact-checks/1/", "format": "xml"}, 501, "Only format=json is supported."),
        (
            {"url": f"{SITE}/fact-checks/1/", "maxwidth": "<script>"},
            400,
            "maxwidth must be a positive whole number of pixels, got '<script>'.",
        ),
    ],
)
def test_oembed_refuses_what_it_cannot_embed_with_a_reason(client, params, status, error):
    response = client.get("/oembed", params)

    assert response.status_code == status
    assert response.json() == {"error": error}


def test_oembed_of_an_unpublished_verdict_is_404(client, verified_claim):
    response = client.get("/oembed", {"url": f"{SITE}/fact-checks/{verified_claim.pk}/"})

    assert response.status_code == 404
