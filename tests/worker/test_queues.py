"""Queues with real workers: a plain worker serves them all, and a queue nobody consumes is named.

Celery's convention (and what a newcomer types) is `celery -A factcheck worker` with no -Q; it
used to consume only "default" while proposals went to "proposals", so imported articles
stayed pending with no word of why.
"""

from __future__ import annotations

import pytest

from claims.services import claim_set_status
from factcheck import workers
from integrations.models import DeliveryState, WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory
from tests.worker.helpers import wait_for
from tests.worker.test_worker import STARTUP, _assert_proposed_once, _import, _wait_state

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_a_plain_worker_consumes_every_queue(broker, start_worker, receiver):
    webhook_subscription_create(name="cms", url=receiver.url, secret="s3cret-s3cret-s3cret")
    worker = start_worker(
        broker.url, queues=None, env={"WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"}
    )

    article = _import()
    claim_set_status(claim_id=ClaimFactory().pk, to_status="verified", user=None)

    _wait_state(article, {"done"}, [worker])
    _assert_proposed_once(article, attempts=1)
    # Matching ran (its own queue), and so did the delivery (another one).
    wait_for(
        lambda: not article.claims.filter(matched_at__isnull=True).exists(),
        timeout=STARTUP,
        what="the article's claims to be matched",
    )
    wait_for(
        lambda: WebhookDelivery.objects.filter(state=DeliveryState.SUCCEEDED).exists(),
        timeout=STARTUP,
        what="the webhook delivery",
    )
    assert len(receiver.requests) == 1


def test_readyz_and_admin_name_a_queue_with_waiting_work_and_no_consumer(
    broker, start_worker, health_cache, client, admin_client
):
    default_only = start_worker(broker.url, queues="default")
    wait_for(
        lambda: any(q == ["default"] for q in workers.live_workers().values()),
        timeout=STARTUP,
        what="the worker's heartbeat",
    )
    article = _import()
    wait_for(lambda: broker.client().llen("proposals") == 1, timeout=10, what="the message")

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["database"], checks["broker"], checks["worker"]) == ("ok", "ok", "ok")
    assert checks["queues"] == (
        "error: RuntimeError: proposals has 1 waiting task(s) and no running worker consumes "
        "it: start a worker with -Q proposals (or a plain `celery -A factcheck worker`, which "
        "consumes every queue)"
    )
    page = admin_client.get("/admin/")
    assert page.status_code == 200
    assert b'id="stuck-queues">Tasks are waiting: proposals has 1 waiting task(s)' in page.content

    proposals = start_worker(broker.url, queues="proposals,matching")
    _wait_state(article, {"done"}, [default_only, proposals])
    wait_for(lambda: client.get("/readyz").status_code == 200, timeout=STARTUP, what="ready")
    assert b"stuck-queues" not in admin_client.get("/admin/").content
