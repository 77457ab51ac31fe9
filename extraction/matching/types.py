"""What the matcher produces: quantities, claim signatures and match decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure a claim states: ``low``..``high`` in the base unit of ``unit``."""

    low: float
    high: float
    unit: str  # "count", "km", "m", "pct", "day", "hour", "usd"..., "date"
    category: str  # "evacuees", "troops", ... or "" when unknown
    head: str  # stem of the counted noun ("resid"), "" when none
    text: str  # the figure as written, for display
    qualifier: str = ""  # "over", "about", "under" or ""
    # Dates: (year, month, day) with 0 for a part the text does not give.
    date: tuple[int, int, int] | None = None

    @property
    def kind(self) -> str:
        """What the figure measures: the category, else the head noun, else the unit."""
        return self.category or self.head or self.unit


@dataclass(frozen=True, slots=True)
class ClaimSignature:
    """Everything the matcher needs of one claim, computed once by ``analyse``."""

    text: str
    tokens: tuple[str, ...]  # content stems in reading order
    proper: frozenset[str]  # stems written with a capital inside the sentence
    quantities: tuple[Quantity, ...]
    keys: frozenset[str]  # index keys for candidate retrieval
    fingerprint: str  # sha1 of the sorted distinct content stems

    @property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """The verdict of ``compare`` for one pair of claims."""

    relation: str  # "same" | "conflict"
    similarity: float
    conflicts: tuple[tuple[Quantity, Quantity], ...] = field(default_factory=tuple)


# A token weight: how much a shared token says (IDF, or the static fallback).
Weight = Callable[[str], float]
