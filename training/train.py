"""Train the shipped check-worthiness model (no Django needed; see ``training.cli``).

What it fits (see ``extraction/models/MODEL_CARD.md`` for the why and the figures):

1. **Text head** on the ClaimBuster rows: a blend of two students of a fine-tuned teacher, a
   logistic regression over word 1-2-gram and char 2-5-gram tf-idf (numbers replaced by shape
   words), hand features and static sentence embeddings (model2vec distilled from
   all-MiniLM-L6-v2, shipped as ``models/static_minilm_l6.npz``), and a convolutional head over
   the static token vectors. Its logit means "check-worthy factual".
2. **Context head** on the CheckThat! rows: a small logistic regression over the text
   head's logit, the logits of the previous and next sentence, relative position and
   length. It is stored as a *shift* added to the text logit in text-logit units, so
   the shipped threshold keeps its meaning while the ranking inside a debate is the
   context head's ranking.

Cross-validation: stratified folds for ClaimBuster rows, GroupKFold by debate for
CheckThat! rows. Out-of-fold predictions are scored by ``training.metrics``, the shared
task's definitions, so the card's numbers mean what the judges' do.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction import features as F
from extraction.scoring import MODEL_META_NAME, MODEL_NPZ_NAME, ModelScorer
from extraction.types import ScoringItem

from .card import CARD_NAME, update_model_card
from .data import CB_SOURCE, CLEF_SOURCE, doc_items, load_rows, sha256_file
from .evaluate import BALANCED_REPS, balanced_subsamples, choose_threshold, cv_metrics
from .fit import (
    CONTEXT_C,
    CONV_SOFT_T,
    N_FOLDS,
    SEED,
    SOFT_T,
    TEXT_C,
    fit_blend,
    fit_context_head,
    fit_students,
    sigmoid,
    split_teacher,
)

EMBEDDINGS_NAME = "static_minilm_l6.npz"
# Project-written sentences (not training data): the shipped model's scores for these are
# stored in the model metadata at training time and re-checked by the tests.
FIXTURE: tuple[dict, ...] = (
    {"text": "Unemployment in the county fell to 3.8 percent in March, the lowest since 2007."},
    {"text": "The council approved a $14 million budget for bridge repairs on Tuesday."},
    {"text": "According to the health ministry, 2,300 patients waited more than a year."},
    {"text": "The company said it would close two plants and cut 900 jobs by 2026."},
    {"text": "Police arrested four people after the march, a spokesman said."},
    {"text": "I think our volunteers are the best in the world."},
    {"text": "What are we going to do about it?"},
    {"text": "Subscribe to our newsletter for the latest updates."},
    {"text": "Thank you so much, it is great to be here tonight."},
    {"text": "We should all be proud of this wonderful community."},
    {
        "text": "Crime went up 40 percent in the last two years.",
        "doc": "fixture-debate",
        "speaker": "CANDIDATE A",
        "prev_text": "Let me tell you what happened to this city.",
        "next_text": "And nobody in Washington did anything about it.",
        "position": 12,
        "doc_length": 80,
    },
    {
        "text": "Thank you, and good evening everyone.",
        "doc": "fixture-debate",
        "speaker": "MODERATOR",
        "prev_text": None,
        "next_text": "Our first question goes to the governor.",
        "position": 0,
        "doc_length": 80,
    },
)


def train(
    data: Path,
    out: Path,
    embeddings: Path,
    oof_dir: Path | None = None,
    log=print,
    teacher_logits: Path | None = None,
) -> dict:
    """Cross-validate, fit on all rows, write the model files into ``out``; return the meta.

    ``teacher_logits`` is the teacher's logits file (``--teachers`` builds it); without it
    the heads learn from the hard labels only.
    """
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    t0 = time.time()
    rows = load_rows(data)
    emb = F.StaticEmbeddings.from_npz(embeddings)
    cb = [r for r in rows if r["source"] == CB_SOURCE]
    clef = [r for r in rows if r["source"] == CLEF_SOURCE]
    cb_text = [r["text"] for r in cb]
    clef_text = [r["text"] for r in clef]
    cb_y = np.array([r["label"] for r in cb])
    clef_y = np.array([r["label"] for r in clef])
    log(f"rows: {len(cb)} ClaimBuster, {len(clef)} CheckThat!")
    log(f"teacher logits: {teacher_logits or 'none (hard labels only)'}")

    # ---- ClaimBuster text heads (linear and conv students): stratified CV.
    skf = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=SEED)
    folds = list(skf.split(cb_text, cb_y))
    oof_linear = np.zeros(len(cb))
    oof_conv = np.zeros(len(cb))
    fold_students = []
    fold_of = np.zeros(len(cb), dtype=int)
    for k, (tr, te) in enumerate(folds):
        tl = split_teacher(teacher_logits, f"fold{k}", cb_text, clef_text, tr)
        linear, conv = fit_students(
            [cb_text[i] for i in tr], cb_y[tr], emb, tl, clef_text, [cb_text[i] for i in te]
        )
        fold_students.append((linear, conv))
        oof_linear[te], oof_conv[te] = F.student_logits(linear, conv, [cb_text[i] for i in te])
        fold_of[te] = k
        log(f"  ClaimBuster fold {k + 1}/{N_FOLDS} done ({time.time() - t0:.0f}s)")
    blend = fit_blend(oof_linear, oof_conv, cb_y)
    fold_heads = [F.BlendedHead(lin, conv, blend) for lin, conv in fold_students]
    cb_oof = fold_heads[0].combine(oof_linear, oof_conv)
    subs = balanced_subsamples(cb_y, BALANCED_REPS, SEED)
    threshold = choose_threshold(cb_y, sigmoid(cb_oof), subs)
    log(f"blend (bias, linear, conv): {np.round(blend, 4).tolist()}")
    log(f"threshold (max mean F1 on balanced OOF subsamples): {threshold}")

    tl = split_teacher(teacher_logits, "full", cb_text, clef_text, np.arange(len(cb)))
    text_head = F.BlendedHead(*fit_students(cb_text, cb_y, emb, tl, clef_text), blend)
    log(f"  final text head fitted ({time.time() - t0:.0f}s)")

    # ---- Text logits for CheckThat! rows. Some debate lines also occur in the ClaimBuster
    # rows; for those use the fold model that did not see the line, so the context head
    # and its CV are not fed in-sample scores.
    cb_fold_by_text = {t.strip().lower(): fold_of[i] for i, t in enumerate(cb_text)}
    clef_items = doc_items(clef)

    def clef_text_logits(texts: Sequence[str]) -> np.ndarray:
        out_ = text_head.logits(texts)
        for j, t in enumerate(texts):
            k = cb_fold_by_text.get(t.strip().lower())
            if k is not None:
                out_[j] = fold_heads[k].logits([t])[0]
        return out_

    uniq = sorted({t for it in clef_items for t in (it.text, it.prev_text, it.next_text) if t})
    nb_logit = dict(zip(uniq, clef_text_logits(uniq).tolist(), strict=True))
    clef_logit = np.array([nb_logit[it.text] for it in clef_items])

    # ---- Context head: GroupKFold by debate.
    groups = [r["group"] for r in clef]
    gkf = GroupKFold(n_splits=N_FOLDS)
    clef_oof = np.zeros(len(clef))
    for tr, te in gkf.split(clef_logit, clef_y, groups):
        ctx_head = fit_context_head(
            [clef_items[i] for i in tr], clef_logit[tr], nb_logit, clef_y[tr]
        )
        clef_oof[te] = clef_logit[te] + ctx_head.shift([clef_items[i] for i in te], nb_logit)
    context_head = fit_context_head(clef_items, clef_logit, nb_logit, clef_y)
    log(f"  context head fitted ({time.time() - t0:.0f}s)")

    # ---- Cross-validated figures (training.metrics, the shared task's definitions).
    metrics = cv_metrics(
        cb,
        cb_y,
        (sigmoid(cb_oof), sigmoid(oof_linear), sigmoid(oof_conv)),
        clef,
        clef_y,
        (sigmoid(clef_oof), sigmoid(clef_logit)),
        threshold,
        subs,
        oof_dir,
    )
    for key, val in metrics.items():
        log(f"  {key}: {val}")

    # ---- Write the model files, then reload them and record the fixture scores.
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text_head.linear.coef.tobytes() + text_head.conv.weights.tobytes())
    digest.update(text_head.blend.tobytes() + context_head.weights.tobytes())
    version = digest.hexdigest()[:10]
    arrays = {**text_head.to_arrays(), **context_head.to_arrays()}
    np.savez_compressed(out / MODEL_NPZ_NAME, **arrays)
    meta = {
        "version": version,
        "features_version": F.FEATURES_VERSION,
        "threshold": threshold,
        "embeddings": EMBEDDINGS_NAME,
        "embeddings_sha256": sha256_file(embeddings),
        "data_sha256": sha256_file(data),
        "seed": SEED,
        "folds": N_FOLDS,
        "text_C": TEXT_C,
        "context_C": CONTEXT_C,
        "context_features": list(F.CONTEXT_FEATURE_NAMES),
        "context_weights": [round(float(w), 6) for w in context_head.weights],
        "context_fill_logit": round(context_head.fill_logit, 6),
        "hand_features": list(F.HAND_FEATURE_NAMES),
        "vocabulary": {
            "word": len(text_head.linear.word.terms),
            "char": len(text_head.linear.char.terms),
        },
        "conv_filters": int(text_head.conv.bias.shape[0] // 3),
        "blend": [round(float(b), 6) for b in text_head.blend],
        "teacher_logits_sha256": sha256_file(teacher_logits) if teacher_logits else None,
        "soft_temperature": {"linear": SOFT_T, "conv": CONV_SOFT_T} if teacher_logits else None,
        "metrics": metrics,
        "fixture": [],
    }
    (out / MODEL_META_NAME).write_text(json.dumps(meta, indent=1) + "\n")
    if out.resolve() != embeddings.parent.resolve():
        (out / EMBEDDINGS_NAME).write_bytes(embeddings.read_bytes())
    scorer = ModelScorer.from_dir(out)
    items = [ScoringItem(**f) for f in FIXTURE]
    meta["fixture"] = [
        {"item": f, "score": s} for f, s in zip(FIXTURE, scorer.score(items), strict=True)
    ]
    (out / MODEL_META_NAME).write_text(json.dumps(meta, indent=1) + "\n")
    update_model_card(out / CARD_NAME, meta)
    log(f"wrote {out} (version {version}, {time.time() - t0:.0f}s)")
    return meta
