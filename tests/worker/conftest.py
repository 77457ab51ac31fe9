"""Fixtures for tests/worker: a private Redis per test and real worker processes.

Every process a test starts is killed by a finalizer, even when the test fails.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches

from tests.worker.helpers import RedisServer, SmtpSink, Worker, publishing_to


@pytest.fixture
def redis_server():
    """A private redis-server on a free port (the shared one on 6379 is never touched)."""
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This process publishes to the private Redis for the duration of the test."""
    with publishing_to(redis_server.url):
        yield redis_server


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Factory: start a `celery -A factcheck worker` on the test database; all killed after.

    Requests transactional_db so the workers are gone before the tables are flushed.
    """
    started: list[Worker] = []

    def start(broker_url: str, **kwargs) -> Worker:
        worker = Worker(broker_url=broker_url, log_dir=tmp_path, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def health_cache(broker, settings):
    """This process reads worker heartbeats where the test's workers write them."""
    settings.CACHES = {
        **settings.CACHES,
        settings.HEARTBEAT_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker.url,
        },
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return caches[settings.HEARTBEAT_CACHE_ALIAS]


@pytest.fixture
def smtp_sink():
    """A local SMTP server (aiosmtpd) on a free port, collecting what workers send it."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()
