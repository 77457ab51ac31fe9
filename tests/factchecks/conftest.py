"""Fixtures for the fact-check archive tests."""

import pytest


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    """Run tasks in-process even when CI points Celery at Redis (tests/worker/ has real ones)."""
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
