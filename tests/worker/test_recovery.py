"""Recovery within minutes, not PROPOSAL_STALE_AFTER_SECONDS: a killed worker, a Redis restart.

The sweep settings are shortened through the environment so the tests finish quickly; the
defaults' sum is checked below (a desk sees its articles proposed within two minutes).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from articles.models import Article
from tests.worker.helpers import wait_for
from tests.worker.test_worker import BODY, STARTUP, _assert_proposed_once, _import, _wait_state

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# A worker's record lives 3 s, it renews it every second, and beat sweeps every 2 s; the
# stale age (600 s) and the visibility timeout (3600 s) keep their production defaults.
FAST = {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_ALIVE_SECONDS": "3",
    "PROPOSAL_SWEEP_INTERVAL_SECONDS": "2",
    "PROPOSAL_LOST_AFTER_SECONDS": "2",
}


def test_article_of_a_sigkilled_worker_is_requeued_once_its_heartbeat_stops(
    broker, start_worker, tmp_path
):
    slow = {
        **FAST,
        "CLAIM_PIPELINE": "tests.worker.pipelines.slow_once",
        "FACTCHECK_TEST_SLOW_MARKER": str(tmp_path / "slept"),
        "FACTCHECK_TEST_SLEEP": "120",
    }
    first = start_worker(broker.url, env=slow)
    article = _import()
    _wait_state(article, {"running"}, [first])
    wait_for((tmp_path / "slept").exists, timeout=STARTUP, what="the pipeline to start sleeping")

    first.kill()

    # The killed worker's message stays unacknowledged for the visibility timeout (an hour):
    # only the stopped heartbeat tells the sweep that the run is lost.
    second = start_worker(broker.url, env=slow)
    beat = start_worker(broker.url, env=FAST, beat=True)
    _wait_state(article, {"done"}, [first, second, beat])
    _assert_proposed_once(article, attempts=2)
    # The dead worker's message is left to time out; the live worker's (the proposal, then the
    # matching it queued) are acknowledged once each task returns, a moment after "done".
    wait_for(
        lambda: broker.client().hlen("unacked") == 1,
        timeout=STARTUP,
        what="only the dead worker's message to stay unacknowledged",
    )


def test_articles_lost_with_a_redis_restart_are_proposed_soon_after_it_returns(
    broker, start_worker
):
    worker = start_worker(broker.url, env=FAST)
    beat = start_worker(broker.url, env=FAST, beat=True)
    before = _import(title="Before")
    _wait_state(before, {"done"}, [worker, beat])

    broker.stop()  # no persistence: whatever it held is gone
    during = _import(title="During", body=BODY.replace("Tuesday", "Wednesday"))
    during.refresh_from_db()
    assert (during.proposal_state, during.proposal_attempts) == ("pending", 0)
    broker.start()  # same port, empty

    _wait_state(during, {"done"}, [worker, beat])
    _assert_proposed_once(during, attempts=1)
    assert Article.objects.get(pk=before.pk).proposal_state == "done"


def test_the_default_settings_recover_a_lost_article_within_two_minutes():
    # Worst case for a killed worker: its record outlives it by WORKER_ALIVE_SECONDS, the run
    # must be PROPOSAL_LOST_AFTER_SECONDS old, and the sweep comes round once more.
    worst = (
        settings.WORKER_ALIVE_SECONDS
        + settings.PROPOSAL_LOST_AFTER_SECONDS
        + settings.PROPOSAL_SWEEP_INTERVAL_SECONDS
    )
    assert worst < 120
    assert settings.WORKER_HEARTBEAT_SECONDS < settings.WORKER_ALIVE_SECONDS
