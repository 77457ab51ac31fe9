"""Shared fixtures, and the skip rules for tests that need real services."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import EditorFactory, ReviewerFactory, UserFactory
from tests.receiver import Receiver

# The shared task's directory (seed articles, training data, its metric script) is not part of
# the repository: a public clone has nothing beside it. Every test that reads it is marked
# `shared` (or uses the `shared_dir` fixture, which marks it) and skips without it, naming the
# path, except under FACTCHECK_REQUIRE_SERVICES=1, where it fails.
SHARED_DIR = Path(
    os.environ.get("FACTCHECK_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
)

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
    "shared": (
        SHARED_DIR.is_dir,
        f"reads the shared data directory, not found at {SHARED_DIR} "
        "(set FACTCHECK_SHARED_DIR to where it is)",
    ),
}


def pytest_collection_modifyitems(config, items):
    available = {name: check() for name, (check, _) in _SERVICE_SKIPS.items()}
    # CI sets FACTCHECK_REQUIRE_SERVICES=1: there a missing service fails the run instead of
    # quietly skipping the tests that need it.
    required = os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1"
    for item in items:
        if "shared_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)
        for name, (_, reason) in _SERVICE_SKIPS.items():
            # `shared` by its marker alone: a test or parameter may be called "shared".
            needs = item.get_closest_marker(name) if name == "shared" else name in item.keywords
            if needs and not available[name]:
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
def shared_dir() -> Path:
    """The shared data directory (seeds, training data); a test using it is marked `shared`."""
    return SHARED_DIR


@pytest.fixture
def receiver(settings):
    """A local webhook receiver (tests.receiver), allowed although it is on 127.0.0.1."""
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def lenient_policy(db):
    """A verdict policy asking for nothing (no rationale, evidence or second reviewer), for
    tests about something else that set verdicts through the review page or API."""
    from claims.models import VerdictPolicy

    policy = VerdictPolicy.current()
    for field in VerdictPolicy._meta.get_fields():
        if field.name.endswith(("_needs_approval", "_needs_rationale", "_needs_evidence")):
            setattr(policy, field.name, False)
    policy.save()
    return policy


# A rationale and evidence that satisfy the default verdict policy (40+ characters, one link).
RATIONALE = "The council's published budget shows a different figure for that year."
EVIDENCE = [{"url": "https://council.example/budget-2024.pdf", "title": "Budget 2024"}]
