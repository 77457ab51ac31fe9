"""Conflicting figures and the verdict: ``find_conflicts``, ``compare``, ``best_matches``."""

from __future__ import annotations

from collections.abc import Iterable

from extraction.matching.defaults import (
    DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    DEFAULT_ROUNDING_TOLERANCE,
    DEFAULT_SAME_THRESHOLD,
)
from extraction.matching.lexicon import _CATEGORIES, _GENERIC_PEOPLE, _MEASURES, _PEOPLE_CATEGORIES
from extraction.matching.scoring import similarity
from extraction.matching.types import ClaimSignature, MatchDecision, Quantity, Weight

# --- Conflicts --------------------------------------------------------------------------------


def _differs(qa: Quantity, qb: Quantity, tolerance: float) -> bool:
    if qa.unit == "date":
        assert qa.date and qb.date
        # A part one side leaves out never conflicts: "August 6" vs "August 2024".
        return any(x and y and x != y for x, y in zip(qa.date, qb.date, strict=True))
    # Ranges overlap (with rounding slack) -> the same figure.
    slack = tolerance * max(abs(qa.high), abs(qb.high), 1e-9)
    return qa.high + slack < qb.low or qb.high + slack < qa.low


def _same_kind(qa: Quantity, qb: Quantity) -> bool:
    if qa.unit != qb.unit:
        return False
    if qa.category in _MEASURES and qa.category == qb.category:
        # Distances and durations of what? "12 km north" vs "a depth of 10 km" differ in kind.
        return not (qa.head and qb.head and qa.head != qb.head)
    if qa.category and qb.category:
        return qa.category == qb.category
    if not qa.category and not qb.category:
        return bool(qa.head) and qa.head == qb.head
    # "3,100 people" may be the "2,400 residents evacuated" of another article.
    known, other = (qa, qb) if qa.category else (qb, qa)
    return known.category in _PEOPLE_CATEGORIES and other.head in _GENERIC_PEOPLE


def _is_generic(qa: Quantity, qb: Quantity) -> bool:
    # Matched on a word like "people" rather than on what happened to them.
    return not (qa.category and qb.category) and (qa.head != qb.head or qa.head in _GENERIC_PEOPLE)


def find_conflicts(
    a: ClaimSignature, b: ClaimSignature, *, tolerance: float = DEFAULT_ROUNDING_TOLERANCE
) -> list[tuple[Quantity, Quantity]]:
    """Pairs of figures of the same kind whose values differ beyond rounding."""
    pairs = []
    for qa in a.quantities:
        same_kind = [qb for qb in b.quantities if _same_kind(qa, qb)]
        # One agreeing figure of that kind settles it: "76,000 ... 120,000" vs "120,000".
        if not same_kind or any(not _differs(qa, qb, tolerance) for qb in same_kind):
            continue
        pairs.extend((qa, qb) for qb in same_kind)
    return pairs


_KIND_STEMS = tuple(
    stem.strip() for _, stems in _CATEGORIES for stem in stems if " " not in stem.strip()
)


def _context_similarity(a: ClaimSignature, b: ClaimSignature, weight: Weight | None) -> float:
    """Similarity of the two sentences with their figures taken out: do they tell one story?"""

    def strip(sig: ClaimSignature, kind_words: bool) -> ClaimSignature:
        tokens = tuple(
            t
            for t in sig.tokens
            if not t[:1].isdigit() and not (kind_words and t.startswith(_KIND_STEMS))
        )
        return ClaimSignature(sig.text, tokens, sig.proper, (), frozenset(), sig.fingerprint + "~")

    context = similarity(strip(a, False), strip(b, False), weight=weight)
    if a.proper and b.proper and not a.proper & b.proper:
        # Different names (Eastmoor vs Brackley): the shared "evacuated" alone is not one story.
        context = min(context, similarity(strip(a, True), strip(b, True), weight=weight))
    return context


def compare(
    a: ClaimSignature,
    b: ClaimSignature,
    *,
    same_threshold: float = DEFAULT_SAME_THRESHOLD,
    conflict_context_threshold: float = DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    tolerance: float = DEFAULT_ROUNDING_TOLERANCE,
    weight: Weight | None = None,
    story: float = 0.0,
) -> MatchDecision | None:
    """Decide whether two claims are the same fact, conflicting figures, or unrelated (None).

    ``story`` is how alike the two claims' articles are (e.g. their titles' similarity). News
    often gives a figure in a sentence that no longer names the place ("6,500 people were
    evacuated from the town"): for two figures of the same specific kind, a shared story
    stands in for the sentence context the figure lacks.
    """
    score = similarity(a, b, weight=weight)
    conflicts = find_conflicts(a, b, tolerance=tolerance)
    if conflicts:
        sentence_context = _context_similarity(a, b, weight)
        # Dates and durations are everywhere; they conflict only inside the same story.
        needed = {
            "date": max(conflict_context_threshold, same_threshold * 0.8),
            "duration": max(conflict_context_threshold, same_threshold * 0.8),
            "population": max(conflict_context_threshold, same_threshold * 0.8),
        }
        # "3,100 people" only stands for "2,400 evacuees" when the sentences tell one story.
        generic = max(conflict_context_threshold, same_threshold * 0.6)

        def context_for(qa: Quantity, qb: Quantity) -> float:
            if _is_generic(qa, qb) or qa.category in needed:
                return sentence_context
            return max(sentence_context, story)

        kept = tuple(
            (qa, qb)
            for qa, qb in conflicts
            if context_for(qa, qb)
            >= (
                generic
                if _is_generic(qa, qb)
                else needed.get(qa.category, conflict_context_threshold)
            )
        )
        if kept:
            context = max(context_for(qa, qb) for qa, qb in kept)
            return MatchDecision("conflict", max(score, context), kept)
    if score >= same_threshold:
        return MatchDecision("same", score)
    return None


def best_matches(
    claim: ClaimSignature,
    candidates: Iterable[tuple[object, ClaimSignature]],
    **options: float,
) -> list[tuple[object, MatchDecision]]:
    """``compare`` one claim with many; the (id, decision) pairs that matched, best first."""
    out = []
    for ident, other in candidates:
        decision = compare(claim, other, **options)
        if decision is not None:
            out.append((ident, decision))
    out.sort(key=lambda pair: -pair[1].similarity)
    return out
