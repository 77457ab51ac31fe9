from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from claims.services import claim_set_status
from publishing.services import publication_publish
from tests.factories import ArticleFactory, ClaimFactory

SITE = "https://facts.example.org"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Navigation badge counts are cached per user id: one test's count must not show in the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = SITE
    settings.PUBLISHER_NAME = "Harbour Fact Desk"
    settings.PUBLISHER_URL = "https://factdesk.example/"
    settings.PUBLIC_PAGE_MAX_AGE = 300


@pytest.fixture
def article(db):
    return ArticleFactory(published_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))


@pytest.fixture
def verified_claim(article, reviewer):
    claim = ClaimFactory(article=article, claimer="Dana Whitfield")
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def published_claim(verified_claim, reviewer):
    publication_publish(
        claim_id=verified_claim.pk,
        user=reviewer,
        rationale="The council's budget papers list $48 million for flood defences.",
    )
    verified_claim.refresh_from_db()
    return verified_claim


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    """Run tasks in-process even when CI points Celery at Redis (tests/worker/ has real ones)."""
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
