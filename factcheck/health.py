"""Health probes for orchestrators and the worker heartbeat they read.

``/healthz`` (liveness) says the process serves requests and touches nothing else, so a
database outage does not get every web container restarted. ``/readyz`` (readiness) checks
what a request needs: the database, the broker, a worker that recently ran the periodic
``heartbeat`` task (so a stack whose beat or worker died stops reporting ready), and that no
queue has work waiting with no worker consuming it (a worker started with the wrong ``-Q``).
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "factcheck:worker-heartbeat"


def _heartbeat_cache():
    return caches[settings.HEARTBEAT_CACHE_ALIAS]


@shared_task(name="factcheck.health.heartbeat", ignore_result=True)
def heartbeat() -> float:
    """Record that a worker is alive and consuming: store the current time in the cache."""
    now = time.time()
    # Kept well past the max age, so readyz can tell "stale" (worker stopped) from "missing".
    _heartbeat_cache().set(
        HEARTBEAT_CACHE_KEY, now, timeout=settings.HEARTBEAT_MAX_AGE_SECONDS * 10
    )
    return now


@worker_ready.connect
def _beat_on_worker_start(**kwargs) -> None:
    # A freshly started worker is ready before beat's first tick. A cache outage must not
    # stop the worker from starting: readyz will report the missing heartbeat instead.
    try:
        heartbeat()
    except Exception:
        logger.exception("could not record the worker heartbeat at start-up")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
    return "ok"


def _check_worker() -> str:
    beat = _heartbeat_cache().get(HEARTBEAT_CACHE_KEY)
    if beat is None:
        raise RuntimeError("no worker heartbeat recorded")
    age = time.time() - float(beat)
    if age > settings.HEARTBEAT_MAX_AGE_SECONDS:
        raise RuntimeError(
            f"last worker heartbeat {age:.0f}s ago (max {settings.HEARTBEAT_MAX_AGE_SECONDS}s)"
        )
    return "ok"


def _check_queues() -> str:
    from factcheck import workers

    stuck = workers.queues_without_consumer()
    if stuck:
        raise RuntimeError(workers.describe_stuck_queues(stuck))
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    """Run the readiness checks; returns (all ok, {check: "ok" | "eager" | error})."""
    checks: dict[str, str] = {}
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    probes = [("database", _check_database)]
    if eager:
        # No broker configured: tasks run in-process, there is no broker or worker to wait for.
        checks["broker"] = checks["worker"] = checks["queues"] = "eager"
    else:
        probes += [("broker", _check_broker), ("worker", _check_worker), ("queues", _check_queues)]
    ok = True
    for name, probe in probes:
        try:
            checks[name] = probe()
        except Exception as exc:
            ok = False
            checks[name] = f"error: {exc.__class__.__name__}: {exc}"[:500]
            logger.warning("readiness check %s failed: %s", name, exc)
    return ok, checks


def healthz(request) -> JsonResponse:
    """Liveness: 200 while the process answers; checks nothing else on purpose."""
    return JsonResponse({"status": "ok"})


def readyz(request) -> JsonResponse:
    """Readiness: 200 when database, broker and worker heartbeat are fine, else 503."""
    ok, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
