"""Articles API: list with filters, detail with claims summary, import, re-run proposal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_list_is_newest_import_first_without_bodies(read_token_client):
    older = ArticleFactory(imported_at=timezone.now() - timedelta(days=1))
    newer = ArticleFactory()

    response = read_token_client.get("/api/v1/articles/")

    assert response.status_code == 200
    assert _ids(response) == [newer.pk, older.pk]
    assert "body" not in response.json()["results"][0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=Valley+Times", ["valley"]),
        ("proposal_state=failed", ["failed"]),
        ("proposal_state=failed&proposal_state=pending", ["failed", "pending"]),
        ("published_after=2025-03-01T00:00:00Z", ["valley", "pending"]),
        ("published_before=2025-03-01T00:00:00Z", ["failed"]),
        ("search=flood+pumps", ["pending"]),
        ("search=whitfield", ["valley"]),
    ],
)
def test_list_filters(read_token_client, query, expected):
    made = {
        "valley": ArticleFactory(
            source="Valley Times",
            author="Dana Whitfield",
            published_at=datetime(2025, 3, 5, tzinfo=UTC),
        ),
        "failed": ArticleFactory(
            proposal_state="failed", published_at=datetime(2025, 2, 1, tzinfo=UTC)
        ),
        "pending": ArticleFactory(
            title="Flood pumps ordered",
            proposal_state="pending",
            published_at=datetime(2025, 3, 9, tzinfo=UTC),
        ),
    }

    response = read_token_client.get(f"/api/v1/articles/?{query}")

    assert response.status_code == 200
    assert set(_ids(response)) == {made[name].pk for name in expected}


def test_list_filters_by_import_date(read_token_client):
    old = ArticleFactory(imported_at=datetime(2024, 1, 1, tzinfo=UTC))
    new = ArticleFactory()

    after = read_token_client.get("/api/v1/articles/?imported_after=2025-01-01T00:00:00Z")
    before = read_token_client.get("/api/v1/articles/?imported_before=2025-01-01T00:00:00Z")

    assert (_ids(after), _ids(before)) == ([new.pk], [old.pk])


def test_detail_has_the_body_and_a_claims_summary_by_status(read_token_client):
    article = ArticleFactory()
    paragraphs = article.body.split("\n\n")
    starts = [article.body.index(p) for p in paragraphs]
    claims = [
        ClaimFactory(article=article, start=s, end=s + len(p))
        for s, p in zip(starts, paragraphs, strict=True)
    ]
    claim_set_status(claim_id=claims[0].pk, to_status="verified", user=None)
    claim_set_status(claim_id=claims[1].pk, to_status="disputed", user=None, note="no")
    claim_set_status(claim_id=claims[2].pk, to_status="verified", user=None)

    response = read_token_client.get(f"/api/v1/articles/{article.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["body"] == article.body
    assert body["claims_summary"] == {
        "total": len(claims),
        "proposed": len(claims) - 3,
        "verified": 2,
        "disputed": 1,
        "unconfirmed": 0,
        "dismissed": 0,
    }
    assert body["links"]["claims"] == f"http://testserver/api/v1/claims/?article={article.pk}"


ITEM = {
    "title": "Council orders flood pumps",
    "body": "The council ordered 12 pumps on Monday.\n\nThey cost $3 million, the mayor said.",
    "url": "https://valley.example/pumps",
    "source": "Valley Times",
    "author": "Sam Reporter",
    "published_at": "2025-03-04T10:00:00Z",
    "language": "en",
}


def test_import_one_article_creates_it_attributed_to_the_editor(editor_api_client, editor):
    response = editor_api_client.post("/api/v1/articles/", ITEM, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "created"
    article = Article.objects.get(pk=body["id"])
    assert (article.title, article.source, article.imported_by) == (
        ITEM["title"],
        "Valley Times",
        editor,
    )
    assert article.published_at == datetime(2025, 3, 4, 10, tzinfo=UTC)


def test_import_the_same_article_again_reports_the_duplicate(import_token_client):
    first = import_token_client.post("/api/v1/articles/", ITEM, format="json").json()

    again = import_token_client.post("/api/v1/articles/", ITEM, format="json")

    assert again.status_code == 200
    assert (again.json()["status"], again.json()["id"]) == ("duplicate", first["id"])
    assert Article.objects.count() == 1


def test_import_one_invalid_article_is_a_400_with_field_errors(import_token_client):
    response = import_token_client.post(
        "/api/v1/articles/", {"title": "Empty", "body": "   "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"body": ["This field is required."]}
    assert not Article.objects.exists()


def test_bulk_import_reports_each_item_and_keeps_the_good_ones(import_token_client):
    existing = ArticleFactory(url="https://valley.example/old")
    items = [
        ITEM,
        {"title": "Old", "body": "Anything at all.", "url": "https://valley.example/old"},
        {"title": "Bad date", "body": "Text here.", "published_at": "yesterday"},
        {**ITEM, "url": "https://valley.example/other", "body": "A different story entirely."},
    ]

    response = import_token_client.post("/api/v1/articles/", items, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"], body["errors"]) == (2, 1, 1)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [(0, "created"), (1, "duplicate"), (2, "error"), (3, "created")]
    assert body["results"][1]["id"] == existing.pk
    assert list(body["results"][2]["errors"]) == ["published_at"]
    assert Article.objects.count() == 3


def test_bulk_import_over_the_limit_is_refused_whole(import_token_client, settings):
    settings.IMPORT_BULK_LIMIT = 2
    items = [
        {**ITEM, "url": f"https://valley.example/{i}", "body": f"Story {i}."} for i in range(3)
    ]

    response = import_token_client.post("/api/v1/articles/", items, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["At most 2 articles per request (3 sent)."]
    }
    assert not Article.objects.exists()


@pytest.mark.parametrize("payload", [[], "text", 5])
def test_import_of_something_else_than_objects_is_a_400(import_token_client, payload):
    response = import_token_client.post("/api/v1/articles/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["Send one article object or a non-empty list of them."]
    }


def test_propose_queues_the_article_again(editor_api_client):
    article = ArticleFactory(proposal_state="failed", proposal_error="boom")

    response = editor_api_client.post(f"/api/v1/articles/{article.pk}/propose/")

    assert response.status_code == 202
    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_error) == ("pending", "")
    assert response.json()["proposal_state"] == "pending"
    assert article.proposal_queued_at is not None
