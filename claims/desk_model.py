"""Learning from the desk: model versions, the active proposal scorer, and the desk layer's fit.

Every reviewer decision is a label: dismissed = not a claim; verified, disputed, unconfirmed =
a claim. ``desk_model_train`` fits ``extraction.desk.DeskLayer`` on those decisions on top of
the shipped scorer, reports cross-validated figures before (the shipped model alone) and
after, keeps a fixed share of the decisions back (whole articles, never single sentences:
sentences of one article share a writer, a topic and a reviewer) and activates the new layer
only if it is better there too. ``ClaimModelVersion`` rows keep every version with its
figures; ``model_version_activate`` rolls back to any of them.

Runtime code (the admin action calls it), so it lives here and not in ``training/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, ClaimModelVersion, ClaimStatus
from extraction.desk import DESK_FEATURE_NAMES, DeskLayer, DeskScorer, desk_features
from extraction.scoring import load_scorer
from extraction.types import Scorer, ScoringItem

logger = logging.getLogger(__name__)

KIND = ClaimModelVersion.Kind
CLAIM_LABELS = frozenset({ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNCONFIRMED})
# Each class needs this many decisions, whatever DESK_MODEL_MIN_DECISIONS says: a layer that
# saw three dismissals has learnt nothing about what this desk dismisses.
MIN_PER_CLASS = 10
# The desk layer keeps this share of the desk's claims (out of fold) at its threshold, as the
# news threshold keeps 96% of the labelled check-worthy sentences.
RECALL_TARGET = 0.95
C = 1.0  # inverse L2 strength of the layer's logistic regression
MAX_FOLDS = 5


# --------------------------------------------------------------------------- versions


def shipped_scorer() -> Scorer:
    """The shipped scorer proposals are built on (settings.CLAIM_SCORER)."""
    return load_scorer(settings.CLAIM_SCORER)


def model_version_shipped() -> ClaimModelVersion:
    """The shipped model's version row, created on first use (active if nothing else is)."""
    name = shipped_scorer().name[:100]
    version = ClaimModelVersion.objects.filter(name=name).first()
    if version is None:
        try:
            with transaction.atomic():
                version = ClaimModelVersion.objects.create(
                    name=name,
                    kind=KIND.SHIPPED,
                    active=not ClaimModelVersion.objects.filter(active=True).exists(),
                    note="The model shipped with factcheck.",
                )
        except IntegrityError:
            # Another process created it (or activated another version) meanwhile.
            version = ClaimModelVersion.objects.filter(name=name).first()
            if version is None:
                version = ClaimModelVersion.objects.create(name=name, kind=KIND.SHIPPED)
    return version


def active_model_version() -> ClaimModelVersion:
    """The active version; the shipped one (activated) when none is.

    When the shipped model is active but a different shipped model is deployed now (retrained,
    or CLAIM_SCORER changed), the new one gets its own row and becomes the active one.
    """
    version = ClaimModelVersion.objects.filter(active=True).first()
    if version is not None and (
        version.kind == KIND.DESK or version.name == shipped_scorer().name[:100]
    ):
        return version
    shipped = model_version_shipped()
    if not shipped.active:
        try:
            return model_version_activate(version_id=shipped.pk)
        except IntegrityError:
            pass
    return ClaimModelVersion.objects.get(active=True)


def model_version_activate(*, version_id: int) -> ClaimModelVersion:
    """Make one version the active one (rollback included); the others are deactivated."""
    with transaction.atomic():
        # Lock the active row and the target: two activations at once end with one winner,
        # and the partial unique index refuses a second active row whatever happens.
        target = ClaimModelVersion.objects.select_for_update().get(pk=version_id)
        if target.kind == KIND.DESK:
            DeskLayer(target.parameters)  # refuse parameters the code cannot read
        list(ClaimModelVersion.objects.select_for_update().filter(active=True))
        ClaimModelVersion.objects.filter(active=True).exclude(pk=target.pk).update(active=False)
        if not target.active:
            target.active = True
            target.save(update_fields=["active"])
    logger.info("model version %s activated", target.name)
    return target


