"""CSV export of the claims list: same filters, streamed in chunks."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest

from articles.models import Article, content_hash
from claims.models import Claim
from claims.services import claim_set_status
from tests.api.test_claims import _claims
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/api/v1/claims/?format=csv"},
        {"path": "/api/v1/claims/", "HTTP_ACCEPT": "text/csv"},
    ],
    ids=["format param", "accept header"],
)
def test_csv_is_streamed_with_the_list_filters(read_token_client, request_kwargs):
    claims = _claims(5)
    claim_set_status(claim_id=claims[2].pk, to_status="verified", user=None)
    path = request_kwargs.pop("path")
    sep = "&" if "?" in path else "?"

    response = read_token_client.get(f"{path}{sep}status=proposed", **request_kwargs)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = _rows(response)
    assert sorted(int(r["id"]) for r in rows) == sorted(
        c.pk for c in claims if c.pk != claims[2].pk
    )
    first = next(r for r in rows if int(r["id"]) == claims[0].pk)
    assert first["text"] == claims[0].text
    assert (first["status"], first["version"], first["article_url"]) == (
        "proposed",
        "1",
        claims[0].article.url,
    )


def test_csv_neutralises_spreadsheet_formulas(read_token_client):
    article = ArticleFactory(body="=HYPERLINK(1) says the mayor.\n\nSecond.")
    ClaimFactory(article=article, start=0, end=29, claimer="@mayor")

    (row,) = _rows(read_token_client.get("/api/v1/claims/?format=csv"))

    assert (row["text"], row["claimer"]) == ("'=HYPERLINK(1) says the mayor.", "'@mayor")


def test_csv_of_100000_claims_streams_without_loading_them_into_memory(read_token_client, settings):
    settings.API_CSV_CHUNK_SIZE = 2000
    body = "x" * 60
    article = Article.objects.create(title="Bulk", body=body, content_hash=content_hash(body))
    n = 100_000
    Claim.objects.bulk_create(
        (Claim(article=article, text=body[:1], start=i, end=i + 1, score=0.5) for i in range(n)),
        batch_size=5000,
    )

    tracemalloc.start()
    response = read_token_client.get("/api/v1/claims/?format=csv")
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert lines == n + 1
    # 100,000 rows held at once would take well over 50 MB as Python objects; a chunked stream
    # keeps a couple of thousand.
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
