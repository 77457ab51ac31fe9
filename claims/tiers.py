"""Score tiers: what a reviewer sees first. A score reads as the probability that a
fact-checker would check the sentence; the tiers cut it at thresholds set in settings.

The defaults were chosen on the news validation (dev) split by ``python -m training.tiers``:
high is where precision on the check-worthy label stays >= 0.9 out of fold, medium is the
news proposal threshold (see extraction/models/MODEL_CARD.md, "Score tiers").
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

HIGH, MEDIUM, LOW = "high", "medium", "low"
TIERS = (HIGH, MEDIUM, LOW)
TIER_CHOICES = [(HIGH, "High"), (MEDIUM, "Medium"), (LOW, "Low")]
# Highest tier first: the article page lists its claims in this order.
TIER_RANK = {HIGH: 0, MEDIUM: 1, LOW: 2}


def tier_for_score(score: float) -> str:
    """The tier ("high", "medium" or "low") of a check-worthiness score."""
    if score >= settings.CLAIM_TIER_HIGH:
        return HIGH
    if score >= settings.CLAIM_TIER_MEDIUM:
        return MEDIUM
    return LOW


def tier_q(tier: str) -> Q:
    """The score range of a tier as a filter on ``score`` (a range on the queue index)."""
    if tier == HIGH:
        return Q(score__gte=settings.CLAIM_TIER_HIGH)
    if tier == MEDIUM:
        return Q(score__gte=settings.CLAIM_TIER_MEDIUM, score__lt=settings.CLAIM_TIER_HIGH)
    if tier == LOW:
        return Q(score__lt=settings.CLAIM_TIER_MEDIUM)
    raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}")
