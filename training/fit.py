"""Fitting the heads: the two students of the text head, their blend, the context head."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from extraction import features as F
from extraction.conv import ConvHead
from extraction.types import ScoringItem

from . import teacher
from .augment import augment
from .conv_fit import fit_conv_head

SEED = 0
N_FOLDS = 5
TEXT_C = 4.0  # LR inverse regularisation, chosen by CV (1, 2, 4, 8 tried)
CONTEXT_C = 1.0
WORD_MIN_DF = 2
CHAR_MIN_DF = 3
# Distillation (see the model card): the teacher's logit, shifted to the class-balanced
# prior, becomes a soft label sigmoid(z / T) for texts the students learn from beside the
# hard ClaimBuster labels. Each soft set (CheckThat! lines, augmentations) carries as much
# total weight as the hard rows. T for the linear student: 1, 2, 4 tried on fold 0, 2 best;
# for the conv student: 1 beat 2 on each of folds 0-2 (+0.001-0.003 AP alone).
SOFT_T = 2.0
CONV_SOFT_T = 1.0
# The conv student's target on the ClaimBuster training rows: this share of the hard label,
# the rest the teacher's soft label (0.5 beat 0 and 1 on fold 0).
CONV_HARD_SHARE = 0.5


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class SoftSet(NamedTuple):
    """Texts with the teacher's soft labels (probabilities of "check-worthy factual")."""

    texts: list[str]
    probs: np.ndarray


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Per-row weights that give both classes the same total (sklearn's "balanced")."""
    n = len(y)
    pos = max(int(np.sum(y == 1)), 1)
    neg = max(int(np.sum(y == 0)), 1)
    return np.where(y == 1, n / (2 * pos), n / (2 * neg))


def fit_text_head(
    texts: Sequence[str], y: np.ndarray, emb: F.StaticEmbeddings, soft: Sequence[SoftSet] = ()
) -> F.TextHead:
    """Fit vocabularies + one logistic regression on the ClaimBuster-style label.

    Each soft set enters twice, as a positive weighted by p and a negative weighted by
    1 - p, which is the cross-entropy against the soft label.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    tables = []
    for analyzer, min_df in (("word", WORD_MIN_DF), ("char", CHAR_MIN_DF)):
        vec = TfidfVectorizer(analyzer=F.ANALYZERS[analyzer], min_df=min_df, sublinear_tf=True)
        vec.fit(texts)
        terms = vec.get_feature_names_out().tolist()
        tables.append(F.TfidfTable(terms, vec.idf_.astype(np.float32), analyzer))
    head = F.TextHead(tables[0], tables[1], emb, coef=None, intercept=0.0)
    blocks, labels, weights = [head.matrix(texts)], [y], [balanced_weights(y)]
    for s in soft:
        x = head.matrix(s.texts)
        w = len(y) / len(s.texts)
        blocks += [x, x]
        labels += [np.ones(len(s.texts)), np.zeros(len(s.texts))]
        weights += [w * s.probs, w * (1 - s.probs)]
    lr = LogisticRegression(C=TEXT_C, max_iter=5000)
    lr.fit(
        sparse.vstack(blocks).tocsr(), np.concatenate(labels), sample_weight=np.concatenate(weights)
    )
    head.coef = lr.coef_.ravel().astype(np.float64)
    head.intercept = float(lr.intercept_[0])
    return head


def fit_conv(
    texts: Sequence[str],
    y: np.ndarray,
    emb: F.StaticEmbeddings,
    soft: Sequence[SoftSet] = (),
    own_soft: np.ndarray | None = None,
) -> ConvHead:
    """Fit the convolutional head on the hard rows (mixed with ``own_soft``) and soft sets."""
    target = y.astype(np.float64)
    if own_soft is not None:
        target = CONV_HARD_SHARE * target + (1 - CONV_HARD_SHARE) * own_soft
    all_texts, targets, weights = list(texts), [target], [balanced_weights(y)]
    for s in soft:
        all_texts += s.texts
        targets.append(s.probs)
        weights.append(np.full(len(s.texts), len(y) / len(s.texts)))
    lengths, flat = emb.token_ids(all_texts)
    return fit_conv_head(
        lengths,
        flat,
        emb.vectors,
        np.concatenate(targets).astype(np.float32),
        np.concatenate(weights).astype(np.float32),
        seed=SEED,
    )


def fit_blend(linear: np.ndarray, conv: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(bias, linear weight, conv weight) of a class-balanced LR on the two heads' logits."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    lr.fit(np.column_stack([linear, conv]), y)
    return np.concatenate([lr.intercept_, lr.coef_.ravel()])


def transfer_sets(
    teacher_logit: dict[str, float],
    prior: float,
    train_texts: Sequence[str],
    clef_texts: Sequence[str],
    exclude: Sequence[str] = (),
) -> list[tuple[list[str], np.ndarray]]:
    """The students' transfer sets, CheckThat! lines and augmentations, with teacher logits.

    The logits are shifted to the class-balanced prior. ``exclude`` (a CV fold's test
    sentences) keeps a held-out sentence from reaching the students through another set.
    """
    held_out = {t.strip().lower() for t in exclude}
    out = []
    for texts in (list(dict.fromkeys(clef_texts)), augment(list(train_texts))):
        kept = [t for t in texts if t.strip().lower() not in held_out]
        if kept:
            out.append((kept, np.array([teacher_logit[t] for t in kept]) + prior))
    return out


def fit_students(
    texts: Sequence[str],
    y: np.ndarray,
    emb: F.StaticEmbeddings,
    teacher_logit: dict[str, float] | None,
    clef_texts: Sequence[str],
    exclude: Sequence[str] = (),
) -> tuple[F.TextHead, ConvHead]:
    """Fit the linear and conv heads of one split (hard labels only without a teacher)."""
    if teacher_logit is None:
        return fit_text_head(texts, y, emb), fit_conv(texts, y, emb)
    prior = float(np.log(max(np.sum(y == 0), 1) / max(np.sum(y == 1), 1)))
    sets = transfer_sets(teacher_logit, prior, texts, clef_texts, exclude)
    own = np.array([teacher_logit[t] for t in texts]) + prior
    linear = fit_text_head(texts, y, emb, [SoftSet(t, sigmoid(z / SOFT_T)) for t, z in sets])
    conv_soft = [SoftSet(t, sigmoid(z / CONV_SOFT_T)) for t, z in sets]
    return linear, fit_conv(texts, y, emb, conv_soft, sigmoid(own / CONV_SOFT_T))


def split_teacher(
    path: Path | None, key: str, cb_text: Sequence[str], clef_text: Sequence[str], tr: np.ndarray
) -> dict[str, float] | None:
    """The teacher's logit per text for one split, from the logits file (None: no file)."""
    if path is None:
        return None
    texts = teacher.teacher_texts(cb_text, clef_text, tr)
    logits = teacher.load_teacher_logits(path, key, texts)
    return dict(zip(texts, logits.tolist(), strict=True))


def fit_context_head(
    items: Sequence[ScoringItem], text_logit: np.ndarray, nb_logit: dict[str, float], y: np.ndarray
) -> F.ContextHead:
    """Fit the context LR on (text logit + context features) and express it as a shift."""
    from sklearn.linear_model import LogisticRegression

    fill_logit = float(np.mean(text_logit))
    ctx = F.context_matrix(items, nb_logit, fill_logit)
    X = np.column_stack([text_logit, ctx])
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std == 0] = 1.0
    lr = LogisticRegression(C=CONTEXT_C, max_iter=5000)
    lr.fit((X - mean) / std, y)
    b = lr.coef_.ravel()
    text_coef_raw = b[0] / std[0]
    if text_coef_raw <= 0:
        raise RuntimeError("context head gave the text logit a non-positive weight")
    # shift(x) = sum_k b_k (x_k - mean_k) / std_k / text_coef_raw, in text-logit units.
    weights = b[1:] / std[1:] / text_coef_raw
    return F.ContextHead(weights=weights, center=mean[1:], fill_logit=fill_logit)
