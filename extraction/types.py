"""Dataclasses shared by every stage of the extraction pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

CLAIM_TYPES = ("quantity", "event", "quote", "causal", "prediction", "other")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One unit of text; ``body[start:end] == text`` always holds."""

    start: int
    end: int
    text: str
    paragraph: int = 0
    # "sentence", "heading", "byline", "boilerplate", "fragment"
    kind: str = "sentence"


@dataclass(frozen=True, slots=True)
class ScoringItem:
    """What a scorer sees of one sentence: its text plus optional context."""

    text: str
    doc: str | None = None
    speaker: str | None = None
    # Neighbouring sentences within the same doc, when known.
    prev_text: str | None = None
    next_text: str | None = None
    position: int | None = None  # index of the sentence within its doc
    doc_length: int | None = None  # number of sentences in the doc


class Scorer(Protocol):
    """Scores batches of sentences for check-worthiness in [0, 1]."""

    name: str
    threshold: float

    def score(self, items: Sequence[ScoringItem]) -> list[float]: ...


@dataclass(frozen=True, slots=True)
class SentenceProposal:
    """A scored sentence; ``checkworthy`` says whether it becomes a Claim."""

    start: int
    end: int
    text: str
    score: float
    checkworthy: bool
    claim_type: str = "other"
    claimer: str = ""
    kind: str = "sentence"


@dataclass(slots=True)
class ProposalResult:
    """Everything the pipeline found in one article."""

    language: str
    supported: bool
    scorer: str
    sentences: list[SentenceProposal] = field(default_factory=list)

    @property
    def claims(self) -> list[SentenceProposal]:
        return [s for s in self.sentences if s.checkworthy]
