"""Check-worthiness scorers: a transparent rule scorer and the shipped trained model.

``load_scorer(name)`` is the entry point; it returns an object following the
``types.Scorer`` protocol and caches one instance per name (loading the model
file is the slow part, so a worker pays it once).

Names:

- ``"rules"``: ``RuleScorer``, hand-written weights, no model file. Useful as a
  fallback and as a readable explanation of what "check-worthy" means.
- ``"default"``: the shipped trained model (``ModelScorer``) when its file is
  present, else the rule scorer. Trained on debate transcripts; ``score_sentences`` uses it.
- ``"news"``: the news scorer (``newshead.NewsScorer``): the trained model's text logit
  and news cues, calibrated on labelled news; articles are proposed with it. Without its
  file it falls back to ``"default"``.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import features as F
from .types import Scorer, ScoringItem

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_META_NAME = "checkworthiness.json"
MODEL_NPZ_NAME = "checkworthiness.npz"

# --------------------------------------------------------------------------- rules

# Each rule is (name, weight, pattern). The score is a logistic function of the
# bias plus the sum of the weights of the rules that fire (each rule counts once).
# Weights were set by hand so that a bare statement with one number or a named
# source crosses the threshold, and opinion/question markers pull it back below.
_RULES: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("percentage", 1.6, re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage points?\b", re.I)),
    (
        "money",
        1.5,
        re.compile(
            r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|yen)\b"
            r"|\b(?:million|billion|trillion)\b",
            re.I,
        ),
    ),
    ("year", 0.9, re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")),
    ("number", 1.2, re.compile(r"\b\d[\d,.]*\b|\b(?:hundreds?|thousands?|dozens?)\b", re.I)),
    (
        "number_word",
        0.5,
        re.compile(
            r"\b(?:two|three|four|five|six|seven|eight|nine|ten|twice|half|double[ds]?"
            r"|tripled?|quarter|third)\b",
            re.I,
        ),
    ),
    (
        "comparison",
        0.6,
        re.compile(
            r"\b(?:more|less|fewer|higher|lower|increased?|decreased?|rose|fell|grew"
            r"|dropped|largest|smallest|highest|lowest|record|most|least)\b",
            re.I,
        ),
    ),
    (
        "attribution",
        1.1,
        re.compile(
            r"\b(?:said|says|told|stated|claimed|claims|reported|reports|announced"
            r"|confirmed|denied|according to|estimated|found that|showed)\b",
            re.I,
        ),
    ),
    (
        "named_source",
        0.7,
        re.compile(
            r"\b(?:ministry|department|agency|government|police|court|report|study|survey"
            r"|census|bureau|commission|university|institute|office|spokes(?:wo)?man"
            r"|spokesperson|officials?)\b",
            re.I,
        ),
    ),
    # A capitalised word that is not the first word: a crude proxy for a named entity.
    ("proper_noun", 0.4, re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")),
    ("quote", 0.6, re.compile(r"[\"“”]")),
    (
        "event_verb",
        0.5,
        re.compile(
            r"\b(?:killed|arrested|elected|signed|passed|voted|launched|closed|opened"
            r"|cut|raised|banned|approved|died|injured|won|lost)\b",
            re.I,
        ),
    ),
    ("question", -2.5, re.compile(r"\?\s*[\"”']?\s*$")),
    (
        "opinion",
        -1.4,
        re.compile(
            r"\b(?:I think|I believe|I feel|in my (?:view|opinion)|we must|we should"
            r"|should|ought to|great|wonderful|terrible|amazing|beautiful|best|worst"
            r"|love|hope|wish|thank(?:s| you)?|congratulat\w*|proud)\b",
            re.I,
        ),
    ),
    (
        "boilerplate",
        -3.0,
        re.compile(
            r"\b(?:subscribe|newsletter|sign up|cookies?|all rights reserved|click here"
            r"|follow us|read more|advertisement|copyright)\b|©",
            re.I,
        ),
    ),
    ("imperative_first_person", -0.5, re.compile(r"^\s*(?:let's|let us|I|we)\b", re.I)),
)
_RULE_BIAS = -1.6
# Very short strings are fragments; long ones are not penalised.
_SHORT_WORDS = 6
_SHORT_PENALTY = -1.5


def rule_contributions(text: str) -> dict[str, float]:
    """Return the rule weights that fire for ``text`` (for explanations and tests)."""
    fired = {name: weight for name, weight, pattern in _RULES if pattern.search(text)}
    if len(text.split()) < _SHORT_WORDS:
        fired["short"] = _SHORT_PENALTY
    return fired


class RuleScorer:
    """Transparent rule-based check-worthiness scorer (no model file, no context)."""

    name = "rules"

    # Chosen on the ClaimBuster training rows (class-balanced): F1 0.76 at 0.2 against 0.56
    # at 0.5; the rules' AP there is 0.84 (the trained model's is 0.94).
    DEFAULT_THRESHOLD = 0.2

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def score_text(self, text: str) -> float:
        """Score one sentence: logistic of bias plus the weights of the rules that fire."""
        z = _RULE_BIAS + sum(rule_contributions(text).values())
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, items: Sequence[ScoringItem]) -> list[float]:
        """Score a batch; each item is scored on its own text only."""
        return [self.score_text(item.text) for item in items]


# --------------------------------------------------------------------------- loading

_CACHE: dict[str, Scorer] = {}
_LOCK = threading.Lock()


def _build(name: str) -> Scorer:
    if name == "rules":
        return RuleScorer()
    if name == "default":
        if (MODELS_DIR / MODEL_META_NAME).exists():
            return ModelScorer.from_dir(MODELS_DIR)
        return RuleScorer()
    if name == "news":
        from .newshead import NEWS_META_NAME, NewsHead, NewsScorer

        # Shares the debate model's instance (the embedding table is the memory cost);
        # the caller holds _LOCK, so this reads the cache directly.
        base = _CACHE.get("default") or _CACHE.setdefault("default", _build("default"))
        if isinstance(base, ModelScorer) and (MODELS_DIR / NEWS_META_NAME).exists():
            return NewsScorer(base, NewsHead.from_file(MODELS_DIR / NEWS_META_NAME))
        return base
    raise ValueError(f"unknown scorer {name!r}; expected 'news', 'default' or 'rules'")


def load_scorer(name: str = "default") -> Scorer:
    """Return the scorer called ``name``, built once per process and cached."""
    with _LOCK:
        scorer = _CACHE.get(name)
        if scorer is None:
            scorer = _CACHE[name] = _build(name)
        return scorer


def chunk_cache_stats() -> dict[str, float] | None:
    """The tokenizer chunk cache's hits, misses and hit rate in this process (None: no
    model scorer loaded). The scorers share one embedding table, so one cache."""
    with _LOCK:
        scorers = list(_CACHE.values())
    for scorer in scorers:
        base = getattr(scorer, "base", scorer)
        if isinstance(base, ModelScorer):
            return base.text.emb.cache_stats()
    return None


class ModelScorer:
    """The trained model: a text head plus, for sentences with document context, a shift.

    The text head (``features.BlendedHead``) blends a linear model over n-grams, hand
    features and the static embedding with a small convolutional network over the same
    static token vectors; both were distilled from a fine-tuned transformer at training
    time, which scoring never runs.

    Without context (no ``doc``, ``prev_text`` or ``next_text``) the score is the
    ClaimBuster-style text head: sigmoid(text logit), "check-worthy factual". With
    context it is sigmoid(text logit + shift), where the shift comes from the CheckThat!
    context head (neighbours' text logits, relative position, length) and is zero on
    average over the training debates, so the threshold keeps its meaning.
    """

    def __init__(self, text: F.BlendedHead, context: F.ContextHead, meta: dict) -> None:
        self.text = text
        self.context = context
        self.meta = meta
        self.version = meta["version"]
        self.name = f"model-{self.version}"
        self.threshold = float(meta["threshold"])

    @classmethod
    def from_dir(cls, directory: Path = MODELS_DIR) -> ModelScorer:
        """Load ``checkworthiness.json`` + ``.npz`` and the static embedding table."""
        meta = json.loads((directory / MODEL_META_NAME).read_text(encoding="utf-8"))
        if meta["features_version"] != F.FEATURES_VERSION:
            raise ValueError(
                f"model file has features_version {meta['features_version']}, "
                f"code has {F.FEATURES_VERSION}: retrain with train_claim_model"
            )
        emb = F.StaticEmbeddings.from_npz(directory / meta["embeddings"])
        with np.load(directory / MODEL_NPZ_NAME, allow_pickle=False) as z:
            text = F.BlendedHead.from_arrays(z, emb)
            context = F.ContextHead.from_arrays(z)
        return cls(text, context, meta)

    def score(self, items: Sequence[ScoringItem]) -> list[float]:
        """Score a batch; each text (and neighbour) is scored once per call."""
        if not items:
            return []
        # Deduplicate texts: in document order a sentence is its neighbours' neighbour.
        texts = {it.text: None for it in items}
        for it in items:
            if it.prev_text:
                texts[it.prev_text] = None
            if it.next_text:
                texts[it.next_text] = None
        uniq = list(texts)
        logit_of = dict(zip(uniq, self.text.logits(uniq).tolist(), strict=True))
        z = np.array([logit_of[it.text] for it in items])
        has_ctx = [i for i, it in enumerate(items) if _has_context(it)]
        if has_ctx:
            z[has_ctx] += self.context.shift([items[i] for i in has_ctx], logit_of)
        # Clipped so a pathological text cannot overflow exp (scores stay in [0, 1] anyway).
        return (1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))).tolist()


def _has_context(item: ScoringItem) -> bool:
    return item.doc is not None or item.prev_text is not None or item.next_text is not None
