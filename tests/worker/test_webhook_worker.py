"""Webhook deliveries through a real worker: their own queue, signed POSTs to a receiver."""

from __future__ import annotations

import json

import pytest

from claims.services import claim_set_status
from integrations.models import DeliveryState, WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory
from tests.receiver import DripReceiver, verify
from tests.worker.helpers import wait_for
from tests.worker.test_worker import STARTUP

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

SECRET = "worker-s3cret-worker-s3cret"


def test_a_status_change_is_delivered_from_the_webhooks_queue_by_a_worker(
    broker, start_worker, receiver
):
    webhook_subscription_create(name="cms", url=receiver.url, secret=SECRET)
    claim = ClaimFactory()

    claim_set_status(claim_id=claim.pk, to_status="verified", user=None, note="Minutes")

    # Queued on "webhooks", not "default": a worker on the other queues leaves it there.
    client = broker.client()
    assert client.llen("webhooks") == 1
    assert client.llen("default") == 0
    start_worker(
        broker.url,
        queues="webhooks",
        env={"WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"},
    )
    wait_for(lambda: receiver.requests, timeout=STARTUP, what="the webhook POST")
    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(state=DeliveryState.SUCCEEDED).first(),
        timeout=STARTUP,
        what="the delivery to be recorded as succeeded",
    )

    (request,) = receiver.requests
    assert verify(request, SECRET)
    payload = json.loads(request["body"])
    assert payload["data"]["claim"]["id"] == claim.pk
    assert payload["data"]["change"]["to_status"] == "verified"
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert client.llen("webhooks") == 0


def test_a_worker_gives_up_on_a_dripping_receiver_at_the_timeout(broker, start_worker, settings):
    # One byte every 0.5 s: no single read waits long, the whole answer would take ~35 s.
    drip = DripReceiver(interval=0.5)
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    try:
        webhook_subscription_create(name="slow", url=drip.url, secret=SECRET)
        claim_set_status(claim_id=ClaimFactory().pk, to_status="verified", user=None)
        worker = start_worker(
            broker.url,
            queues="webhooks",
            env={"WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "WEBHOOK_TIMEOUT_SECONDS": "2"},
        )

        delivery = wait_for(
            lambda: (
                WebhookDelivery.objects.filter(attempts=1, state="pending")
                .exclude(last_error="")
                .first()
            ),
            timeout=STARTUP,
            what="the first attempt to be recorded",
        )

        assert delivery.last_error == "DeadlineExceeded: timed out after 2 s", worker.output()
        assert delivery.last_status_code is None
        wait_for(lambda: drip.hung_up, timeout=STARTUP, what="the receiver to see the hang-up")
        assert drip.hung_up == [True]
    finally:
        drip.close()
