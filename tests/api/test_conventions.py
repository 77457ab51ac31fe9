"""API conventions: Bearer tokens, invalid choices that name the valid ones, every error at once."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import ClaimStatusChange
from integrations.services import api_token_create
from tests.factories import ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

STATUSES = "proposed, verified, disputed, unconfirmed, dismissed"


@pytest.mark.parametrize("keyword", ["Bearer", "bearer", "Token"])
def test_a_key_is_accepted_as_a_bearer_token_too(keyword):
    created = api_token_create(name="gateway", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {created.key}")

    assert client.get("/api/v1/claims/").status_code == 200


def test_an_unknown_bearer_token_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + "x" * 40)

    response = client.get("/api/v1/claims/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(
    ("path", "param", "allowed"),
    [
        ("/api/v1/claims/", "status", STATUSES),
        ("/api/v1/claims/changes/", "status", STATUSES),
        ("/api/v1/claims/", "claim_type", "quantity, event, quote, causal, prediction, other"),
        ("/api/v1/articles/", "proposal_state", "pending, running, done, failed, unsupported"),
    ],
)
def test_an_invalid_choice_lists_the_allowed_values(read_token_client, path, param, allowed):
    response = read_token_client.get(path, {param: "bogus"})

    assert response.status_code == 400
    [message] = response.json()["fields"][param]
    assert message.startswith("'bogus' is not one of the allowed values: ")
    assert allowed in message


def test_an_invalid_webhook_event_lists_the_allowed_events(admin_token_client):
    response = admin_token_client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example/in", "events": ["claim.bogus"]},
        format="json",
    )

    assert response.status_code == 400
    [message] = response.json()["fields"]["events"]["0"]
    assert message.startswith('"claim.bogus" is not one of the allowed values: claim.')


def test_review_reports_every_field_error_at_once(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "maybe", "evidence": [{"url": "javascript:alert(1)"}], "note": "x" * 10001},
        format="json",
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"status", "evidence", "note", "version"}
    assert fields["version"] == [
        "Send the claim's version in an If-Match header or a version field."
    ]
    assert not ClaimStatusChange.objects.filter(claim=claim).exists()


def test_a_missing_note_is_reported_with_a_bad_if_match(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "disputed"},
        format="json",
        headers={"If-Match": "yesterday"},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "If-Match": ['Expected the ETag of the claim, e.g. "3".'],
        "note": ["A note is required to mark a claim disputed."],
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)


def test_assign_reports_a_bad_assignee_type_and_a_missing_version_at_once(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/assign/", {"assignee": ["rita"]}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"assignee", "version"}


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/", "/api/v1/articles/", "/api/v1/claims/changes/"]
)
def test_a_list_reports_bad_filters_and_a_bad_page_size_at_once(read_token_client, path):
    bad_filter = "status" if "claims" in path else "proposal_state"

    response = read_token_client.get(path, {bad_filter: "bogus", "page_size": "x"})

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {bad_filter, "page_size"}


def test_a_list_reports_a_bad_page_with_a_bad_filter(read_token_client):
    response = read_token_client.get("/api/v1/claims/", {"min_score": "2", "page": "0"})

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "min_score": ["Ensure this value is less than or equal to 1."],
        "page": ["A page number from 1 to 100000."],
    }


def test_every_viewset_parses_json_bodies_with_the_depth_guard():
    # A plain JSONParser lets a deeply nested body raise RecursionError (a 500).
    from api.parsers import JSONBodyParser
    from api.urls import router

    for prefix, viewset, _ in router.registry:
        parsers = viewset.parser_classes
        assert all(issubclass(p, JSONBodyParser) for p in parsers), (prefix, parsers)
