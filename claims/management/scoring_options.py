"""The scorer and threshold the offline commands use: option, else setting, else the model's."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from claims.extraction.scoring import load_scorer
from claims.extraction.types import Scorer


def resolve_scorer(*, name: str | None, threshold: float | None) -> tuple[Scorer, float]:
    """The named (or configured) scorer and the threshold to propose at."""
    name = name or getattr(settings, "CLAIM_SCORER", "default")
    try:
        scorer = load_scorer(name)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if threshold is None:
        threshold = getattr(settings, "CLAIM_PROPOSAL_THRESHOLD", None)
    if threshold is None:
        threshold = scorer.threshold
    return scorer, threshold
