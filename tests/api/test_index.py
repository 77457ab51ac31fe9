"""GET /api/v1/: a public index of the API's lists, schema and docs (api/index.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v1/"


def test_the_index_links_every_list_the_schema_and_the_docs_without_credentials(api_client):
    response = api_client.get("/api/v1/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    body = response.json()
    assert body["endpoints"] == {
        "articles": f"{BASE}articles/",
        "claims": f"{BASE}claims/",
        "claims_changes": f"{BASE}claims/changes/",
        "webhooks": f"{BASE}webhooks/",
        "cluster": f"{BASE}clusters/{{id}}/",
    }
    assert body["schema"] == f"{BASE}schema/"
    assert body["docs"] == f"{BASE}docs/"


def test_every_link_of_the_index_answers_and_the_data_stays_protected(
    api_client, admin_token_client
):
    body = api_client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    lists = [url for key, url in body["endpoints"].items() if key != "cluster"]

    for url in lists:
        assert api_client.get(url).status_code == 401, url
        assert admin_token_client.get(url).status_code == 200, url
    for url in (body["schema"], body["docs"]):
        assert api_client.get(url).status_code == 200, url


def test_the_index_is_not_part_of_the_openapi_schema(api_client):
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]

    assert "/api/v1/" not in paths
    assert "/api/v1/claims/" in paths
