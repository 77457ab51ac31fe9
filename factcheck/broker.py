"""Kombu's Redis transport, with one Redis client per channel instead of one per command.

Kombu's Redis channel builds a new ``redis.Redis`` for every publish, every delivery's
bookkeeping and every ack (``Channel.conn_or_acquire``), and each ``redis.Redis()`` rebuilds
its ~170-entry response-callback table (redis/redis-py#3624). In the proposal worker that is
four clients per article, ~0.2 ms of CPU each when warm and about twice that in a busy
worker. A client only holds the connection pool and that table (every command checks a
connection out of the pool), so one client per channel serves all of them; a new pool (after
a reconnect) gets a new client. Selected in settings for ``redis://`` broker URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    """Redis channel whose synchronous commands share one client."""

    _shared_client: redis.Redis | None = None

    @contextmanager
    def conn_or_acquire(self, client: redis.Redis | None = None) -> Iterator[redis.Redis]:
        if client:
            yield client
            return
        pool = self.pool
        shared = self._shared_client
        if shared is None or shared.connection_pool is not pool:
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(kombu_redis.Transport):
    """The Redis transport with ``Channel`` above."""

    Channel = Channel
