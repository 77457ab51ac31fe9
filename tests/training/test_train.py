"""Training tests on a small project-written data set (never the real training data)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from extraction.scoring import MODEL_META_NAME, MODEL_NPZ_NAME, MODELS_DIR, ModelScorer
from extraction.types import ScoringItem
from training import card, cli, fit, teacher
from training import data as tdata
from training.train import EMBEDDINGS_NAME

PLACES = ["Springfield", "Riverton", "Lakeside", "Hillview", "Brookfield", "Fairmont"]
THINGS = ["budget", "school spending", "rents", "bus fares", "water bills"]


def _rows() -> list[dict]:
    rows = []
    n = 0
    for i, place in enumerate(PLACES):
        for j, thing in enumerate(THINGS):
            pct = 3 + i * 5 + j
            rows.append(
                {
                    "id": f"cb-{n}",
                    "label": 1,
                    "source": tdata.CB_SOURCE,
                    "text": f"The {thing} in {place} rose {pct}% in {2010 + j}, officials said.",
                }
            )
            rows.append(
                {
                    "id": f"cb-{n + 1}",
                    "label": 0,
                    "source": tdata.CB_SOURCE,
                    "text": f"I think the people of {place} deserve better {thing}.",
                }
            )
            rows.append(
                {
                    "id": f"cb-{n + 2}",
                    "label": 0,
                    "source": tdata.CB_SOURCE,
                    "text": f"What will you do about {thing}?",
                }
            )
            n += 3
    for g in range(5):
        for k in range(12):
            place, thing = PLACES[(g + k) % 6], THINGS[k % 5]
            positive = k % 4 == 1
            text = (
                f"We spent ${k + 1} million on {thing} in {place} last year."
                if positive
                else f"Thank you, it is great to be in {place} tonight."
            )
            rows.append(
                {
                    "id": f"ct-{g}-{k}",
                    "label": int(positive),
                    "source": tdata.CLEF_SOURCE,
                    "group": f"debate-{g}",
                    "line_number": k + 1,
                    "speaker": "A",
                    "text": text,
                }
            )
    return rows


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    return path


def _train(data: Path, out: Path) -> dict:
    code = cli.run(
        data=data,
        out=out,
        embeddings=MODELS_DIR / EMBEDDINGS_NAME,
        oof_dir=None,
        distill_embeddings=False,
        log=lambda _msg: None,
    )
    assert code == 0
    return json.loads((out / MODEL_META_NAME).read_text())


def test_training_is_reproducible_and_the_written_model_scores_like_training(data, tmp_path):
    meta_a = _train(data, tmp_path / "a")
    meta_b = _train(data, tmp_path / "b")
    assert meta_a == meta_b
    with (
        np.load(tmp_path / "a" / MODEL_NPZ_NAME) as za,
        np.load(tmp_path / "b" / MODEL_NPZ_NAME) as zb,
    ):
        assert sorted(za.files) == sorted(zb.files)
        for key in za.files:
            np.testing.assert_array_equal(za[key], zb[key])
    assert meta_a["data_sha256"] == tdata.sha256_file(data)
    scorer = ModelScorer.from_dir(tmp_path / "a")
    items = [ScoringItem(**f["item"]) for f in meta_a["fixture"]]
    assert scorer.score(items) == pytest.approx([f["score"] for f in meta_a["fixture"]], abs=1e-12)
    high, low = scorer.score(
        [
            ScoringItem("The rents in Oakdale rose 12% in 2015, officials said."),
            ScoringItem("What will you do about parking?"),
        ]
    )
    assert high > low
    # training.metrics gave figures for both sources.
    metrics = meta_a["metrics"]
    assert set(metrics) == {
        "claimbuster_balanced",
        "claimbuster_balanced_linear_only",
        "claimbuster_balanced_conv_only",
        "claimbuster_all_oof",
        "checkthat_context",
        "checkthat_text_only",
    }
    assert metrics["checkthat_context"]["debates"] == 5
    assert 0.0 <= metrics["claimbuster_balanced"]["f1"] <= 1.0
    card_text = (tmp_path / "a" / card.CARD_NAME).read_text()
    assert card.CARD_START in card_text
    assert f"**{meta_a['threshold']}**" in card_text


def test_train_claim_model_command_writes_the_model(data, tmp_path):
    out = tmp_path / "cmd"
    call_command("train_claim_model", "--data", str(data), "--out", str(out), "--no-teacher")
    assert (out / MODEL_META_NAME).exists()
    assert (out / MODEL_NPZ_NAME).exists()
    assert ModelScorer.from_dir(out).score([ScoringItem("Prices rose 4% in 2012.")])[0] > 0


def test_train_claim_model_command_fails_clearly_without_data(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="training failed"):
        call_command(
            "train_claim_model",
            "--data",
            str(tmp_path / "missing.jsonl"),
            "--out",
            str(tmp_path / "x"),
        )


def _teacher_file(data: Path, path: Path) -> Path:
    """A teacher logits file for the fixture data: confident on numbers, doubtful elsewhere."""
    from sklearn.model_selection import StratifiedKFold

    rows = tdata.load_rows(data)
    cb_text = [r["text"] for r in rows if r["source"] == tdata.CB_SOURCE]
    cb_y = np.array([r["label"] for r in rows if r["source"] == tdata.CB_SOURCE])
    clef_text = [r["text"] for r in rows if r["source"] == tdata.CLEF_SOURCE]
    skf = StratifiedKFold(n_splits=fit.N_FOLDS, shuffle=True, random_state=fit.SEED)
    splits = [tr for tr, _ in skf.split(cb_text, cb_y)] + [np.arange(len(cb_text))]
    logits = {}
    for key, tr in zip(teacher.split_keys(fit.N_FOLDS), splits, strict=True):
        texts = teacher.teacher_texts(cb_text, clef_text, tr)
        values = [4.0 if any(c.isdigit() for c in t) else -4.0 for t in texts]
        logits[key] = (texts, np.array(values, dtype=np.float32))
    teacher.save_teacher_logits(path, logits)
    return path


def test_training_with_teacher_logits_distils_them_and_records_the_file(data, tmp_path):
    path = _teacher_file(data, tmp_path / "teacher.npz")
    code = cli.run(
        data=data,
        out=tmp_path / "t",
        embeddings=MODELS_DIR / EMBEDDINGS_NAME,
        oof_dir=None,
        distill_embeddings=False,
        teacher_logits=path,
        log=lambda _msg: None,
    )
    assert code == 0
    meta = json.loads((tmp_path / "t" / MODEL_META_NAME).read_text())
    hard = _train(data, tmp_path / "h")
    assert meta["teacher_logits_sha256"] == tdata.sha256_file(path)
    assert meta["soft_temperature"] == {"linear": fit.SOFT_T, "conv": fit.CONV_SOFT_T}
    assert hard["teacher_logits_sha256"] is None
    # The soft labels changed the students: the debate lines with an amount are now
    # positive examples too, so the CheckThat! positives score higher than without them.
    item = ScoringItem("We spent $3 million on rents in Lakeside last year.")
    with_teacher = ModelScorer.from_dir(tmp_path / "t").score([item])[0]
    without = ModelScorer.from_dir(tmp_path / "h").score([item])[0]
    assert with_teacher > without


def test_teacher_logits_built_for_other_data_fail_clearly(data, tmp_path):
    from django.core.management.base import CommandError

    other = [dict(r, text=r["text"] + " Indeed.") for r in _rows()]
    other_data = tmp_path / "other.jsonl"
    other_data.write_text("".join(json.dumps(r) + "\n" for r in other))
    path = _teacher_file(other_data, tmp_path / "teacher.npz")
    out = io.StringIO()
    with pytest.raises(CommandError, match="training failed"):
        call_command(
            "train_claim_model",
            *("--data", str(data), "--out", str(tmp_path / "x"), "--teacher-logits", str(path)),
            stdout=out,
        )
    assert "'fold0' were built for other data" in out.getvalue()
    assert "train_claim_model --teachers" in out.getvalue()
    assert not (tmp_path / "x" / MODEL_NPZ_NAME).exists()


def test_a_missing_teacher_logits_file_fails_clearly(data, tmp_path):
    from django.core.management.base import CommandError

    out = io.StringIO()
    with pytest.raises(CommandError, match="training failed"):
        call_command(
            "train_claim_model",
            *("--data", str(data), "--out", str(tmp_path / "x")),
            *("--teacher-logits", str(tmp_path / "none.npz")),
            stdout=out,
        )
    assert f"teacher logits not found: {tmp_path / 'none.npz'}" in out.getvalue()


def test_python_m_training_runs_from_the_repository_root(tmp_path):
    root = Path(cli.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "training", "--data", str(tmp_path / "none.jsonl")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (
        2,
        f"training data not found: {tmp_path / 'none.jsonl'}\n",
    )
    usage = subprocess.run(
        [sys.executable, "-m", "training", "--help"], cwd=root, capture_output=True, text=True
    )
    assert usage.stdout.startswith("usage: python -m training")
