"""Request bodies up to what the import limits promise are read; larger ones are a 413."""

from __future__ import annotations

from django.test import override_settings

from articles.models import Article
from tests.factories import ClaimFactory

PARAGRAPH = "The council approved a budget of 48 million dollars for flood defences on Tuesday. "


def _articles(n: int, repeat: int) -> list[dict]:
    return [
        {"title": f"Article {i}", "body": f"Story {i}. " + PARAGRAPH * repeat} for i in range(n)
    ]


def test_a_bulk_import_over_django_default_body_limit_is_imported(import_token_client):
    # 450 ordinary articles of ~5.9 KB: 2.7 MB, past Django's default 2.5 MB.
    items = _articles(450, repeat=70)

    response = import_token_client.post("/api/v1/articles/", items, format="json")

    assert response.status_code == 200
    assert response.json()["created"] == 450
    assert Article.objects.count() == 450


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4096, IMPORT_BULK_LIMIT=500)
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(import_token_client):
    response = import_token_client.post("/api/v1/articles/", _articles(3, 20), format="json")

    assert response.status_code == 413
    body = response.json()
    assert body == {
        "status": 413,
        "code": "too_large",
        "message": body["message"],
        "max_bytes": 4096,
    }
    assert "limit of 0.00391 MB" in body["message"]
    assert "at most 500 articles per request, each up to 5 MB" in body["message"]
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_review_body_over_the_limit_is_a_413(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "verified", "note": "x" * 2000},
        format="json",
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    claim.refresh_from_db()
    assert claim.status == "proposed"
