"""Shared helpers for the distillation experiments (outside the repo)."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, "/work/main")
DATA = Path("/work/shared/data/checkworthiness/train.jsonl")
SP_PATH = "/work/shared/tools/score_proposer.py"
_spec = importlib.util.spec_from_file_location("score_proposer", SP_PATH)
SP = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SP)


def sha1(t: str) -> str:
    return hashlib.sha1(t.encode("utf-8")).hexdigest()


def load():
    rows = [json.loads(l) for l in open(DATA) if l.strip()]
    cb = [r for r in rows if r["source"] == "claimbuster_train"]
    clef = [r for r in rows if r["source"] == "clef19_train"]
    return cb, clef


def folds(cb):
    from sklearn.model_selection import StratifiedKFold

    text = [r["text"] for r in cb]
    y = np.array([r["label"] for r in cb])
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return list(skf.split(text, y))


def balanced_subsamples(y, reps=10, seed=0):
    rng = np.random.default_rng(seed)
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    return [np.sort(np.concatenate([pos, rng.choice(neg, size=len(pos), replace=False)])) for _ in range(reps)]


def f1_at(y, s, t):
    return SP.prf(y, (s >= t).astype(int))["f1"]


def balanced_eval(y, s, threshold=None, reps=10, seed=0):
    """Mean AP (score_proposer's AP) and mean F1 at threshold (or best mean F1) over subsamples."""
    subs = balanced_subsamples(y, reps, seed)
    ap = float(np.mean([SP.average_precision(y[i], s[i]) for i in subs]))
    if threshold is None:
        grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
        f1s = [np.mean([f1_at(y[i], s[i], t) for i in subs]) for t in grid]
        k = int(np.argmax(f1s))
        return ap, float(f1s[k]), float(grid[k])
    return ap, float(np.mean([f1_at(y[i], s[i], threshold) for i in subs])), threshold


# ------------------------------------------------------------------ augmentation
_NUM = re.compile(r"\d")
_CLAUSE = re.compile(r"\s*(?:[,;:]|\s--\s|\s(?:and|but|because|which|while|so)\s)\s*")


def _rng(text: str, k: int) -> np.random.Generator:
    return np.random.default_rng(int(sha1(text)[:12], 16) + 7919 * k)


def aug_dropout(text, k=0, p=0.15):
    w = text.split()
    if len(w) < 4:
        return None
    r = _rng(text, 100 + k)
    keep = r.random(len(w)) >= p
    if keep.sum() < 3 or keep.all():
        keep[r.integers(len(w))] = False
        if keep.sum() < 3:
            return None
    return " ".join(x for x, m in zip(w, keep) if m)


def aug_numbers(text, k=0):
    if not _NUM.search(text):
        return None
    r = _rng(text, 200 + k)

    def rep(m):
        d = m.group(0)
        if len(d) == 1:
            return str(r.integers(1, 10))
        return str(r.integers(1, 10)) + "".join(str(x) for x in r.integers(0, 10, len(d) - 1))

    return re.sub(r"\d+", rep, text)


def aug_truncate(text, k=0):
    parts = [p for p in _CLAUSE.split(text) if p]
    if len(parts) < 2:
        w = text.split()
        if len(w) < 8:
            return None
        r = _rng(text, 300 + k)
        cut = int(r.integers(len(w) // 2, len(w) - 1))
        return " ".join(w[:cut])
    r = _rng(text, 300 + k)
    if r.random() < 0.5:
        return parts[0]
    return " ".join(parts[int(r.integers(1, len(parts))):])


def aug_swap(text, other, k=0):
    a, b = text.split(), other.split()
    if len(a) < 4 or len(b) < 4:
        return None
    return " ".join(a[: len(a) // 2] + b[len(b) // 2 :])


def augment(texts, n_drop=2):
    """Deterministic augmentations of a list of training texts (order matters for swaps)."""
    out = []
    for i, t in enumerate(texts):
        cand = [aug_dropout(t, k) for k in range(n_drop)]
        cand += [aug_numbers(t), aug_truncate(t), aug_swap(t, texts[(i + 1) % len(texts)])]
        out += [c for c in cand if c and c.strip() and c != t]
    seen, uniq = set(), []
    for c in out:
        if c not in seen:
            seen.add(c)
            uniq.append(c)
    return uniq
