"""The API keeps answering while the Redis behind the default cache (CACHE_URL) is down.

Each test runs its own redis-server on a free port as CACHE_URL and stops it; the shared
Redis is never touched.
"""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from factcheck import cache as resilient
from factcheck.settings import default_cache
from tests.worker.helpers import RedisServer

CLAIMS = "/api/v1/claims/"


@pytest.fixture
def cache_redis():
    server = RedisServer().start()
    with override_settings(CACHES={"default": default_cache(server.url)}):
        yield server
    server.stop()


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == resilient.__name__]


def test_token_requests_succeed_while_the_cache_redis_is_down(
    cache_redis, read_token_client, caplog
):
    assert read_token_client.get(CLAIMS).status_code == 200
    # The token lookup was cached in this Redis: it is the cache in use.
    assert cache_redis.client().keys("*api-token*")

    cache_redis.stop()
    caplog.set_level(logging.WARNING, logger=resilient.__name__)
    responses = [read_token_client.get(CLAIMS) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1  # once, not per request
    assert "unreachable" in warnings[0]
    assert f"127.0.0.1:{cache_redis.port}" in warnings[0]


@override_settings(API_THROTTLE_RATES={"read": "2/min"})
def test_rate_limits_hold_per_process_while_the_cache_redis_is_down(cache_redis, read_token_client):
    cache_redis.stop()

    codes = [read_token_client.get(CLAIMS).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_imports_succeed_while_the_cache_redis_is_down(cache_redis, import_token_client):
    cache_redis.stop()

    response = import_token_client.post(
        "/api/v1/articles/",
        [{"title": "Harbour budget", "body": "The council approved $48 million for defences."}],
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["created"] == 1


def test_the_shared_cache_is_used_again_once_redis_answers(
    cache_redis, read_token_client, caplog, monkeypatch
):
    monkeypatch.setattr(resilient.ResilientRedisCache, "RETRY_AFTER_SECONDS", 0.0)
    cache_redis.stop()
    assert read_token_client.get(CLAIMS).status_code == 200

    caplog.set_level(logging.WARNING, logger=resilient.__name__)
    restarted = RedisServer(port=cache_redis.port).start()
    try:
        assert read_token_client.get(CLAIMS).status_code == 200
        assert restarted.client().keys("*api-token*")
    finally:
        restarted.stop()
    assert any("answers again" in m for m in _cache_warnings(caplog))
