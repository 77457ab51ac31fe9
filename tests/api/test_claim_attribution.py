"""POST /api/v1/claims/{id}/attribution/: a reviewer's claimer / type correction."""

from __future__ import annotations

import pytest

from claims.models import ClaimEdit
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_correction_returns_the_claim_and_records_history(review_token_client):
    claim = ClaimFactory()
    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/",
        {"claimer": "Dana Whitfield", "claim_type": "quote", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["claimer"], body["claim_type"], body["version"]) == ("Dana Whitfield", "quote", 2)
    assert response.headers["ETag"] == '"2"'
    assert ClaimEdit.objects.filter(claim=claim).count() == 2


def test_bad_input_is_a_400_with_every_field_and_changes_nothing(review_token_client):
    claim = ClaimFactory()
    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/",
        {"claimer": 5, "claim_type": "<script>", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "claimer: Expected a string.",
        "fields": {
            "claimer": ["Expected a string."],
            "claim_type": [
                '"<script>" is not one of the allowed values: quantity, event, quote, causal, '
                "prediction, other."
            ],
        },
    }
    claim.refresh_from_db()
    assert (claim.version, ClaimEdit.objects.count()) == (1, 0)


def test_empty_body_names_what_is_missing(review_token_client):
    claim = ClaimFactory()
    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/", {"version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "Give a claimer, a claim type or both.",
        "fields": {"non_field_errors": ["Give a claimer, a claim type or both."]},
    }


def test_blank_claimer_is_refused_by_the_service(review_token_client):
    claim = ClaimFactory()
    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/", {"claimer": "   ", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"claimer": ["This field may not be blank."]}


def test_stale_version_is_a_412(review_token_client):
    claim = ClaimFactory()
    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/",
        {"claimer": "X"},
        format="json",
        HTTP_IF_MATCH='"7"',
    )
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"


def test_read_token_cannot_correct(read_token_client):
    claim = ClaimFactory()
    response = read_token_client.post(
        f"/api/v1/claims/{claim.pk}/attribution/", {"claimer": "X", "version": 1}, format="json"
    )
    assert response.status_code == 403
