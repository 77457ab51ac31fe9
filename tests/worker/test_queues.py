"""Queues with real workers: a plain worker serves them all, and a queue nobody consumes is named.

Celery's convention (and what a newcomer types) is `celery -A factcheck worker` with no -Q; it
used to consume only "default" while proposals went to "proposals", so imported articles
stayed pending with no word of why.
"""

from __future__ import annotations

import pytest
import yaml

from claims.services import claim_set_status
from factcheck import workers
from integrations.models import DeliveryState, WebhookDelivery
from integrations.services import webhook_subscription_create
from tests.factories import ClaimFactory
from tests.receiver import HangingReceiver
from tests.worker.helpers import REPO_ROOT, wait_for
from tests.worker.test_worker import (
    BODY,
    STARTUP,
    _assert_proposed_once,
    _import,
    _wait_state,
)

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
    # One pool for everything is fine for a trial; the worker says what production should do.
    assert (
        "this worker consumes webhooks and matching,proposals: a slow webhook receiver takes "
        "processes away from them; run deliveries in their own worker (-Q webhooks, see README)"
    ) in worker.output()


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


def _compose_workers() -> list[tuple[str, int]]:
    """(queues, concurrency) of each Celery worker service in docker-compose.yml."""
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    found = []
    for service in compose["services"].values():
        command = service.get("command") or []
        if "worker" not in command:
            continue
        queues = command[command.index("-Q") + 1] if "-Q" in command else None
        concurrency = next(
            int(arg.split("=", 1)[1]) for arg in command if arg.startswith("--concurrency=")
        )
        found.append((queues, concurrency))
    return found


def test_a_stuck_webhook_receiver_leaves_proposal_alone_in_the_compose_deployment(
    broker, start_worker, settings
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    layout = _compose_workers()
    consumed = [set((queues or "").split(",")) for queues, _ in layout]
    assert set().union(*consumed) >= {"proposals", "matching", "webhooks", "default"}
    stuck = HangingReceiver()
    try:
        webhook_subscription_create(name="stuck", url=stuck.url, secret="s3cret-s3cret-s3cret")
        for claim in ClaimFactory.create_batch(8):
            claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
        env = {"WEBHOOK_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "WEBHOOK_TIMEOUT_SECONDS": "300"}
        started = [
            start_worker(broker.url, queues=queues, concurrency=concurrency, env=env)
            for queues, concurrency in layout
        ]
        wait_for(lambda: stuck.held, timeout=STARTUP, what="the first delivery to connect")

        articles = [
            _import(title=f"Article {i}", body=BODY.replace("Tuesday", day))
            for i, day in enumerate(("Monday", "Friday"))
        ]

        for article in articles:
            _wait_state(article, {"done"}, started)
        # Proposed while every delivery so far is still waiting for its receiver.
        assert not WebhookDelivery.objects.filter(
            state__in=[DeliveryState.SUCCEEDED, DeliveryState.FAILED]
        ).exists()
        assert WebhookDelivery.objects.filter(attempts=0).exists()  # still queued behind them
    finally:
        stuck.release()
