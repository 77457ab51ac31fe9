"""The archive in the API: POST /api/v1/fact-check-imports/ and the claim detail's fact_checks."""

from __future__ import annotations

import pytest

from factchecks.models import FactCheck, FactCheckHit, FactCheckImport
from factchecks.services import fact_checks_import
from tests.factchecks import archive_samples as samples
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/fact-check-imports/"


def test_an_import_token_sends_a_file(import_token_client):
    content = samples.csv_bytes().decode()
    response = import_token_client.post(
        URL, {"content": content, "name": "archive.csv"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("state", "format", "created", "rejected")} == {
        "state": "done",
        "format": "csv",
        "created": 4,
        "rejected": 0,
    }
    record = FactCheckImport.objects.get(pk=body["id"])
    assert (record.via, record.source) == ("api", "archive.csv")
    assert FactCheck.objects.count() == 4


def test_json_content_with_bad_rows_lists_them_and_keeps_the_good(import_token_client):
    content = samples.jsonl().decode() + '{"id": "z"}\n'
    response = import_token_client.post(URL, {"content": content, "name": "a.jsonl"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["rejected"]) == (4, 1)
    assert body["errors"] == [{"row": 5, "message": 'needs a "claim" or a "title"'}]


def test_reimport_through_the_api_updates(import_token_client):
    for _ in range(2):
        response = import_token_client.post(
            URL, {"content": samples.jsonl().decode(), "format": "jsonl"}, format="json"
        )
    assert response.json()["unchanged"] == 4
    assert FactCheck.objects.count() == 4


def test_an_unreadable_file_is_a_400_naming_the_problem(import_token_client):
    response = import_token_client.post(
        URL, {"content": "name,text\nx,y\n", "name": "x.csv"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_failed"
    assert body["message"].startswith('CSV header must name "id" and "claim"')
    assert body["result"]["state"] == "failed"
    assert FactCheck.objects.count() == 0


def test_an_internal_url_is_refused(import_token_client, settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    response = import_token_client.post(URL, {"url": "http://127.0.0.1:8000/admin/"}, format="json")
    assert response.status_code == 400
    assert "internal addresses is not allowed" in response.json()["message"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"url": "https://x.example/a.csv", "content": "id,claim\n1,a\n"}, {"content": ""}],
)
def test_exactly_one_source_is_required(import_token_client, payload):
    response = import_token_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "Send exactly one of url or content."


def test_a_file_over_the_limit_is_refused(import_token_client, settings):
    settings.FACT_CHECK_IMPORT_MAX_BYTES = 100
    response = import_token_client.post(
        URL, {"content": samples.csv_bytes().decode(), "name": "a.csv"}, format="json"
    )
    assert response.status_code == 400
    assert "over the 100-byte limit" in response.json()["message"]


def test_read_and_review_tokens_cannot_import(read_token_client, review_token_client):
    for client in (read_token_client, review_token_client):
        response = client.post(URL, {"content": "id,claim\n1,a\n"}, format="json")
        assert response.status_code == 403
    assert not FactCheckImport.objects.exists()


def test_editors_list_their_imports(editor_api_client):
    fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")
    response = editor_api_client.get(URL)
    assert response.status_code == 200
    assert [r["source"] for r in response.json()["results"]] == ["a.jsonl"]


def test_claim_detail_lists_its_fact_checks_best_first(read_token_client):
    fact_checks_import(data=samples.jsonl(), source="a.jsonl", via="cli")
    claim = ClaimFactory()
    first, second = (
        FactCheck.objects.get(external_id="fc-1"),
        FactCheck.objects.get(external_id="fc-3"),
    )
    FactCheckHit.objects.create(claim=claim, fact_check=second, score=0.6)
    FactCheckHit.objects.create(claim=claim, fact_check=first, score=0.9)
    body = read_token_client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["fact_checks"][0] == {
        "id": first.pk,
        "external_id": "fc-1",
        "claim": samples.RECORDS[0]["claim"],
        "title": samples.RECORDS[0]["title"],
        "rating": "False",
        "url": "https://checker.example/flood-wall",
        "author": "Harbour Checks",
        "date": "2024-02-03",
        "score": 0.9,
    }
    assert [f["external_id"] for f in body["fact_checks"]] == ["fc-1", "fc-3"]


def test_claim_detail_without_hits_has_an_empty_list(read_token_client):
    claim = ClaimFactory()
    assert read_token_client.get(f"/api/v1/claims/{claim.pk}/").json()["fact_checks"] == []


def test_content_with_a_lone_surrogate_is_a_field_error(import_token_client):
    response = import_token_client.post(
        URL,
        '{"content": "id,claim\\n1,caf\\ud800\\n", "name": "a.csv"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "content: Surrogate characters are not allowed: U+D800."
    assert not FactCheckImport.objects.exists()


def test_article_detail_shows_a_failed_archive_lookup(read_token_client):
    from factchecks.matching import archive_matching_mark_failed

    claim = ClaimFactory()
    archive_matching_mark_failed(article_id=claim.article_id, error="OperationalError: gone")
    body = read_token_client.get(f"/api/v1/articles/{claim.article_id}/").json()
    assert body["archive_matching"]["state"] == "failed"
    assert body["archive_matching"]["error"] == "OperationalError: gone"
