"""Which scorer proposes claims, and at what threshold: one rule for the worker and the commands."""

from __future__ import annotations

from django.conf import settings

from extraction.scoring import load_scorer
from extraction.types import Scorer


def resolve_scorer(
    *, name: str | None = None, threshold: float | None = None
) -> tuple[Scorer, float]:
    """The named (else configured) scorer, and the threshold: given, else configured, else its own.

    Raises ValueError for an unknown scorer name.
    """
    scorer = load_scorer(name or settings.CLAIM_SCORER)
    if threshold is None:
        threshold = settings.CLAIM_PROPOSAL_THRESHOLD
    if threshold is None:
        threshold = scorer.threshold
    return scorer, threshold
