"""Webhook deliveries through a real worker: their own queue, signed POSTs to a receiver."""

from __future__ import annotations

import json

import pytest

from claims.services import claim_set_status
from integrations.models import DeliveryState, WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory
from tests.receiver import verify
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
