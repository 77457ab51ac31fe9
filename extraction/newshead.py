"""The news scorer: the debate model's text logit plus news cues, calibrated on news.

The shipped text head learnt "check-worthy" from political debate transcripts. On news it
ranks hard figures first but also rates analysis, speculation, aims and quoted opinion
high (issue #17). ``NewsHead`` is a logistic regression over that logit and the cue
features of ``newscues`` (hedges, aims, evaluation, analysis, attribution, specificity),
fitted on labelled news sentences, with a Platt calibration fitted on out-of-fold scores,
so a score reads as the probability that a fact-checker would list the sentence. Its
threshold was chosen on out-of-fold news scores (see ``training.news`` and the model card).

``NewsScorer`` is what articles are scored with (``load_scorer("news")``, the default
``CLAIM_SCORER``). Debate transcripts keep the debate model (``load_scorer("default")``):
its context head and threshold are what the debate benchmarks measure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .newscues import CUE_FEATURE_NAMES, cue_matrix
from .types import ScoringItem

NEWS_META_NAME = "news_head.json"
NEWS_FEATURE_NAMES: tuple[str, ...] = ("debate_logit", *CUE_FEATURE_NAMES)


def news_features(debate_logits: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """The raw feature matrix, in ``NEWS_FEATURE_NAMES`` order (training fits on it)."""
    return np.hstack([np.asarray(debate_logits, dtype=np.float64)[:, None], cue_matrix(texts)])


class NewsHead:
    """Standardised features -> logistic regression -> Platt calibration."""

    def __init__(self, meta: dict) -> None:
        if tuple(meta["features"]) != NEWS_FEATURE_NAMES:
            raise ValueError(
                f"news head features {meta['features']} differ from the code's "
                f"{list(NEWS_FEATURE_NAMES)}: retrain with train_claim_model --news"
            )
        self.meta = meta
        self.mean = np.asarray(meta["mean"], dtype=np.float64)
        self.scale = np.asarray(meta["scale"], dtype=np.float64)
        self.coef = np.asarray(meta["coef"], dtype=np.float64)
        self.intercept = float(meta["intercept"])
        self.platt = np.asarray(meta["platt"], dtype=np.float64)  # (slope, bias)
        self.threshold = float(meta["threshold"])
        self.version = str(meta["version"])

    @classmethod
    def from_file(cls, path: Path) -> NewsHead:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Uncalibrated log-odds of the regression."""
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = self.platt[0] * self.decision(x) + self.platt[1]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


class NewsScorer:
    """Scores news sentences on their own text (no context): the calibrated news head."""

    def __init__(self, base, head: NewsHead) -> None:
        # ``base`` is a scoring.ModelScorer; only its text head is used.
        self.base = base
        self.head = head
        self.version = f"{base.version}.{head.version}"
        self.name = f"news-{self.version}"
        self.threshold = head.threshold

    def score(self, items: Sequence[ScoringItem]) -> list[float]:
        """Calibrated probabilities that a checker would list each item's text."""
        if not items:
            return []
        uniq = list(dict.fromkeys(it.text for it in items))
        probs = self.head.probabilities(news_features(self.base.text.logits(uniq), uniq))
        prob_of = dict(zip(uniq, probs.tolist(), strict=True))
        return [prob_of[it.text] for it in items]
