"""Webhooks: subscriptions, SSRF guard, signed deliveries to a local receiver, retries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.services import claim_set_status
from factcheck.celery import app as celery_app
from integrations.crypto import decrypt_secret, encrypt_secret
from integrations.models import DeliveryState, WebhookDelivery, WebhookEvent, WebhookSubscription
from integrations.netguard import UnsafeUrl, check_url
from integrations.services import webhook_subscription_create
from integrations.tasks import deliver_webhook
from integrations.webhooks import backoff_seconds, enqueue_status_event, webhook_deliver
from tests.factories import ClaimFactory
from tests.receiver import DripReceiver, verify

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def eager():
    # Deliveries run in-process, retries included (Celery ignores countdowns when eager).
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_eager_propagates)
    conf.task_always_eager, conf.task_eager_propagates = True, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def _review(client, claim, **payload):
    return client.post(f"/api/v1/claims/{claim.pk}/review/", payload, format="json")


def test_status_change_is_posted_signed_with_a_unique_event_id(
    receiver, eager, review_token_client, django_capture_on_commit_callbacks
):
    subscription, _ = webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    claim = ClaimFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = _review(review_token_client, claim, status="disputed", note="wrong", version=1)

    assert response.status_code == 200
    (request,) = receiver.requests
    assert verify(request, SECRET)
    assert not verify(request, "another-secret-entirely")
    event = WebhookEvent.objects.get()
    headers = request["headers"]
    assert headers["X-Factcheck-Event-Id"] == str(event.pk)
    assert headers["X-Factcheck-Event"] == "claim.status_changed"
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(request["body"])
    assert payload["id"] == str(event.pk)
    assert payload["type"] == "claim.status_changed"
    assert payload["data"]["claim"]["id"] == claim.pk
    assert (payload["data"]["claim"]["status"], payload["data"]["claim"]["version"]) == (
        "disputed",
        2,
    )
    change = payload["data"]["change"]
    assert (change["from_status"], change["to_status"], change["note"]) == (
        "proposed",
        "disputed",
        "wrong",
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.subscription, delivery.state, delivery.attempts) == (
        subscription,
        DeliveryState.SUCCEEDED,
        1,
    )
    assert delivery.last_status_code == 200


def test_a_failing_receiver_is_retried_with_the_same_event_until_it_accepts(
    receiver, eager, django_capture_on_commit_callbacks
):
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    receiver.codes.extend([500, 503])
    claim = ClaimFactory()

    with django_capture_on_commit_callbacks(execute=True):
        claim_set_status(claim_id=claim.pk, to_status="verified", user=None)

    assert len(receiver.requests) == 3
    ids = {r["headers"]["X-Factcheck-Event-Id"] for r in receiver.requests}
    assert len(ids) == 1
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # the same event, byte for byte; only the timestamp is new
    assert all(verify(r, SECRET) for r in receiver.requests)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)


def test_delivery_gives_up_after_the_maximum_attempts(receiver, eager, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    receiver.codes.extend([500] * 5)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    change = claim.history.get()

    enqueue_status_event(change_id=change.pk)
    deliver_webhook.delay(WebhookDelivery.objects.get().pk)

    assert len(receiver.requests) == 2
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", 2, "HTTP 500")


def test_a_failed_attempt_schedules_the_next_with_exponential_backoff(receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    receiver.codes.append(500)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    enqueue_status_event(change_id=claim.history.get().pk)
    delivery = WebhookDelivery.objects.get()

    before = timezone.now()
    wait = webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert wait == 10
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert before + timedelta(seconds=9) < delivery.next_attempt_at
    assert delivery.next_attempt_at < timezone.now() + timedelta(seconds=11)


@pytest.mark.parametrize(
    ("attempt", "seconds"), [(1, 10), (2, 20), (3, 40), (6, 320), (9, 2560), (10, 3600)]
)
def test_backoff_doubles_and_is_capped(settings, attempt, seconds):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600

    assert backoff_seconds(attempt) == seconds


def test_one_event_per_status_change_and_one_delivery_per_subscription(receiver, eager):
    webhook_subscription_create(name="a", url=receiver.url, secret=SECRET)
    webhook_subscription_create(name="b", url=receiver.url + "?b", secret=SECRET)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    change = claim.history.get()

    enqueue_status_event(change_id=change.pk)
    enqueue_status_event(change_id=change.pk)  # the hook firing twice changes nothing
    for delivery in WebhookDelivery.objects.all():
        deliver_webhook.delay(delivery.pk)  # a redelivered task message
        deliver_webhook.delay(delivery.pk)

    assert WebhookEvent.objects.count() == 1
    assert WebhookDelivery.objects.count() == 2
    seen = [(r["headers"]["X-Factcheck-Event-Id"], r["body"]) for r in receiver.requests]
    assert len(receiver.requests) == 2  # one per subscription, never repeated
    assert len({event_id for event_id, _ in seen}) == 1


def test_a_delivery_another_worker_is_sending_is_left_alone(receiver):
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    enqueue_status_event(change_id=claim.history.get().pk)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, locked_until=timezone.now() + timedelta(seconds=30)
    )

    assert webhook_deliver(delivery_id=delivery.pk) is None
    assert receiver.requests == []


def test_inactive_and_uninterested_subscriptions_get_nothing(receiver):
    webhook_subscription_create(name="off", url=receiver.url, secret=SECRET, active=False)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)

    assert enqueue_status_event(change_id=claim.history.get().pk) is None
    assert not WebhookEvent.objects.exists()


def test_secret_is_stored_encrypted_and_recoverable():
    subscription, secret = webhook_subscription_create(
        name="cms", url="https://93.184.216.34/hook", secret=SECRET
    )

    stored = WebhookSubscription.objects.get(pk=subscription.pk).secret_encrypted
    assert secret == SECRET
    assert SECRET not in stored
    assert decrypt_secret(stored) == SECRET
    assert encrypt_secret(SECRET) != stored  # fresh IV every time


def test_secret_survives_a_key_rotation_through_fallbacks(settings):
    stored = encrypt_secret(SECRET)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-test-0123456789"

    assert decrypt_secret(stored) == SECRET
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ValueError):
        decrypt_secret(stored)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.216.34/hook",
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.5/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http:///nohost",
    ],
)
def test_private_loopback_and_non_http_targets_are_refused(url):
    with pytest.raises(UnsafeUrl):
        check_url(url)


def test_public_address_and_allow_listed_hosts_pass():
    assert check_url("https://93.184.216.34/hook") == "93.184.216.34"
    assert check_url("http://127.0.0.1:9/x", allowed_private_hosts=["127.0.0.1"]) == "127.0.0.1"


# --- the subscriptions API ----------------------------------------------------------------


def test_api_creates_a_subscription_and_shows_the_generated_secret_once(admin_token_client):
    response = admin_token_client.post(
        "/api/v1/webhooks/",
        {"name": "cms", "url": "https://93.184.216.34/hook", "events": ["claim.status_changed"]},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    secret = body.pop("secret")
    assert len(secret) >= 32
    subscription = WebhookSubscription.objects.get(pk=body["id"])
    assert decrypt_secret(subscription.secret_encrypted) == secret
    assert (body["url"], body["events"], body["active"]) == (
        "https://93.184.216.34/hook",
        ["claim.status_changed"],
        True,
    )
    shown = admin_token_client.get(f"/api/v1/webhooks/{body['id']}/").json()
    assert "secret" not in shown


def test_api_refuses_a_private_webhook_url(admin_token_client):
    response = admin_token_client.post(
        "/api/v1/webhooks/", {"name": "x", "url": "http://10.0.0.7/hook"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "url": ["The host '10.0.0.7' resolves to a private, loopback or link-local address."]
    }
    assert not WebhookSubscription.objects.exists()


def test_api_updates_and_deactivates_a_subscription(admin_token_client):
    subscription, _ = webhook_subscription_create(name="cms", url="https://93.184.216.34/a")

    response = admin_token_client.patch(
        f"/api/v1/webhooks/{subscription.pk}/",
        {"active": False, "secret": "a-new-secret-of-some-length"},
        format="json",
    )

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.active is False
    assert decrypt_secret(subscription.secret_encrypted) == "a-new-secret-of-some-length"


def test_delivery_to_a_target_that_became_private_fails_without_sending(receiver, settings):
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    enqueue_status_event(change_id=claim.history.get().pk)
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = []

    assert webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk) is None

    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed"
    assert "private" in delivery.last_error
    assert receiver.requests == []


def test_a_receiver_dripping_its_response_is_cut_off_at_the_timeout(settings):
    # One byte every 0.2 s never trips a per-read timeout; the response would take ~13 s.
    drip = DripReceiver(interval=0.2)
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    try:
        webhook_subscription_create(name="slow", url=drip.url, secret=SECRET)
        claim = ClaimFactory()
        claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
        enqueue_status_event(change_id=claim.history.get().pk)
        delivery = WebhookDelivery.objects.get()

        wait = webhook_deliver(delivery_id=delivery.pk)

        delivery.refresh_from_db()
        assert wait == backoff_seconds(1)
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            None,
        )
        assert delivery.last_error == "DeadlineExceeded: timed out after 1 s"
        # The receiver saw the connection closed before its response was complete.
        assert wait_until(lambda: drip.hung_up) == [True]
    finally:
        drip.close()


def wait_until(predicate, timeout: float = 30):
    import time

    deadline = time.monotonic() + timeout
    while not (value := predicate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


DEEP = 100_000


@pytest.mark.parametrize("method", ["post", "patch"])
def test_deeply_nested_json_to_the_webhooks_endpoint_is_a_400(admin_token_client, method):
    # The viewset used DRF's plain JSONParser: a RecursionError and a 500.
    subscription = WebhookSubscription.objects.create(
        name="Deep", url="https://hooks.example/in", secret_encrypted=encrypt_secret(SECRET)
    )
    url = "/api/v1/webhooks/" if method == "post" else f"/api/v1/webhooks/{subscription.pk}/"
    body = "[" * DEEP + "]" * DEEP

    response = getattr(admin_token_client, method)(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested too deeply" in response.json()["message"]
