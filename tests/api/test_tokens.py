"""API tokens: created once, stored hashed, checked, revoked, throttled per token."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from claims.models import ClaimStatusChange
from integrations.models import ApiToken
from integrations.services import api_token_create, api_token_revoke
from tests.factories import ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_api_token_command_prints_the_key_once_and_stores_only_its_hash(reviewer):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_token", "CMS", "--scope", "review", "--user", "rita", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert len(key) == 40
    assert (token.name, token.scope, token.user, token.prefix) == (
        "CMS",
        "review",
        reviewer,
        key[:8],
    )
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())
    assert "cannot be shown again" in err.getvalue()
    assert _client(key).get("/api/v1/claims/").status_code == 200


def test_create_api_token_command_refuses_an_unknown_user():
    with pytest.raises(Exception, match="No user named 'ghost'"):
        call_command("create_api_token", "CMS", "--user", "ghost", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token " + "A" * 40, "Invalid token."),
        ("Token short", "Invalid token."),
        ("Token a b", "Invalid token header: expected 'Token <key>' or 'Bearer <key>'."),
    ],
)
def test_bad_token_is_a_401(api_client, header, message):
    api_token_create(name="x", scope="read")

    response = api_client.get("/api/v1/claims/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json() == {"status": 401, "code": "authentication_failed", "message": message}


def test_a_key_with_the_right_prefix_but_wrong_rest_is_refused(api_client):
    created = api_token_create(name="x", scope="read")
    forged = created.key[:8] + ("B" if created.key[8] != "B" else "C") + created.key[9:]

    response = _client(forged).get("/api/v1/claims/")

    assert response.status_code == 401


def test_revoked_token_stops_working_at_once():
    created = api_token_create(name="x", scope="read")
    client = _client(created.key)
    assert client.get("/api/v1/claims/").status_code == 200

    api_token_revoke(token_id=created.token.pk)
    response = client.get("/api/v1/claims/")

    assert response.status_code == 401
    assert response.json()["message"] == "This token has been revoked."


def test_token_of_an_inactive_user_is_refused(reviewer):
    created = api_token_create(name="x", scope="review", user=reviewer)
    reviewer.is_active = False
    reviewer.save()

    assert _client(created.key).get("/api/v1/claims/").status_code == 401


def test_use_records_last_used_at():
    created = api_token_create(name="x", scope="read")
    assert created.token.last_used_at is None

    _client(created.key).get("/api/v1/claims/")

    created.token.refresh_from_db()
    assert created.token.last_used_at is not None


def test_writes_with_a_token_that_has_a_user_are_attributed_to_that_user(reviewer):
    created = api_token_create(name="desk bot", scope="review", user=reviewer)
    claim = ClaimFactory()

    response = _client(created.key).post(
        f"/api/v1/claims/{claim.pk}/review/", {"status": "verified", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert ClaimStatusChange.objects.get(claim=claim).changed_by == reviewer


def test_requests_over_the_scope_rate_get_429_and_other_tokens_are_unaffected(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "read": "3/min"}
    busy = _client(api_token_create(name="busy", scope="read").key)
    calm = _client(api_token_create(name="calm", scope="read").key)

    statuses = [busy.get("/api/v1/claims/").status_code for _ in range(4)]
    throttled = busy.get("/api/v1/claims/")

    assert statuses == [200, 200, 200, 429]
    assert throttled.status_code == 429
    body = throttled.json()
    assert (body["status"], body["code"]) == (429, "throttled")
    assert 0 < body["retry_after"] <= 60
    assert int(throttled["Retry-After"]) == body["retry_after"]
    assert calm.get("/api/v1/claims/").status_code == 200


def test_admin_add_shows_the_key_once_and_stores_its_hash(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        "/admin/integrations/apitoken/add/", {"name": "Publisher", "scope": "read"}, follow=True
    )

    assert response.status_code == 200
    token = ApiToken.objects.get(name="Publisher")
    (message,) = [str(m) for m in response.context["messages"] if "<code>" in str(m)]
    key = message.split("<code>")[1].split("</code>")[0]
    assert key.startswith(token.prefix)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.created_by == staff_user
    assert _client(key).get("/api/v1/claims/").status_code == 200


def test_a_user_token_stops_reviewing_as_soon_as_its_user_leaves_the_reviewers(reviewer):
    created = api_token_create(name="desk bot", scope="review", user=reviewer)
    client = _client(created.key)
    first, second = ClaimFactory(), ClaimFactory()
    body = {"status": "verified", "version": 1}
    assert client.post(f"/api/v1/claims/{first.pk}/review/", body, format="json").status_code == 200

    # The token (and its user) is now cached; the group change must count all the same.
    reviewer.groups.clear()
    response = client.post(f"/api/v1/claims/{second.pk}/review/", body, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "code": "permission_denied",
        "message": "This token acts for 'rita', whose role no longer allows this action.",
    }
    second.refresh_from_db()
    assert second.status == "proposed"
    assert not ClaimStatusChange.objects.filter(claim=second).exists()
    # Nor may it read claims any more: no role, no access, as on the web.
    assert client.get("/api/v1/claims/").status_code == 403


def test_a_service_token_without_a_user_is_judged_by_its_scope_alone():
    # Reading and importing need no person behind them: a user-less import token still works.
    created = api_token_create(name="cms", scope="import", user=None)
    claim = ClaimFactory()

    response = _client(created.key).get(f"/api/v1/claims/{claim.pk}/")

    assert response.status_code == 200
    assert created.token.user is None


def test_a_review_token_cannot_be_created_without_a_user():
    from django.core.exceptions import ValidationError

    for scope in ("review", "admin"):
        with pytest.raises(ValueError, match="must belong to a user"):
            api_token_create(name="cms", scope=scope, user=None)
        with pytest.raises(ValidationError) as excinfo:
            ApiToken(name="cms", scope=scope).full_clean()
        assert excinfo.value.message_dict["user"] == [
            f"A token with scope {scope!r} can review claims, so it must belong to a user: "
            "every verdict needs a person behind it. Choose the user it acts for."
        ]
        with pytest.raises(Exception, match="must belong to a user"):
            call_command("create_api_token", "cms", "--scope", scope, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
