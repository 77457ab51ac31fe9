"""/healthz (liveness) and /readyz (database, broker, worker heartbeat, queue consumers)."""

import time

import pytest
from django.core.cache import caches
from django.db import DatabaseError

from factcheck import health, workers
from factcheck.celery import app


@pytest.fixture
def heartbeat_cache(settings):
    cache = caches[settings.HEARTBEAT_CACHE_ALIAS]
    cache.delete(health.HEARTBEAT_CACHE_KEY)
    yield cache
    cache.delete(health.HEARTBEAT_CACHE_KEY)


@pytest.fixture
def broker_mode(settings, monkeypatch):
    """Settings as with CELERY_BROKER_URL set; the broker itself answers (see the redis test)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "_check_broker", lambda: "ok")
    monkeypatch.setattr(workers, "queue_length", lambda name: 0)


# No django_db mark: any database query here would fail the test.
def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_healthz_answers_probes_by_ip_over_plain_http(client, settings, path):
    # Orchestrators probe the container's address, which ALLOWED_HOSTS does not list, over
    # plain HTTP although production redirects everything else to HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_other_pages_still_check_the_host(client):
    response = client.get("/admin/login/", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 400


@pytest.mark.django_db
def test_readyz_in_eager_mode_checks_only_the_database(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "eager", "worker": "eager", "queues": "eager"},
    }


@pytest.mark.django_db
def test_readyz_is_ready_after_a_recent_heartbeat(client, broker_mode, heartbeat_cache):
    health.heartbeat()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "worker": "ok", "queues": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_unavailable_without_any_heartbeat(client, broker_mode, heartbeat_cache):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "ok"
    assert body["checks"]["worker"] == "error: RuntimeError: no worker heartbeat recorded"


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_heartbeat_is_stale(
    client, settings, broker_mode, heartbeat_cache
):
    settings.HEARTBEAT_MAX_AGE_SECONDS = 60
    heartbeat_cache.set(health.HEARTBEAT_CACHE_KEY, time.time() - 61)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith(
        "error: RuntimeError: last worker heartbeat 61s ago (max 60s)"
    )

    heartbeat_cache.set(health.HEARTBEAT_CACHE_KEY, time.time() - 59)
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_broker_is_down(
    client, settings, monkeypatch, heartbeat_cache
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    health.heartbeat()
    # Nothing listens on port 1: the connection is refused at once.
    # (Celery prefers the CELERY_BROKER_URL variable to its configuration: override both.)
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"].startswith("error: ")
    assert checks["worker"] == "ok"


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_is_down(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "_check_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: DatabaseError: connection refused"


def test_the_heartbeat_runs_periodically_on_the_worker(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == health.heartbeat.name
    assert entry["schedule"] == settings.HEARTBEAT_INTERVAL_SECONDS
    # The worker must be ready well before readyz calls a heartbeat stale.
    assert settings.HEARTBEAT_INTERVAL_SECONDS * 2 < settings.HEARTBEAT_MAX_AGE_SECONDS
    assert health.heartbeat.name in app.tasks


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_against_the_real_broker(client, settings, heartbeat_cache):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    health.heartbeat()
    # A deployment's workers between them consume every queue; other tests may have left
    # messages on this broker, which with no consumer would rightly fail the queues check.
    workers.worker_alive(hostname="all-queues@test", queues=list(app.amqp.queues))
    assert isinstance(workers.queue_length("proposals"), int)  # the broker answers
    response = client.get("/readyz")
    workers.worker_gone(hostname="all-queues@test")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "queues": "ok",
    }


@pytest.mark.django_db
def test_readyz_names_a_queue_with_waiting_work_that_no_live_worker_consumes(
    client, broker_mode, heartbeat_cache, monkeypatch
):
    health.heartbeat()
    waiting = {"proposals": 3, "webhooks": 2}
    monkeypatch.setattr(workers, "queue_length", lambda name: waiting.get(name, 0))
    workers.worker_alive(hostname="proposer@a", queues=["default", "matching"])
    workers.worker_alive(hostname="hooks@b", queues=["webhooks"])

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["queues"] == (
        "error: RuntimeError: proposals has 3 waiting task(s) and no running worker consumes "
        "it: start a worker with -Q proposals (or a plain `celery -A factcheck worker`, which "
        "consumes every queue)"
    )
    # A worker that shut down cleanly no longer counts as a consumer.
    workers.worker_gone(hostname="hooks@b")
    assert "webhooks has 2 waiting" in client.get("/readyz").json()["checks"]["queues"]

    workers.worker_alive(hostname="proposer@c", queues=["proposals", "webhooks"])
    assert client.get("/readyz").status_code == 200
    for name in ("proposer@a", "proposer@c"):
        workers.worker_gone(hostname=name)
