"""The integrations admin: webhook subscriptions (secret shown once) and the delivery log."""

from __future__ import annotations

import pytest

from claims.services import claim_set_status
from integrations.crypto import decrypt_secret
from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.services import webhook_subscription_create
from integrations.webhooks import enqueue_status_event
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_adding_a_subscription_without_secret_generates_one_and_shows_it_once(admin_client):
    response = admin_client.post(
        "/admin/integrations/webhooksubscription/add/",
        {"name": "CMS", "url": "https://93.184.216.34/hook", "active": "on"},
        follow=True,
    )

    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get(name="CMS")
    (message,) = [str(m) for m in response.context["messages"] if "<code>" in str(m)]
    shown = message.split("<code>")[1].split("</code>")[0]
    assert decrypt_secret(subscription.secret_encrypted) == shown
    assert shown not in subscription.secret_encrypted


def test_admin_refuses_a_private_url_with_a_form_error(admin_client):
    response = admin_client.post(
        "/admin/integrations/webhooksubscription/add/",
        {"name": "Internal", "url": "http://192.168.1.10/hook", "active": "on"},
    )

    assert response.status_code == 200
    assert "private, loopback or link-local" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_delivery_log_and_event_pages_list_the_deliveries(admin_client):
    webhook_subscription_create(name="CMS", url="https://93.184.216.34/hook")
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    event = enqueue_status_event(change_id=claim.history.get().pk)

    log = admin_client.get("/admin/integrations/webhookdelivery/")
    page = admin_client.get(f"/admin/integrations/webhookevent/{event.pk}/change/")

    assert log.status_code == page.status_code == 200
    assert str(event.pk) in log.content.decode()
    assert WebhookDelivery.objects.get().state == "pending"
    assert "CMS" in page.content.decode()


def test_admin_refuses_a_review_token_without_a_user(admin_client, reviewer):
    from integrations.models import ApiToken

    refused = admin_client.post(
        "/admin/integrations/apitoken/add/", {"name": "Desk bot", "scope": "review", "user": ""}
    )
    made = admin_client.post(
        "/admin/integrations/apitoken/add/",
        {"name": "Desk bot", "scope": "review", "user": reviewer.pk},
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "user": [
            "A token with scope 'review' can review claims, so it must belong to a user: every "
            "verdict needs a person behind it. Choose the user it acts for."
        ]
    }
    assert made.status_code == 302
    assert list(ApiToken.objects.values_list("name", "user")) == [("Desk bot", reviewer.pk)]


def test_admin_edits_the_verdict_policy_row(admin_client):
    from claims.models import VerdictPolicy

    listing = admin_client.get("/admin/claims/verdictpolicy/")
    fields = {
        f.name: getattr(VerdictPolicy.current(), f.name)
        for f in VerdictPolicy._meta.get_fields()
        if f.name.endswith(("_approval", "_rationale", "_evidence"))
    }
    data = {name: "on" for name, value in fields.items() if value}
    data["verified_needs_approval"] = "on"
    data["rationale_min_chars"] = "60"
    saved = admin_client.post("/admin/claims/verdictpolicy/1/change/", data)
    too_long = admin_client.post(
        "/admin/claims/verdictpolicy/1/change/", {**data, "rationale_min_chars": "-1"}
    )

    assert (listing.status_code, listing["Location"]) == (
        302,
        "/admin/claims/verdictpolicy/1/change/",
    )
    assert saved.status_code == 302
    policy = VerdictPolicy.current()
    assert (policy.verified_needs_approval, policy.rationale_min_chars) == (True, 60)
    assert policy.updated_by.username == "stella"
    assert too_long.status_code == 200
    assert "rationale_min_chars" in too_long.context["adminform"].form.errors
    assert VerdictPolicy.objects.count() == 1
