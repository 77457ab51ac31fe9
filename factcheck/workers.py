"""Which Celery workers are alive, which queues they consume, and which run holds what.

Every worker process (the parent of a prefork pool) records itself in the health cache every
WORKER_HEARTBEAT_SECONDS, with the queues it consumes; the record expires after
WORKER_ALIVE_SECONDS, so a SIGKILLed worker, or a lost host, disappears within that time.
Celery's own worker heartbeats travel as events, which deployments often turn off
(``--without-heartbeat``); this one needs nothing but the cache /readyz already reads.

A task that marks an article running also records the worker's name for it (``run_started``):
the stale sweep then requeues an article whose worker is gone after seconds, instead of
waiting out the hard time limit or Redis's visibility timeout (see claims.tasks).
"""

from __future__ import annotations

import logging
import threading
import time

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

_WORKER_KEY = "factcheck:worker:{}"
# The names of workers seen lately, so readers can find their records without scanning Redis.
_REGISTRY_KEY = "factcheck:workers"
_RUN_KEY = "factcheck:run:{}:{}"


def _cache():
    return caches[settings.HEARTBEAT_CACHE_ALIAS]


def worker_alive(*, hostname: str, queues: list[str]) -> None:
    """Record that ``hostname`` is alive and consumes ``queues``, until WORKER_ALIVE_SECONDS."""
    cache = _cache()
    cache.set(
        _WORKER_KEY.format(hostname),
        {"queues": sorted(queues), "at": time.time()},
        timeout=settings.WORKER_ALIVE_SECONDS,
    )
    registry = cache.get(_REGISTRY_KEY) or []
    if hostname not in registry:
        # Two workers starting at once may each drop the other's name; each re-adds its own
        # on its next beat, so a name is missing for one interval at most.
        cache.set(_REGISTRY_KEY, sorted({*registry, hostname}), timeout=None)


def worker_gone(*, hostname: str) -> None:
    """Forget a worker that shut down cleanly (its tasks have finished)."""
    _cache().delete(_WORKER_KEY.format(hostname))


def live_workers() -> dict[str, list[str]]:
    """{worker name: queues it consumes} for every worker whose record has not expired."""
    cache = _cache()
    registry = cache.get(_REGISTRY_KEY) or []
    records = cache.get_many([_WORKER_KEY.format(h) for h in registry])
    live = {
        h: records[_WORKER_KEY.format(h)]["queues"]
        for h in registry
        if _WORKER_KEY.format(h) in records
    }
    if len(live) < len(registry):
        # Prune expired names (containers get new host names); a worker that is alive again
        # re-adds itself.
        cache.set(_REGISTRY_KEY, sorted(live), timeout=None)
    return live


def run_started(*, kind: str, key: int, hostname: str | None) -> None:
    """Note which worker runs ``kind`` for ``key`` (kept as long as a run may last)."""
    if not hostname:
        return  # eager, in-process: no worker to lose
    try:
        _cache().set(
            _RUN_KEY.format(kind, key), hostname, timeout=settings.CELERY_TASK_TIME_LIMIT + 60
        )
    except Exception:
        # Without the note the sweep falls back to the hard time limit; the run goes on.
        logger.warning("could not record the worker of %s %s", kind, key, exc_info=True)


def runs_without_live_worker(*, kind: str, keys: list[int]) -> list[int]:
    """Of ``keys``, those whose recorded worker is no longer alive (runs lost with it)."""
    if not keys:
        return []
    cache = _cache()
    owners = cache.get_many([_RUN_KEY.format(kind, k) for k in keys])
    if not owners:
        return []
    # Each owner's own record, not the registry: a worker that just started may not be
    # listed there yet.
    alive = cache.get_many([_WORKER_KEY.format(o) for o in set(owners.values())])
    return [
        k
        for k in keys
        if (owner := owners.get(_RUN_KEY.format(kind, k))) is not None
        and _WORKER_KEY.format(owner) not in alive
    ]


def queue_length(name: str) -> int | None:
    """Messages waiting in a broker queue; None when the broker cannot be asked."""
    from kombu.exceptions import ChannelError

    from factcheck.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # no broker: tasks run in-process
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
            try:
                return conn.default_channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:
                return 0  # never declared: nothing was ever queued there
    except Exception:
        logger.warning("could not read the length of queue %s", name, exc_info=True)
        return None


def queues_without_consumer() -> dict[str, int]:
    """{queue: waiting messages} for declared queues with work waiting and no live consumer."""
    from factcheck.celery import app

    consumed = {q for queues in live_workers().values() for q in queues}
    stuck = {}
    for name in app.amqp.queues:
        if name in consumed:
            continue
        waiting = queue_length(name)
        if waiting:
            stuck[name] = waiting
    return stuck


def describe_stuck_queues(stuck: dict[str, int]) -> str:
    """One sentence naming each stuck queue and how to serve it."""
    parts = [f"{name} has {count} waiting task(s)" for name, count in sorted(stuck.items())]
    return (
        "; ".join(parts)
        + " and no running worker consumes it: start a worker with -Q "
        + ",".join(sorted(stuck))
        + " (or a plain `celery -A factcheck worker`, which consumes every queue)"
    )


class _Beat(threading.Thread):
    """The worker's own heartbeat: a thread in the worker's main process."""

    def __init__(self, hostname: str, queues: list[str]):
        super().__init__(name="factcheck-worker-heartbeat", daemon=True)
        self.hostname, self.queues = hostname, queues
        self.stopped = threading.Event()

    def run(self) -> None:
        failing = False
        while not self.stopped.is_set():
            try:
                worker_alive(hostname=self.hostname, queues=self.queues)
                failing = False
            except Exception:
                # Redis down: log once per outage, keep trying; readyz reports the rest.
                if not failing:
                    logger.warning("could not record the worker's heartbeat", exc_info=True)
                failing = True
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)


_beat: _Beat | None = None


@worker_ready.connect
def _start_beat(sender=None, **kwargs) -> None:
    global _beat
    queues = list(sender.app.amqp.queues.consume_from)
    hostname = sender.hostname
    _beat = _Beat(hostname, queues)
    _beat.start()
    stray = {"proposals", "matching"} & set(queues)
    if "webhooks" in queues and stray:
        logger.warning(
            "this worker consumes webhooks and %s: a slow webhook receiver takes processes "
            "away from them; run deliveries in their own worker (-Q webhooks, see README)",
            ",".join(sorted(stray)),
        )


@worker_shutdown.connect
def _stop_beat(**kwargs) -> None:
    if _beat is not None:
        _beat.stopped.set()
        try:
            worker_gone(hostname=_beat.hostname)
        except Exception:
            logger.warning("could not remove the worker's heartbeat", exc_info=True)
