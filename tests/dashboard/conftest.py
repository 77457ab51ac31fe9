"""A small desk with fixed timestamps: what the dashboard's aggregates must say about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from claims.models import Claim, ClaimStatusChange
from claims.services import claim_set_status
from matching.models import ClaimMatch
from tests.factories import ArticleFactory, ClaimFactory, ReviewerFactory

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HERALD, TIMES = "Harbour Herald", "Valley Times"


def at(day: int, hour: int = 0, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def claim(article, n: int, created: datetime, **fields) -> Claim:
    """A claim over sentence n of the article, created at a fixed time."""
    sentences = article.body.split("\n\n")
    start = sum(len(s) + 2 for s in sentences[:n])
    c = ClaimFactory(article=article, start=start, end=start + len(sentences[n]))
    Claim.objects.filter(pk=c.pk).update(created_at=created, updated_at=created, **fields)
    c.refresh_from_db()
    return c


def verdict(c: Claim, status: str, user, when: datetime) -> None:
    """Give a verdict through the status service, then date its history row."""
    claim_set_status(claim_id=c.pk, to_status=status, user=user, note="Checked the release.")
    change = ClaimStatusChange.objects.filter(claim=c).order_by("-version").first()
    ClaimStatusChange.objects.filter(pk=change.pk).update(changed_at=when)
    Claim.objects.filter(pk=c.pk).update(updated_at=when)


@dataclass
class Desk:
    rita: object
    omar: object
    c1: Claim
    c2: Claim
    c3: Claim
    c4: Claim
    c5: Claim
    c6: Claim


@pytest.fixture
def desk(db) -> Desk:
    rita = ReviewerFactory(username="rita")
    omar = ReviewerFactory(username="omar")
    herald = ArticleFactory(source=HERALD)
    times = ArticleFactory(source=TIMES)
    c1 = claim(herald, 0, at(1, 10))  # verified after 6 h; re-check due on the 9th (below)
    c2 = claim(herald, 1, at(1, 11))  # disputed after 48 h, then verified (a re-review)
    c3 = claim(times, 0, at(2, 9))  # dismissed after 30 min
    c4 = claim(times, 1, at(10, 6))  # open, under a day old
    c5 = claim(herald, 2, at(5, 12))  # open, 5 days old
    c6 = claim(herald, 3, at(20, month=2), due_at=at(1))  # open, 18 days old, overdue
    verdict(c1, "verified", rita, at(1, 16))
    verdict(c2, "disputed", omar, at(3, 11))
    verdict(c2, "verified", rita, at(4, 9))
    verdict(c3, "dismissed", rita, at(2, 9, 30))
    # After the verdict: setting one dates its re-check itself (claims.deadlines), from now.
    Claim.objects.filter(pk=c1.pk).update(expires_at=at(9))
    ClaimMatch.objects.create(claim=c1, other=c3, similarity=0.9, relation="same")
    ClaimMatch.objects.create(claim=c2, other=c4, similarity=0.4, relation="conflict")
    ClaimMatch.objects.filter(claim=c1).update(created_at=at(2, 10))
    ClaimMatch.objects.filter(claim=c2).update(created_at=at(9, 10))
    return Desk(rita, omar, c1, c2, c3, c4, c5, c6)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The factories hash a password per user; the default hasher costs seconds on a busy box.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
