"""Matching runs after proposal, as its own task, and a sweep catches what was never matched."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.importing.readers import read_path
from articles.importing.types import ArticleDraft
from articles.services import article_import
from claims.models import Claim, ClaimMatch
from claims.tasks import match_unmatched_claims

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(settings.BASE_DIR) / "articles" / "demo"


@pytest.fixture(autouse=True)
def eager_tasks(monkeypatch):
    """Run the task chain in-process even when CI points Celery at Redis.

    Real workers consuming these queues are tested in tests/worker/; here the subject is what
    the tasks chain and sweep, not the broker.
    """
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _import(name):
    (draft,) = read_path(DEMO / name)
    assert isinstance(draft, ArticleDraft), draft
    return article_import(draft, imported_by=None)


def test_proposal_is_followed_by_matching_across_articles():
    _import("01_riverton_flood.txt")
    _import("02_riverton_recovery.txt")

    assert not Claim.objects.filter(matched_at__isnull=True).exists()
    relations = set(ClaimMatch.objects.values_list("relation", flat=True))
    # The two flood stories repeat the river level and disagree on how many were evacuated.
    assert relations == {"same", "conflict"}
    conflict = ClaimMatch.objects.get(relation="conflict")
    texts = {conflict.claim.text, conflict.other.text}
    assert any("4,200" in t for t in texts) and any("6,500" in t for t in texts)


def test_sweep_matches_claims_whose_matching_message_was_lost(monkeypatch):
    with monkeypatch.context() as lost:
        lost.setattr("claims.tasks.publish_matching", lambda article_id: None)
        _import("01_riverton_flood.txt")
        _import("02_riverton_recovery.txt")
    assert not ClaimMatch.objects.exists()

    # Too recent: the message may still be on its way.
    assert match_unmatched_claims() == 0
    Claim.objects.update(created_at=timezone.now() - timedelta(hours=1))

    assert match_unmatched_claims() == 2
    assert not Claim.objects.filter(matched_at__isnull=True).exists()
    assert ClaimMatch.objects.filter(relation="same").exists()
    assert match_unmatched_claims() == 0
