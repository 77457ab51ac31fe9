"""The desk layer: a small logistic regression a newsroom fits on its own reviewers' decisions.

Every reviewer decision is a label (dismissed = not a claim; verified, disputed, unconfirmed =
a claim). The layer sits on top of the shipped scorer: its inputs are the shipped calibrated
score (as a logit) and the news cue features the news head already computes
(``newscues.cue_matrix``), so it can learn what this desk checks that the shipped model does
not (or the reverse: a pattern the model likes and the desk always dismisses).

Pure: parameters in (a JSON-able dict, stored by the claims app in ``ClaimModelVersion``),
probabilities out. Fitting lives in ``claims.desk_model`` (it reads the decisions).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .newscues import CUE_FEATURE_NAMES, cue_matrix
from .types import Scorer, ScoringItem

DESK_FEATURE_NAMES: tuple[str, ...] = ("shipped_logit", *CUE_FEATURE_NAMES)
# Scores of exactly 0 or 1 would be infinite logits.
_EPS = 1e-4


def desk_features(shipped_scores: Sequence[float], texts: Sequence[str]) -> np.ndarray:
    """The layer's raw features in ``DESK_FEATURE_NAMES`` order."""
    p = np.clip(np.asarray(shipped_scores, dtype=np.float64), _EPS, 1 - _EPS)
    logit = np.log(p / (1 - p))
    return np.hstack([logit[:, None], cue_matrix(list(texts)).reshape(len(p), -1)])


class DeskLayer:
    """Standardised features -> logistic regression; ``threshold`` is its proposal cut-off."""

    def __init__(self, params: dict) -> None:
        if tuple(params.get("features", ())) != DESK_FEATURE_NAMES:
            raise ValueError(
                "desk layer features differ from the code's: retrain with "
                "train_claim_model --from-reviews"
            )
        self.params = params
        self.mean = np.asarray(params["mean"], dtype=np.float64)
        self.scale = np.asarray(params["scale"], dtype=np.float64)
        self.coef = np.asarray(params["coef"], dtype=np.float64)
        self.intercept = float(params["intercept"])
        self.threshold = float(params["threshold"])
        if not (
            self.mean.shape == self.scale.shape == self.coef.shape == (len(DESK_FEATURE_NAMES),)
        ):
            raise ValueError("desk layer parameters have the wrong shape")

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """P(the desk keeps the sentence as a claim) for a raw feature matrix."""
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))

    def rescore(self, shipped_scores: Sequence[float], texts: Sequence[str]) -> np.ndarray:
        """The desk's scores of sentences the shipped scorer scored ``shipped_scores``."""
        if not len(texts):
            return np.zeros(0)
        return self.probabilities(desk_features(shipped_scores, texts))


class DeskScorer:
    """The shipped scorer followed by a desk layer (``types.Scorer``)."""

    def __init__(self, base: Scorer, layer: DeskLayer, name: str) -> None:
        self.base = base
        self.layer = layer
        self.name = name
        self.threshold = layer.threshold

    def score(self, items: Sequence[ScoringItem]) -> list[float]:
        """The base scores, re-weighed by the desk layer."""
        if not items:
            return []
        base = self.base.score(items)
        return self.layer.rescore(base, [it.text for it in items]).tolist()
