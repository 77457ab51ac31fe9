"""Feature extraction shared by check-worthiness training and inference.

Everything here is plain Python + numpy/scipy so the trained model can be applied
without scikit-learn objects: the training script fits vocabularies and weights
with scikit-learn, stores them as arrays, and ``scoring.ModelScorer`` rebuilds the
same features with these functions. Any change to an analyzer changes the
features, so the model file records ``FEATURES_VERSION`` and refuses a mismatch.
"""

from __future__ import annotations

from .embeddings import StaticEmbeddings, splits_at_spaces
from .hand import HAND_FEATURE_NAMES, hand_features, hand_features_by_regex, hand_matrix
from .heads import (
    CONTEXT_FEATURE_NAMES,
    BlendedHead,
    ContextHead,
    TextHead,
    context_matrix,
    student_logits,
)
from .text import (
    ANALYZERS,
    CHAR_NGRAM_RANGE,
    char_ngrams,
    number_shapes,
    number_shapes_by_sub,
    word_ngrams,
    word_tokens,
)
from .tfidf import CharGramIndex, TfidfTable, WordGramIndex, unique_counts

FEATURES_VERSION = 3

__all__ = [
    "ANALYZERS",
    "CHAR_NGRAM_RANGE",
    "CONTEXT_FEATURE_NAMES",
    "FEATURES_VERSION",
    "HAND_FEATURE_NAMES",
    "BlendedHead",
    "CharGramIndex",
    "ContextHead",
    "StaticEmbeddings",
    "TextHead",
    "TfidfTable",
    "WordGramIndex",
    "char_ngrams",
    "context_matrix",
    "hand_features",
    "hand_features_by_regex",
    "hand_matrix",
    "number_shapes",
    "number_shapes_by_sub",
    "splits_at_spaces",
    "student_logits",
    "unique_counts",
    "word_ngrams",
    "word_tokens",
]
