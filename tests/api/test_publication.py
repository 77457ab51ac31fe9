"""POST /api/v1/claims/{id}/publish/ and /unpublish/."""

from __future__ import annotations

import pytest

from claims.services import claim_set_status
from publishing.models import Publication, PublicationChange
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer, note="Minutes agree.")
    return claim


def test_publish_takes_the_verdict_note_by_default_and_answers_the_publication(
    reviewer_api_client, reviewer, verified, settings
):
    settings.SITE_URL = "https://facts.example.org"

    response = reviewer_api_client.post(f"/api/v1/claims/{verified.pk}/publish/", {}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["claim"] == verified.pk
    assert body["state"] == "published"
    assert body["rationale"] == "Minutes agree."
    assert body["url"] == f"https://facts.example.org/fact-checks/{verified.pk}/"
    assert body["claimreview"]["url"] == body["url"]
    assert PublicationChange.objects.get().user == reviewer


def test_publish_refuses_a_claim_without_a_verdict_with_409(reviewer_api_client):
    claim = ClaimFactory()

    response = reviewer_api_client.post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "code": "not_publishable",
        "message": (
            f"Claim {claim.pk} has no verdict to publish (it is proposed); only verified, "
            "disputed or unconfirmed claims can be published."
        ),
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"rationale": 12}, {"rationale": ["Expected a string."]}),
        ({"rationale": "   "}, {"rationale": [
            "A public rationale is required: say in a sentence or two why the claim is rated so."
        ]}),
        ({"rationale": "x" * 5001}, {"rationale": [
            "Ensure this field has no more than 5000 characters."
        ]}),
    ],
)  # fmt: skip
def test_publish_with_a_bad_rationale_is_a_400_and_writes_nothing(
    reviewer_api_client, verified, body, errors
):
    response = reviewer_api_client.post(
        f"/api/v1/claims/{verified.pk}/publish/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == errors
    assert not Publication.objects.exists()


def test_unpublish_withdraws_and_a_second_time_is_409(reviewer_api_client, verified):
    reviewer_api_client.post(
        f"/api/v1/claims/{verified.pk}/publish/", {"rationale": "Agreed."}, format="json"
    )
    url = f"/api/v1/claims/{verified.pk}/unpublish/"

    first = reviewer_api_client.post(url, {"note": "wrong"}, format="json")
    second = reviewer_api_client.post(url, {}, format="json")

    assert first.status_code == 200
    assert first.json()["state"] == "withdrawn" and first.json()["claimreview"] is None
    assert second.status_code == 409 and second.json()["code"] == "not_published"


def test_read_tokens_cannot_publish(read_token_client, verified):
    response = read_token_client.post(
        f"/api/v1/claims/{verified.pk}/publish/", {"rationale": "x"}, format="json"
    )

    assert response.status_code == 403
    assert not Publication.objects.exists()
