"""Teacher helper tests: no torch, no model, no database (fine-tuning itself is stubbed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from training import teacher
from training.augment import augment
from training.teacher import (
    load_teacher_logits,
    save_teacher_logits,
    teacher_texts,
    texts_sha256,
)

CB = [
    "The council spent 12 million dollars on roads in 2019.",
    "Thank you all for coming tonight.",
    "Unemployment fell to 4.5% last year, but wages did not rise.",
    "Thank you all for coming tonight.",
    "Crime is down everywhere in this wonderful city of ours today.",
]
CLEF = [
    "Crime is down everywhere in this wonderful city of ours today.",
    "We cut taxes for 3 million families.",
]
REBUILD = "rebuild it with train_claim_model --teachers"


# ----------------------------------------------------------------------------------- torch-free


def test_module_imports_without_the_training_stack():
    # A fresh interpreter, because this one may already have imported the package.
    blocked = "".join(f"sys.modules[{name!r}] = None; " for name in teacher.TRAINING_MODULES)
    code = f"import sys; {blocked}import training.teacher as t; print(t.FULL_KEY)"
    root = Path(teacher.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "full\n", "")


@pytest.mark.parametrize("blocked", teacher.TRAINING_MODULES)
@pytest.mark.parametrize(
    "call",
    [
        lambda: teacher.fine_tune(["a claim"], [1]),
        lambda: teacher.score(teacher.Teacher(model=None, tokenizer=None), ["a claim"]),
    ],
    ids=["fine_tune", "score"],
)
def test_missing_training_stack_raises_import_error_with_pip_command(monkeypatch, blocked, call):
    monkeypatch.setitem(sys.modules, blocked, None)  # makes `import <blocked>` fail
    with pytest.raises(ImportError, match=re.escape('pip install -e ".[train]"')) as exc:
        call()
    assert blocked in str(exc.value)


# ----------------------------------------------------------------------------------- texts


@pytest.mark.parametrize("train_idx", [[0, 1, 2, 3, 4], [0, 2], [], np.array([4, 1])])
def test_teacher_texts_are_cb_then_clef_then_train_augmentations_deduplicated(train_idx):
    out = teacher_texts(CB, CLEF, train_idx)
    expected = list(dict.fromkeys(CB + CLEF + augment([CB[i] for i in train_idx])))
    assert out == expected
    assert len(out) == len(set(out))
    # The repeated CB text and the CLEF text already in CB are kept once, at their first place.
    assert out[:5] == [CB[0], CB[1], CB[2], CB[4], CLEF[1]]


def test_teacher_texts_depend_on_train_rows_only_through_augmentations():
    assert teacher_texts(CB, CLEF, [])[:5] == teacher_texts(CB, CLEF, [0, 2])[:5]
    assert teacher_texts(CB, CLEF, []) != teacher_texts(CB, CLEF, [0, 2])


# ----------------------------------------------------------------------------------- npz file


def test_logits_round_trip(tmp_path):
    path = tmp_path / "teachers.npz"
    a, b = teacher_texts(CB, CLEF, [0, 1]), teacher_texts(CB, CLEF, [2, 3, 4])
    la, lb = np.linspace(-2, 2, len(a)), np.arange(len(b), dtype=np.float64)
    save_teacher_logits(path, {"fold0": (a, la), "full": (b, lb)})

    got = load_teacher_logits(path, "fold0", a)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, la.astype(np.float32))
    np.testing.assert_array_equal(load_teacher_logits(path, "full", b), lb.astype(np.float32))
    with np.load(path) as z:
        assert sorted(z.files) == ["fold0", "full", "sha256_fold0", "sha256_full"]
        assert z["sha256_full"].item() == texts_sha256(b)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_digest_stored_as_a_byte_blob_is_accepted(tmp_path):
    path = tmp_path / "teachers.npz"
    digest = np.frombuffer(texts_sha256(CB).encode("ascii"), dtype=np.uint8)
    np.savez_compressed(path, fold1=np.ones(len(CB), dtype=np.float32), sha256_fold1=digest)
    np.testing.assert_array_equal(load_teacher_logits(path, "fold1", CB), np.ones(len(CB)))


@pytest.mark.parametrize(
    "texts",
    [
        CB[:-1],  # one text fewer
        [*CB[:-1], "Crime is down everywhere in this wonderful city of ours."],  # edited
        CB[::-1],  # same texts, other order
    ],
    ids=["shorter", "edited", "reordered"],
)
def test_logits_for_other_texts_are_refused(tmp_path, texts):
    path = tmp_path / "teachers.npz"
    save_teacher_logits(path, {"fold2": (CB, np.zeros(len(CB)))})
    message = f"teacher logits 'fold2' were built for other data ({len(CB)} texts"
    with pytest.raises(ValueError, match=re.escape(message)) as exc:
        load_teacher_logits(path, "fold2", texts)
    assert REBUILD in str(exc.value)


def test_missing_key_is_refused(tmp_path):
    path = tmp_path / "teachers.npz"
    save_teacher_logits(path, {"fold0": (CB, np.zeros(len(CB)))})
    with pytest.raises(
        ValueError, match=r"has no teacher logits for 'full' \(it holds \['fold0'\]\)"
    ):
        load_teacher_logits(path, "full", CB)


def test_save_refuses_logits_of_the_wrong_length(tmp_path):
    with pytest.raises(ValueError, match=r"fold0: \(4,\) logits for 5 texts"):
        save_teacher_logits(tmp_path / "t.npz", {"fold0": (CB, np.zeros(4))})
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------------------------- building


def test_build_teacher_logits_trains_each_split_on_its_rows(tmp_path, monkeypatch):
    trained = []

    def fake_fine_tune(texts, labels, **kwargs):
        trained.append((list(texts), list(labels), kwargs["threads"]))
        return len(trained)

    def fake_score(model, texts):
        return np.full(len(texts), float(model), dtype=np.float32)

    monkeypatch.setattr(teacher, "fine_tune", fake_fine_tune)
    monkeypatch.setattr(teacher, "score", fake_score)
    labels = [1, 0, 1, 0, 0]
    folds = [([0, 1, 2], [3, 4]), ([2, 3, 4], [0, 1])]
    path = tmp_path / "teachers.npz"
    lines = []

    teacher.build_teacher_logits(CB, labels, CLEF, folds, path, log=lines.append, threads=2)

    assert trained == [
        ([CB[0], CB[1], CB[2]], [1, 0, 1], 2),
        ([CB[2], CB[3], CB[4]], [1, 0, 0], 2),
        (CB, labels, 2),
    ]
    for key, idx, value in [
        ("fold0", [0, 1, 2], 1),
        ("fold1", [2, 3, 4], 2),
        ("full", range(5), 3),
    ]:
        texts = teacher_texts(CB, CLEF, list(idx))
        np.testing.assert_array_equal(load_teacher_logits(path, key, texts), value)
    assert lines[-1] == f"teacher logits written to {path}"
