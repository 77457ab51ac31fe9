"""Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Database connections in worker processes: kept across tasks under Django's own rules
# (CONN_MAX_AGE, CONN_HEALTH_CHECKS), as between two web requests. Celery's Django fixup
# would otherwise open a new connection for every task (CELERY_DB_REUSE_MAX lifts that); a
# new PostgreSQL backend costs ~5 ms of server CPU before it has run one query, as much as
# proposing a whole article. Any task that did not succeed (an error, a retry, a soft time
# limit that may have cut a query short) drops its connections: Django cannot always tell
# that such a connection is unusable, so the next task gets a fresh one.
@task_prerun.connect
def _refresh_old_connections(sender=None, **kwargs) -> None:
    if not _is_eager(sender):
        from django.db import close_old_connections

        close_old_connections()


@task_postrun.connect
def _close_connections_after_failure(sender=None, state=None, **kwargs) -> None:
    if _is_eager(sender):
        return  # in-process (tests, demo): the caller's connection and transaction
    from django.db import close_old_connections, connections

    if state == "SUCCESS":
        close_old_connections()
    else:
        connections.close_all()


def _is_eager(task) -> bool:
    return bool(getattr(getattr(task, "request", None), "is_eager", False))
