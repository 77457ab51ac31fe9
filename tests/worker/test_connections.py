"""factcheck.celery: database connections of worker processes across tasks."""

from __future__ import annotations

from types import SimpleNamespace

import django.db
import pytest

from factcheck.celery import _close_connections_after_failure, _refresh_old_connections


def _task(*, eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    made: list[str] = []
    monkeypatch.setattr(django.db, "close_old_connections", lambda: made.append("old"))
    monkeypatch.setattr(django.db.connections, "close_all", lambda: made.append("all"))
    return made


def test_a_task_starts_and_succeeds_under_djangos_rules_for_old_connections(calls):
    task = _task(eager=False)

    _refresh_old_connections(sender=task)
    _close_connections_after_failure(sender=task, state="SUCCESS")

    assert calls == ["old", "old"]


@pytest.mark.parametrize("state", ["FAILURE", "RETRY"])
def test_a_task_that_did_not_succeed_drops_every_connection(calls, state):
    _close_connections_after_failure(sender=_task(eager=False), state=state)

    assert calls == ["all"]


@pytest.mark.parametrize("state", ["SUCCESS", "FAILURE"])
def test_an_eager_task_leaves_the_callers_connection_alone(calls, state):
    task = _task(eager=True)

    _refresh_old_connections(sender=task)
    _close_connections_after_failure(sender=task, state=state)

    assert calls == []


def test_the_worker_settings_lift_celerys_connection_per_task():
    from factcheck.celery import app

    assert app.conf.get("CELERY_DB_REUSE_MAX")