_SCORERS: dict[tuple[int, str], Scorer] = {}
_LOCK = threading.Lock()


def proposal_scorer() -> tuple[Scorer, ClaimModelVersion]:
    """The scorer proposal uses now (the active version's) and that version."""
    version = active_model_version()
    base = shipped_scorer()
    if version.kind != KIND.DESK:
        return base, version
    key = (version.pk, base.name)
    with _LOCK:
        scorer = _SCORERS.get(key)
        if scorer is None:
            scorer = _SCORERS[key] = DeskScorer(
                base, DeskLayer(version.parameters), name=version.name
            )
    return scorer, version


# --------------------------------------------------------------------------- training


@dataclass
class DeskTrainingResult:
    """What ``desk_model_train`` did: the stored version (if any) and why."""

    message: str
    version: ClaimModelVersion | None = None
    activated: bool = False
    figures: dict = field(default_factory=dict)


def desk_decisions() -> list[tuple[str, int, int]]:
    """Every reviewer decision as (sentence, label, article id), in a stable order."""
    rows = (
        Claim.objects.filter(status__in=[ClaimStatus.DISMISSED, *CLAIM_LABELS])
        .order_by("article_id", "start")
        .values_list("text", "status", "article_id")
    )
    return [(text, int(status in CLAIM_LABELS), article) for text, status, article in rows]


def _article_rank(article_id: int) -> str:
    # A fixed pseudo-random order of articles: the held-back set is the same on every run
    # until new articles arrive, and does not follow import order (time, source).
    return hashlib.sha256(f"desk-holdout:{article_id}".encode()).hexdigest()


def holdout_articles(article_ids: list[int], share: float) -> set[int]:
    """The fixed share of articles whose decisions are held back (at least one)."""
    ranked = sorted(set(article_ids), key=_article_rank)
    count = max(1, round(share * len(ranked)))
    return set(ranked[:count])


