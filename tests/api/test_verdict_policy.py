"""The verdict policy through the API: review, approve, send back, undo, and user-less tokens."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims import review
from claims.models import ClaimStatusChange, VerdictApproval
from integrations.models import ApiToken
from integrations.tokens import generate_key, hash_key
from tests.conftest import EVIDENCE, RATIONALE
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _review(client, claim, status, *, note=RATIONALE, evidence=EVIDENCE, version=None):
    body = {"status": status, "note": note, "evidence": evidence}
    body["version"] = version or claim.version
    return client.post(f"/api/v1/claims/{claim.pk}/review/", body, format="json")


def test_review_without_rationale_and_evidence_is_400_naming_both(reviewer):
    claim = ClaimFactory()

    response = _review(_client(reviewer), claim, "verified", note="Looks right.", evidence=[])

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "note: A Verified verdict needs a rationale of at least 40 characters in the "
        "note (it has 12).",
        "fields": {
            "note": [
                "A Verified verdict needs a rationale of at least 40 characters in the note "
                "(it has 12)."
            ],
            "evidence": ["A Verified verdict needs at least one evidence link."],
        },
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)
    assert not ClaimStatusChange.objects.exists()


def test_disputed_without_a_note_gets_the_policy_message(reviewer):
    claim = ClaimFactory()

    response = _review(_client(reviewer), claim, "disputed", note="", evidence=EVIDENCE)

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "note": [
            "A Disputed verdict needs a rationale of at least 40 characters in the note (it has 0)."
        ]
    }


def test_disputed_is_202_awaiting_approval_and_not_visible_as_disputed(reviewer):
    claim = ClaimFactory()

    response = _review(_client(reviewer), claim, "disputed")

    assert response.status_code == 202
    data = response.json()
    assert (data["status"], data["version"], data["reviewed_by"]) == ("proposed", 1, None)
    approval = VerdictApproval.objects.get(claim=claim)
    assert data["awaiting_approval"] == {
        "id": approval.pk,
        "status": "disputed",
        "submitted_by": "rita",
        "submitted_at": approval.submitted_at.isoformat().replace("+00:00", "Z"),
        "note": RATIONALE,
        "evidence": EVIDENCE,
    }
    detail = _client(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()
    assert (detail["status"], detail["awaiting_approval"]["id"]) == ("proposed", approval.pk)
    assert _client(reviewer).get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404


def test_self_approval_is_403_and_changes_nothing(reviewer):
    claim = ClaimFactory()
    _review(_client(reviewer), claim, "disputed")

    response = _client(reviewer).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "code": "self_approval",
        "message": "You cannot approve your own verdict: another reviewer must approve it.",
    }
    claim.refresh_from_db()
    assert claim.status == "proposed"
    assert VerdictApproval.objects.get(claim=claim).state == "pending"


def test_approve_by_another_reviewer_sets_the_status_and_history_names_both(
    reviewer, other_reviewer
):
    claim = ClaimFactory()
    approval_id = _review(_client(reviewer), claim, "disputed").json()["awaiting_approval"]["id"]

    response = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/approve/", {"approval": approval_id}, format="json"
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["version"], data["reviewed_by"]) == ("disputed", 2, "omar")
    assert data["awaiting_approval"] is None
    history = _client(reviewer).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert [(h["to_status"], h["changed_by"], h["submitted_by"]) for h in history] == [
        ("disputed", "omar", "rita")
    ]
    assert history[0]["evidence"] == EVIDENCE
    assert history[0]["undoes"] is None


def test_second_approver_gets_409_approval_decided(reviewer, other_reviewer, editor):
    from tests.factories import ReviewerFactory

    third = ReviewerFactory(username="tess")
    claim = ClaimFactory()
    approval_id = _review(_client(reviewer), claim, "disputed").json()["awaiting_approval"]["id"]
    _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/approve/", {"approval": approval_id}, format="json"
    )

    response = _client(third).post(
        f"/api/v1/claims/{claim.pk}/approve/", {"approval": approval_id}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    current = body.pop("current")
    assert body == {
        "status": 409,
        "code": "approval_decided",
        "message": "This verdict was already approved by omar; nothing was changed.",
        "approval": approval_id,
        "state": "approved",
    }
    assert (current["status"], current["version"]) == ("disputed", 2)


def test_send_back_needs_a_note(reviewer, other_reviewer):
    claim = ClaimFactory()
    _review(_client(reviewer), claim, "disputed")

    response = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/send-back/", {"note": " "}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "note: A note is required to send a verdict back: say what is missing.",
        "fields": {"note": ["A note is required to send a verdict back: say what is missing."]},
    }
    assert VerdictApproval.objects.get(claim=claim).state == "pending"


def test_send_back_keeps_the_status_and_records_the_note(reviewer, other_reviewer):
    claim = ClaimFactory()
    _review(_client(reviewer), claim, "disputed")

    response = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/send-back/", {"note": "Cite the audit."}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["awaiting_approval"]) == ("proposed", None)
    approval = VerdictApproval.objects.get(claim=claim)
    assert (approval.state, approval.decision_note, approval.decided_by) == (
        "sent_back",
        "Cite the audit.",
        other_reviewer,
    )


def test_approve_with_nothing_pending_is_409(other_reviewer):
    claim = ClaimFactory()

    response = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/approve/", {}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    body.pop("current")
    assert body == {
        "status": 409,
        "code": "no_pending_approval",
        "message": f"Claim {claim.pk} has no verdict awaiting approval.",
    }


def test_review_while_a_verdict_awaits_approval_is_409(reviewer, other_reviewer):
    claim = ClaimFactory()
    approval_id = _review(_client(reviewer), claim, "disputed").json()["awaiting_approval"]["id"]

    response = _review(_client(other_reviewer), claim, "verified")

    assert response.status_code == 409
    body = response.json()
    body.pop("current")
    assert body == {
        "status": 409,
        "code": "approval_pending",
        "message": f"Claim {claim.pk} already has a verdict awaiting approval (disputed, "
        "submitted by rita): approve it or send it back first.",
        "approval": approval_id,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"approval": "1; DROP TABLE claims_claim"},
        {"approval": 0},
        {"note": "x" * 5001},
        {"note": ["<script>alert(1)</script>"]},
    ],
)
def test_decision_with_bad_input_is_400_and_changes_nothing(reviewer, other_reviewer, body):
    claim = ClaimFactory()
    _review(_client(reviewer), claim, "disputed")

    response = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/send-back/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == set(body)
    assert VerdictApproval.objects.get(claim=claim).state == "pending"


def test_undo_through_the_api(reviewer, other_reviewer):
    claim = ClaimFactory()
    _review(_client(reviewer), claim, "verified")

    refused = _client(other_reviewer).post(
        f"/api/v1/claims/{claim.pk}/undo/", {"version": 2}, format="json"
    )
    response = _client(reviewer).post(
        f"/api/v1/claims/{claim.pk}/undo/", {"version": 2}, format="json"
    )
    again = _client(reviewer).post(
        f"/api/v1/claims/{claim.pk}/undo/", {"version": 2}, format="json"
    )

    assert refused.status_code == 409
    body = refused.json()
    body.pop("current")
    assert body == {
        "status": 409,
        "code": "undo_refused",
        "message": "Only the reviewer who set this verdict can undo it.",
    }
    assert (response.status_code, response.json()["status"], response.json()["version"]) == (
        200,
        "proposed",
        3,
    )
    assert again.status_code == 409
    history = _client(reviewer).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert [(h["to_status"], h["undoes"]) for h in history] == [("verified", None), ("proposed", 2)]


def test_undo_of_a_version_that_does_not_exist_is_400(reviewer):
    claim = ClaimFactory()

    response = _client(reviewer).post(
        f"/api/v1/claims/{claim.pk}/undo/", {"version": 9}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "version": [f"Claim {claim.pk} has no status change with this version."]
    }


# --- tokens ---------------------------------------------------------------------------------


def _legacy_token(scope: str) -> APIClient:
    """A token written before review tokens needed a user (straight into the table)."""
    key = generate_key()
    ApiToken.objects.create(name="old CMS", scope=scope, prefix=key[:8], key_hash=hash_key(key))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize("scope", ["review", "admin"])
@pytest.mark.parametrize("action", ["review", "approve", "send-back", "assign", "undo"])
def test_a_review_token_without_a_user_is_refused_with_a_clear_403(scope, action):
    claim = ClaimFactory()
    client = _legacy_token(scope)

    response = client.post(f"/api/v1/claims/{claim.pk}/{action}/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "code": "permission_denied",
        "message": "This token belongs to no user, and every verdict must have a person behind "
        "it: review tokens must be re-issued for a user (manage.py create_api_token NAME "
        "--scope review --user USERNAME), then this one revoked.",
    }
    # It still reads.
    assert client.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)


def test_a_review_token_with_a_user_reviews_as_that_user(review_token_client):
    claim = ClaimFactory()

    response = _review(review_token_client, claim, "verified")

    assert (response.status_code, response.json()["reviewed_by"]) == (200, "review-service")


def test_policy_change_in_the_admin_applies_to_the_next_review(reviewer):
    policy = review.verdict_policy()
    policy.disputed_needs_approval = False
    policy.save()
    claim = ClaimFactory()

    response = _review(_client(reviewer), claim, "disputed")

    assert (response.status_code, response.json()["status"]) == (200, "disputed")


def test_the_schema_describes_approve_send_back_and_undo(api_client):
    document = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = document["paths"]
    for name in ("approve", "send-back", "undo"):
        operation = paths[f"/api/v1/claims/{{id}}/{name}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert "202" in paths["/api/v1/claims/{id}/review/"]["post"]["responses"]
    detail = document["components"]["schemas"]["ClaimDetail"]["properties"]
    assert "awaiting_approval" in detail
