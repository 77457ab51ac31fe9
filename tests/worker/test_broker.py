"""factcheck.broker: kombu's Redis transport with one Redis client per channel."""

from __future__ import annotations

import pytest
from kombu import Connection

from factcheck.broker import Transport

pytestmark = [pytest.mark.redis]


def test_redis_broker_urls_select_the_shared_client_transport(settings):
    from factcheck.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis://"):
        assert app.conf.broker_transport == "factcheck.broker:Transport"
        with app.connection_for_write() as conn:
            assert isinstance(conn.transport, Transport)


def test_a_channel_reuses_one_client_until_its_pool_is_replaced(redis_server):
    with Connection(redis_server.url, transport="factcheck.broker:Transport") as conn:
        channel = conn.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is second
            assert first.connection_pool is channel.pool

        channel._pool = None  # what kombu does when it drops its connections

        with channel.conn_or_acquire() as third:
            assert third is not first
            assert third.connection_pool is channel.pool
        given = object()
        with channel.conn_or_acquire(given) as passed:
            assert passed is given


def test_messages_published_and_acked_through_the_transport_arrive_once(redis_server):
    with Connection(redis_server.url, transport="factcheck.broker:Transport") as conn:
        queue = conn.SimpleQueue("broker-test")
        for n in range(3):
            queue.put({"n": n})
        received = []
        for _ in range(3):
            message = queue.get(timeout=5)
            received.append(message.payload["n"])
            message.ack()
        assert received == [0, 1, 2]
        # Nothing left queued, nor held back for the visibility-timeout restore.
        with conn.default_channel.conn_or_acquire() as client:
            assert client.llen("broker-test") == 0
            assert client.hlen("unacked") == 0
        queue.close()
