"""The offline commands' scorer: claims.scoring's rule, with a command error for a bad name."""

from __future__ import annotations

from django.core.management.base import CommandError

from claims.scoring import resolve_scorer as _resolve
from extraction.types import Scorer


def resolve_scorer(*, name: str | None, threshold: float | None) -> tuple[Scorer, float]:
    """The scorer and threshold for a command's options; an unknown name is a CommandError."""
    try:
        return _resolve(name=name, threshold=threshold)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
