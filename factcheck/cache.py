"""The default cache: Redis shared by every web process, and this process's memory while it is down.

The default cache holds API token lookups and throttle counters: both are conveniences, and a
Redis outage must not turn every API request into a 500. While Redis does not answer, each
process serves those from its own memory (a token costs a query again, rate limits count per
process) and tries Redis again after ``RETRY_AFTER_SECONDS``. The outage and the recovery are
logged once per process, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _Outage:
    """Whether Redis at one URL is considered down, shared by this process's threads.

    Django builds a cache object per thread, so the state (and the "log once") lives here.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not tried
        self.down = False

    def failed(self, location: str, exc: Exception, retry_after: float) -> None:
        with self.lock:
            self.down_until = time.monotonic() + retry_after
            if self.down:
                return
            self.down = True
        logger.warning(
            "cache at %s unreachable (%s: %s): serving token lookups and rate limits from "
            "this process's memory until it answers again",
            location,
            type(exc).__name__,
            exc,
        )

    def recovered(self, location: str) -> bool:
        """Mark Redis as up again; True for the one caller that saw the change."""
        with self.lock:
            if not self.down:
                return False
            self.down = False
        logger.warning("cache at %s answers again: back to the shared cache", location)
        return True


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that falls back to process memory when Redis fails (see module doc)."""

    RETRY_AFTER_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outage_for(self._location)
        self._fallback = LocMemCache(f"redis-fallback:{self._location}", params)

    def _call(self, name: str, *args, **kwargs):
        outage = self._outage
        if outage.down and time.monotonic() < outage.down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            outage.failed(self._location, exc, self.RETRY_AFTER_SECONDS)
            return getattr(self._fallback, name)(*args, **kwargs)
        if outage.down and outage.recovered(self._location):
            # What was cached during the outage must not resurface in the next one.
            self._fallback.clear()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
