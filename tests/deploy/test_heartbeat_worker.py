"""A real Celery worker keeps /readyz ready: it beats on start-up and runs the heartbeat task."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache import caches

from factcheck import health


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.worker
@pytest.mark.django_db
def test_a_running_worker_makes_readyz_ready(client, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache = caches[settings.HEARTBEAT_CACHE_ALIAS]
    cache.delete(health.HEARTBEAT_CACHE_KEY)
    assert client.get("/readyz").status_code == 503

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "-Q",
            "default",
            "--pool=solo",
            "-n",
            f"heartbeat-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),  # noqa: SIM115
    )
    try:
        # worker_ready: the worker beats once as soon as it consumes.
        assert _wait_for(lambda: cache.get(health.HEARTBEAT_CACHE_KEY) is not None, 90), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        # The worker and broker checks; other tests may have left messages on queues this
        # "-Q default" worker does not consume (the queues check, tested in test_health).
        checks = client.get("/readyz").json()["checks"]
        assert (checks["broker"], checks["worker"]) == ("ok", "ok")

        # A stale heartbeat is refreshed by the periodic task, run by the worker.
        stale = time.time() - settings.HEARTBEAT_MAX_AGE_SECONDS - 5
        cache.set(health.HEARTBEAT_CACHE_KEY, stale)
        assert client.get("/readyz").status_code == 503
        health.heartbeat.apply_async(queue="default")
        assert _wait_for(lambda: cache.get(health.HEARTBEAT_CACHE_KEY) > stale + 1, 30)
        assert client.get("/readyz").json()["checks"]["worker"] == "ok"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        cache.delete(health.HEARTBEAT_CACHE_KEY)
