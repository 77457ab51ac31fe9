"""Score tiers: what a reviewer sees first. A score reads as the probability that a
fact-checker would check the sentence; the tiers cut it at thresholds set in settings."""

from __future__ import annotations

from django.conf import settings

HIGH, MEDIUM, LOW = "high", "medium", "low"
TIERS = (HIGH, MEDIUM, LOW)


def tier_for_score(score: float) -> str:
    """The tier ("high", "medium" or "low") of a check-worthiness score."""
    if score >= settings.CLAIM_TIER_HIGH:
        return HIGH
    if score >= settings.CLAIM_TIER_MEDIUM:
        return MEDIUM
    return LOW
