"""The matcher's tuned defaults, in one place: settings (CLAIM_MATCH_*) read them too."""

from __future__ import annotations

# Measured on the project's labelled pairs (tests/matching/corpus.py): see the README.
DEFAULT_SAME_THRESHOLD = 0.32
# Two figures are compared only when the rest of their sentences overlap at least this much:
# "76,000 evacuated from Kursk" vs "120,000 fled Kursk", not "76,000 evacuees" vs "120,000 fans".
DEFAULT_CONFLICT_CONTEXT_THRESHOLD = 0.12
# Figures within this relative difference are the same figure rounded (76,000 vs 75,500).
DEFAULT_ROUNDING_TOLERANCE = 0.05
