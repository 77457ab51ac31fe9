"""The claim API's tier: in every row, as a filter, and a whole 400 for an unknown tier."""

from __future__ import annotations

import pytest

from tests.claims.test_tiers import _three_tiers


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.CLAIM_TIER_HIGH = 0.43
    settings.CLAIM_TIER_MEDIUM = 0.132


@pytest.mark.django_db
def test_api_rows_carry_the_tier_and_filter_by_it(read_token_client):
    _article, high, medium, low = _three_tiers()

    rows = read_token_client.get("/api/v1/claims/").json()["results"]
    assert {r["id"]: r["tier"] for r in rows} == {
        high.pk: "high",
        medium.pk: "medium",
        low.pk: "low",
    }
    detail = read_token_client.get(f"/api/v1/claims/{high.pk}/").json()
    assert detail["tier"] == "high"
    rows = read_token_client.get("/api/v1/claims/?tier=low").json()["results"]
    assert [r["id"] for r in rows] == [low.pk]


@pytest.mark.django_db
def test_api_refuses_an_unknown_tier_with_the_whole_error(read_token_client):
    response = read_token_client.get("/api/v1/claims/?tier=urgent")
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "tier: 'urgent' is not one of the allowed values: high, medium, low.",
        "fields": {"tier": ["'urgent' is not one of the allowed values: high, medium, low."]},
    }
