"""Shared fixtures, and the skip rules for tests that need real services."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.factories import EditorFactory, ReviewerFactory, UserFactory
from tests.receiver import Receiver

_SERVICE_SKIPS = {
    "postgres": (
        lambda: settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        "needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
    ),
    "redis": (
        lambda: bool(os.environ.get("CELERY_BROKER_URL")),
        "needs a Redis broker: set CELERY_BROKER_URL=redis://... (CI does)",
    ),
    "worker": (
        lambda: bool(os.environ.get("CELERY_BROKER_URL")),
        "starts Celery worker processes against Redis: set CELERY_BROKER_URL (CI does)",
    ),
    "browser": (
        lambda: os.path.exists(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")),
        "needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; CI does)",
    ),
}


def pytest_collection_modifyitems(config, items):
    available = {name: check() for name, (check, _) in _SERVICE_SKIPS.items()}
    # CI sets FACTCHECK_REQUIRE_SERVICES=1: there a missing service fails the run instead of
    # quietly skipping the tests that need it.
    required = os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1"
    for item in items:
        for name, (_, reason) in _SERVICE_SKIPS.items():
            if name in item.keywords and not available[name]:
                if required:
                    raise pytest.UsageError(f"{item.nodeid}: required service missing: {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="rita")


@pytest.fixture
def other_reviewer(db):
    return ReviewerFactory(username="omar")


@pytest.fixture
def editor(db):
    return EditorFactory(username="eddie")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="stella", is_staff=True, is_superuser=True)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def shared_dir():
    """../shared beside the repo (seeds, training data); tests using it skip without it."""
    if not settings.SHARED_DIR.is_dir():
        pytest.skip(f"../shared not found at {settings.SHARED_DIR}")
    return settings.SHARED_DIR


@pytest.fixture
def receiver(settings):
    """A local webhook receiver (tests.receiver), allowed although it is on 127.0.0.1."""
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server = Receiver()
    yield server
    server.close()
