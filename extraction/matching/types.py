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
class FigureDifference:
    """Two figures of one kind that differ: a conflict, or a tally that "differs by date"."""

    mine: str  # the figure as the first claim writes it
    theirs: str
    kind: str  # what both count ("evacuees", "date", "km" ...)
    verdict: str  # "conflict" | "differs_by_date"


@dataclass(frozen=True, slots=True)
class MatchEvidence:
    """Why ``compare`` linked two claims: what they share, how alike they read, how sure it is.

    ``as_dict`` is the stored (JSON) form; ``summary`` the one line a reviewer reads.
    """

    similarity: float  # the whole sentences (``similarity``)
    context: float  # the sentences with their figures taken out
    names: tuple[str, ...] = ()  # names both write ("Kursk", "Sudzha"), as the first writes them
    figures: tuple[str, ...] = ()  # figures both give (within rounding or hedges)
    dates: tuple[str, ...] = ()  # dates both give
    differences: tuple[FigureDifference, ...] = ()
    confidence: float = 0.0

    def as_dict(self) -> dict:
        return {
            "similarity": self.similarity,
            "context": self.context,
            "names": list(self.names),
            "figures": list(self.figures),
            "dates": list(self.dates),
            "differences": [
                {"mine": d.mine, "theirs": d.theirs, "kind": d.kind, "verdict": d.verdict}
                for d in self.differences
            ],
            "confidence": self.confidence,
        }

    def summary(self) -> str:
        return explanation_summary(self.as_dict())


def explanation_summary(data: dict) -> str:
    """One line from a stored explanation: "Same figures: 76,000; same names: Kursk; ..."."""
    parts = []
    if data.get("figures"):
        parts.append("same figures: " + ", ".join(data["figures"]))
    if data.get("dates"):
        parts.append("same dates: " + ", ".join(data["dates"]))
    if data.get("names"):
        parts.append("same names: " + ", ".join(data["names"]))
    for d in data.get("differences") or ():
        label = "differs by date" if d.get("verdict") == "differs_by_date" else "conflict"
        parts.append(f"{label}: {d.get('mine')} vs {d.get('theirs')} ({d.get('kind')})")
    if "similarity" in data:
        parts.append(f"similarity {float(data['similarity']):.2f}")
    line = "; ".join(parts)
    if "confidence" in data:
        line += f" — confidence {float(data['confidence']):.2f}"
    return line[:1].upper() + line[1:]


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """The verdict of ``compare`` for one pair of claims, with its evidence."""

    relation: str  # "same" | "conflict" | "differs_by_date"
    similarity: float
    conflicts: tuple[tuple[Quantity, Quantity], ...] = field(default_factory=tuple)
    confidence: float = 0.0
    evidence: MatchEvidence | None = None


# A token weight: how much a shared token says (IDF, or the static fallback).
Weight = Callable[[str], float]
