"""Conflicting figures and the verdict: ``find_conflicts``, ``compare``, ``best_matches``."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from extraction.matching.defaults import (
    DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    DEFAULT_ROUNDING_TOLERANCE,
    DEFAULT_SAME_THRESHOLD,
)
from extraction.matching.lexicon import _CATEGORIES, _GENERIC_PEOPLE, _MEASURES, _PEOPLE_CATEGORIES
from extraction.matching.scoring import similarity, token_stem
from extraction.matching.types import (
    ClaimSignature,
    FigureDifference,
    MatchDecision,
    MatchEvidence,
    Quantity,
    Weight,
)

# --- Conflicts --------------------------------------------------------------------------------

# "about 200" is a reporter's round figure: within a tenth of the true one.
_ABOUT = 0.1
# Running tallies: counts of people and things that only grow as a story goes on (evacuees,
# deaths, homes destroyed). A depth, a cost or a percentage is fixed: a later, larger one conflicts.
_TALLIES = _PEOPLE_CATEGORIES | frozenset({"homes", "settlements", "vehicles", "vessels"})


def _bounds(q: Quantity, tolerance: float) -> tuple[float, float]:
    """The values a figure allows, its hedge included: "more than 76,000" is [76,000, inf)."""
    slack = tolerance * max(abs(q.low), abs(q.high), 1e-9)
    if q.qualifier == "over":
        return q.low - slack, math.inf
    if q.qualifier == "under":
        return -math.inf, q.high + slack
    if q.qualifier == "about":
        return q.low * (1 - _ABOUT) - slack, q.high * (1 + _ABOUT) + slack
    return q.low - slack, q.high + slack


def _named(q: Quantity) -> float:
    return (q.low + q.high) / 2


def _close(x: float, y: float, tolerance: float) -> bool:
    return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)


def _differs(qa: Quantity, qb: Quantity, tolerance: float) -> bool:
    """Whether two figures cannot both hold: dates that differ, or value ranges that do not meet."""
    if qa.unit == "date":
        assert qa.date and qb.date
        # A part one side leaves out never conflicts: "August 6" vs "August 2024".
        return any(x and y and x != y for x, y in zip(qa.date, qb.date, strict=True))
    low_a, high_a = _bounds(qa, tolerance)
    low_b, high_b = _bounds(qb, tolerance)
    return high_a < low_b or high_b < low_a


def _is_tally(q: Quantity) -> bool:
    return q.unit == "count" and (q.category in _TALLIES or q.head in _GENERIC_PEOPLE)


def _classify(qa: Quantity, qb: Quantity, tolerance: float, order: int) -> str | None:
    """None when the figures agree, else "conflict" or "differs_by_date".

    ``order`` is -1 when claim a's article is the earlier, 1 when it is the later, 0 for the
    same day or unknown dates. Across days a tally that grew (or two lower bounds: "more than
    76,000" then "more than 120,000") differs by date; a tally that shrank beyond its hedges
    conflicts (a count revised down is worth a look).
    """
    if qa.unit == "date":
        return "conflict" if _differs(qa, qb, tolerance) else None
    named_a, named_b = _named(qa), _named(qb)
    if _close(named_a, named_b, tolerance):
        return None  # the same figure, rounded
    consistent = not _differs(qa, qb, tolerance)
    if order and _is_tally(qa) and _is_tally(qb):
        earlier, later = (qa, qb) if order < 0 else (qb, qa)
        if _named(later) >= _named(earlier):
            return "differs_by_date"
        if earlier.qualifier == later.qualifier == "over":
            return "differs_by_date"
    return None if consistent else "conflict"


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


def find_differences(
    a: ClaimSignature,
    b: ClaimSignature,
    *,
    tolerance: float = DEFAULT_ROUNDING_TOLERANCE,
    order: int = 0,
) -> list[tuple[Quantity, Quantity, str]]:
    """Figures of the same kind that differ: (figure in a, figure in b, verdict), verdict being
    "conflict" or "differs_by_date" (see ``_classify``; ``order`` says which article is later).
    """
    out = []
    for qa in a.quantities:
        same_kind = [qb for qb in b.quantities if _same_kind(qa, qb)]
        verdicts = [(qb, _classify(qa, qb, tolerance, order)) for qb in same_kind]
        # One agreeing figure of that kind settles it: "76,000 ... 120,000" vs "120,000".
        if not verdicts or any(v is None for _, v in verdicts):
            continue
        out.extend((qa, qb, v) for qb, v in verdicts if v is not None)
    return out


def find_conflicts(
    a: ClaimSignature,
    b: ClaimSignature,
    *,
    tolerance: float = DEFAULT_ROUNDING_TOLERANCE,
    order: int = 0,
) -> list[tuple[Quantity, Quantity]]:
    """Pairs of figures of the same kind that cannot both hold (hedges and dates considered)."""
    return [
        (qa, qb)
        for qa, qb, verdict in find_differences(a, b, tolerance=tolerance, order=order)
        if verdict == "conflict"
    ]


def shared_figures(
    a: ClaimSignature, b: ClaimSignature, *, tolerance: float = DEFAULT_ROUNDING_TOLERANCE
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(figures, dates) both claims give, as claim a writes them."""
    figures: list[str] = []
    dates: list[str] = []
    for qa in a.quantities:
        # The same figure (rounding aside), not merely a compatible one: "over 76,000" and
        # "over 120,000" agree, but share no figure.
        if any(
            _same_kind(qa, qb)
            and _classify(qa, qb, tolerance, 0) is None
            and (qa.unit == "date" or _close(_named(qa), _named(qb), tolerance))
            for qb in b.quantities
        ):
            (dates if qa.unit == "date" else figures).append(qa.text)
    return tuple(dict.fromkeys(figures)), tuple(dict.fromkeys(dates))


_NAME_WORD = re.compile(r"[^\W\d_]+")


def shared_names(a: ClaimSignature, b: ClaimSignature) -> tuple[str, ...]:
    """Names both claims write (capitalised inside the sentence), as claim a spells them."""
    common = a.proper & b.proper
    if not common:
        return ()
    out: dict[str, str] = {}
    for i, word in enumerate(_NAME_WORD.findall(unicodedata.normalize("NFKC", a.text))):
        if i == 0 or not word[:1].isupper():
            continue
        if token_stem(word.casefold()) in common:
            out.setdefault(word.casefold(), word)
    return tuple(out.values())


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


def _order(published: tuple[date | None, date | None] | None) -> int:
    """-1 when claim a's article is from an earlier day than b's, 1 when later, else 0."""
    if not published or published[0] is None or published[1] is None:
        return 0
    day_a, day_b = (d.date() if isinstance(d, datetime) else d for d in published)
    return (day_a > day_b) - (day_a < day_b)


def _clamp(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


def same_confidence(
    score: float,
    *,
    same_threshold: float,
    figures: int,
    dates: int,
    names: int,
) -> float:
    """How sure a "same" link is, in [0, 1]: the score's margin over the threshold, raised by
    each independent thing both claims state (a figure, a date, a name).

    A pair at the threshold with nothing else shared is 0.5; the figures are tuned on the
    labelled news pairs (``bench/match_quality.py``: precision by confidence).
    """
    base = min(1.0, max(0.0, 0.45 + (score - same_threshold) * 1.4))
    support = 0.16 * min(2, figures) + 0.08 * min(1, dates) + 0.04 * min(2, names)
    return _clamp(1 - (1 - base) * (1 - support))


def conflict_confidence(context: float, *, threshold: float, known_kinds: bool) -> float:
    """How sure a figure difference is about one quantity: the rest of the sentences alike."""
    base = 0.4 + (context - threshold) * 1.5
    return _clamp(base + (0.1 if known_kinds else 0.0))


def compare(
    a: ClaimSignature,
    b: ClaimSignature,
    *,
    same_threshold: float = DEFAULT_SAME_THRESHOLD,
    conflict_context_threshold: float = DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    tolerance: float = DEFAULT_ROUNDING_TOLERANCE,
    weight: Weight | None = None,
    story: float = 0.0,
    published: tuple[date | None, date | None] | None = None,
) -> MatchDecision | None:
    """Decide whether two claims are the same fact, differing figures, or unrelated (None).

    The decision carries its evidence (shared names, figures, dates, similarities, the figure
    differences) and a confidence in [0, 1]. ``story`` is how alike the two claims' articles
    are (e.g. their titles' similarity). News often gives a figure in a sentence that no
    longer names the place ("6,500 people were evacuated from the town"): for two figures of
    the same specific kind, a shared story stands in for the sentence context the figure
    lacks. ``published`` are the two articles' dates: a running tally that grew between them
    "differs by date" rather than conflicts.
    """
    score = similarity(a, b, weight=weight)
    differences = find_differences(a, b, tolerance=tolerance, order=_order(published))
    names = shared_names(a, b)
    figures, dates = shared_figures(a, b, tolerance=tolerance)
    if differences:
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

        kept = [
            (qa, qb, verdict)
            for qa, qb, verdict in differences
            if context_for(qa, qb)
            >= (
                generic
                if _is_generic(qa, qb)
                else needed.get(qa.category, conflict_context_threshold)
            )
        ]
        if kept:
            context = max(context_for(qa, qb) for qa, qb, _ in kept)
            relation = "conflict" if any(v == "conflict" for _, _, v in kept) else "differs_by_date"
            shown = [k for k in kept if k[2] == relation]
            confidence = conflict_confidence(
                context,
                threshold=conflict_context_threshold,
                known_kinds=all(qa.category and qb.category for qa, qb, _ in shown),
            )
            evidence = MatchEvidence(
                similarity=score,
                context=round(context, 4),
                names=names,
                figures=figures,
                dates=dates,
                differences=tuple(
                    FigureDifference(qa.text, qb.text, qa.category or qb.category or qa.kind, v)
                    for qa, qb, v in shown
                ),
                confidence=confidence,
            )
            return MatchDecision(
                relation,
                max(score, context),
                tuple((qa, qb) for qa, qb, _ in shown),
                confidence,
                evidence,
            )
    if score >= same_threshold:
        confidence = same_confidence(
            score,
            same_threshold=same_threshold,
            figures=len(figures),
            dates=len(dates),
            names=len(names),
        )
        evidence = MatchEvidence(
            similarity=score,
            context=score,
            names=names,
            figures=figures,
            dates=dates,
            confidence=confidence,
        )
        return MatchDecision("same", score, (), confidence, evidence)
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
