"""The matching sweep (matching.tasks.match_unmatched_claims): what it queues, and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim
from factcheck import workers
from matching.tasks import match_unmatched_claims
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _ago(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


@pytest.mark.parametrize(("matching_waiting", "swept"), [(0, 1), (7, 0), (None, 0)])
def test_the_matching_sweep_takes_unmatched_claims_soon_when_its_queue_is_empty(
    settings, monkeypatch, matching_waiting, swept
):
    settings.PROPOSAL_STALE_AFTER_SECONDS = 600
    settings.PROPOSAL_LOST_AFTER_SECONDS = 30
    sent: list[int] = []
    monkeypatch.setattr(
        "matching.tasks.publish_matching", lambda article_id, **kwargs: sent.append(article_id)
    )
    monkeypatch.setattr(workers, "queue_length", lambda name: {"matching": matching_waiting}[name])
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(created_at=_ago(60), matched_at=None)

    assert match_unmatched_claims() == swept
    assert sent == [claim.article_id] * swept
