"""Claim matching: is this sentence the same fact as that one, and do their figures disagree?

Plain Python, no Django. Three parts:

- ``analyse(text)`` turns a claim into a ``ClaimSignature``: normalised content tokens
  (case, punctuation, number words -> digits, "6 August" == "August 6", units, light
  stemming), index keys for candidate retrieval, a fingerprint for exact rewordings, and the
  quantities it states (value, unit, head noun, category such as evacuees or troops).
- ``similarity(a, b)`` in [0, 1]: a blend of weighted token overlap (Dice and containment,
  so a short claim inside a longer sentence still scores), shared content bigrams (phrases
  survive rewording), character 4-grams (morphology: Ukraine/Ukrainian, captured/capture) and
  a bonus for the longest run of shared words ("foreign army on Russian soil since World War
  II" inside two different sentences). Token weights favour numbers and dates; callers pass
  an IDF ``weight`` (``idf_weight``/``corpus_weight``), which the thresholds are tuned with.
- ``find_differences(a, b)`` pairs quantities of the same kind (same category or head noun)
  whose values differ beyond rounding and beyond their hedges ("more than", "about", "up
  to"); across two articles' dates a running tally that grew "differs by date" instead of
  conflicting. ``compare`` combines both into a ``MatchDecision`` ("same", "conflict" or
  "differs_by_date") that carries its evidence (``MatchEvidence``: shared names, figures and
  dates, similarities, the differences) and a confidence in [0, 1].

Lexical on purpose: it is transparent, fast (about 0.1 ms a pair) and needs no model file.
"""

from extraction.matching.compare import (
    best_matches,
    compare,
    conflict_confidence,
    find_conflicts,
    find_differences,
    same_confidence,
    shared_figures,
    shared_names,
)
from extraction.matching.defaults import (
    DEFAULT_CONFLICT_CONTEXT_THRESHOLD,
    DEFAULT_ROUNDING_TOLERANCE,
    DEFAULT_SAME_THRESHOLD,
)
from extraction.matching.normalise import _number, normalise
from extraction.matching.scoring import (
    analyse,
    corpus_weight,
    idf_weight,
    similarity,
    static_weight,
)
from extraction.matching.types import (
    ClaimSignature,
    FigureDifference,
    MatchDecision,
    MatchEvidence,
    Quantity,
    Weight,
    explanation_summary,
)

__all__ = [
    "DEFAULT_CONFLICT_CONTEXT_THRESHOLD",
    "DEFAULT_ROUNDING_TOLERANCE",
    "DEFAULT_SAME_THRESHOLD",
    "ClaimSignature",
    "FigureDifference",
    "MatchDecision",
    "MatchEvidence",
    "Quantity",
    "Weight",
    "_number",
    "analyse",
    "best_matches",
    "compare",
    "conflict_confidence",
    "corpus_weight",
    "explanation_summary",
    "find_conflicts",
    "find_differences",
    "idf_weight",
    "normalise",
    "same_confidence",
    "shared_figures",
    "shared_names",
    "similarity",
    "static_weight",
]