def _fit(x: np.ndarray, y: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y)
    return {
        "features": list(DESK_FEATURE_NAMES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": lr.coef_[0].tolist(),
        "intercept": float(lr.intercept_[0]),
        "threshold": 0.5,
    }


def recall_threshold(y: np.ndarray, p: np.ndarray, recall: float = RECALL_TARGET) -> float:
    """The highest score keeping at least ``recall`` of the positives (rounded down, 3 dp)."""
    pos = np.sort(p[y == 1])
    keep = int(np.ceil(recall * len(pos)))
    return float(np.floor(pos[len(pos) - keep] * 1000) / 1000)


def figures(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    """Average precision, and precision / recall / F1 of proposing at ``threshold``."""
    from sklearn.metrics import average_precision_score

    proposed = p >= threshold
    tp = int((proposed & (y == 1)).sum())
    precision = tp / max(1, int(proposed.sum()))
    recall = tp / max(1, int((y == 1).sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "decisions": len(y),
        "claims": int(y.sum()),
        "ap": round(float(average_precision_score(y, p)), 4),
        "f1": round(f1, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "threshold": round(float(threshold), 4),
    }


def _not_enough(n: int, positives: int, minimum: int) -> str:
    if n < minimum:
        return (
            f"Only {n} reviewer decision{'s' if n != 1 else ''} so far; the desk layer needs at "
            f"least {minimum} (DESK_MODEL_MIN_DECISIONS). Nothing changed."
        )
    if min(positives, n - positives) < MIN_PER_CLASS:
        return (
            f"{positives} claims kept and {n - positives} dismissed: the desk layer needs at "
            f"least {MIN_PER_CLASS} of each. Nothing changed."
        )
    return ""


def desk_model_train(
    *, min_decisions: int | None = None, holdout_share: float | None = None
) -> DeskTrainingResult:
    """Fit a desk layer on the reviewers' decisions; store it, and activate it if it is better.

    Better means: average precision on the held-back articles at least DESK_MODEL_MIN_GAIN
    above the shipped model's, the same gain out of fold on the rest, and F1 on the held-back
    articles no worse. Too few decisions: nothing is stored, and the message says why.
    """
    from sklearn.model_selection import GroupKFold

    minimum = settings.DESK_MODEL_MIN_DECISIONS if min_decisions is None else min_decisions
    share = settings.DESK_MODEL_HOLDOUT_SHARE if holdout_share is None else holdout_share
    gain = settings.DESK_MODEL_MIN_GAIN
    decisions = desk_decisions()
    y = np.array([label for _, label, _ in decisions], dtype=int)
    reason = _not_enough(len(y), int(y.sum()), minimum)
    if reason:
        return DeskTrainingResult(message=reason)

    texts = [text for text, _, _ in decisions]
    articles = np.array([article for _, _, article in decisions])
    shipped = shipped_scorer()
    cutoff = settings.CLAIM_PROPOSAL_THRESHOLD
    cutoff = shipped.threshold if cutoff is None else cutoff
    base = np.asarray(shipped.score([ScoringItem(text=t) for t in texts]), dtype=np.float64)
    x = desk_features(base, texts)

    held = np.isin(articles, sorted(holdout_articles(articles.tolist(), share)))
    train = ~held
    for part, name in ((held, "held-back"), (train, "training")):
        if len(set(y[part].tolist())) < 2:
            return DeskTrainingResult(
                message=f"The {name} articles hold only one kind of decision; the layer cannot "
                "be compared fairly. Nothing changed (more reviewed articles will fix this)."
            )
    x_train, y_train, groups = x[train], y[train], articles[train]
    folds = min(MAX_FOLDS, len(set(groups.tolist())))
    if folds < 2:
        return DeskTrainingResult(
            message="All training decisions come from one article; nothing changed."
        )
    oof = np.zeros(len(y_train))
    for fit_idx, test_idx in GroupKFold(n_splits=folds).split(x_train, y_train, groups):
        if len(set(y_train[fit_idx].tolist())) < 2:
            oof[test_idx] = float(y_train[fit_idx].mean())
            continue
        oof[test_idx] = DeskLayer(_fit(x_train[fit_idx], y_train[fit_idx])).probabilities(
            x_train[test_idx]
        )
    threshold = recall_threshold(y_train, oof)
    params = {**_fit(x_train, y_train), "threshold": threshold}
    layer = DeskLayer(params)
    after_held = layer.probabilities(x[held])
    result_figures = {
        "cross_validated": {
            "folds": folds,
            "before": figures(y_train, base[train], cutoff),
            "after": figures(y_train, oof, threshold),
        },
        "held_back": {
            "share": share,
            "articles": len(set(articles[held].tolist())),
            "before": figures(y[held], base[held], cutoff),
            "after": figures(y[held], after_held, threshold),
        },
        "min_gain": gain,
        "shipped": shipped.name,
    }
    cv, hb = result_figures["cross_validated"], result_figures["held_back"]
    better = (
        hb["after"]["ap"] >= hb["before"]["ap"] + gain
        and cv["after"]["ap"] >= cv["before"]["ap"] + gain
        and hb["after"]["f1"] >= hb["before"]["f1"]
    )
    note = (
        f"held-back AP {hb['before']['ap']:.3f} -> {hb['after']['ap']:.3f}, "
        f"F1 {hb['before']['f1']:.3f} -> {hb['after']['f1']:.3f}; cross-validated AP "
        f"{cv['before']['ap']:.3f} -> {cv['after']['ap']:.3f}. "
    )
    note += (
        "Better than the shipped model: activated."
        if better
        else f"Not better by {gain} AP on both: kept inactive."
    )
    blob = json.dumps(params, sort_keys=True).encode()
    name = f"desk-{timezone.now():%Y%m%d-%H%M%S}-{hashlib.sha256(blob).hexdigest()[:6]}"
    model_version_shipped()  # the version to roll back to exists before the first desk layer
    version = ClaimModelVersion.objects.create(
        name=name,
        kind=KIND.DESK,
        parameters=params,
        figures=result_figures,
        trained_on=len(y),
        note=note,
    )
    if better:
        version = model_version_activate(version_id=version.pk)
    logger.info("desk layer %s: %s", name, note)
    return DeskTrainingResult(
        message=f"{name}: {note}", version=version, activated=better, figures=result_figures
    )
