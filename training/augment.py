"""Deterministic variants of training sentences, used as extra transfer text for distillation.

The fine-tuned teacher labels these variants (word dropout, changed numbers, truncated
clauses, halves of two sentences spliced together) and the student learns from those soft
labels as well as from the real rows. Nothing here is random from run to run: every variant
is seeded by a hash of its source sentence, so the same training texts always give the same
variants in the same order, which is what lets stored teacher logits be matched to them.

Changing any of these functions changes the transfer set, and teacher logits built with the
old set no longer line up (``teacher.load_teacher_logits`` checks this).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
# Clause boundaries a truncation may cut at: punctuation, a spaced dash, or a conjunction.
_CLAUSE = re.compile(r"\s*(?:[,;:]|\s--\s|\s(?:and|but|because|which|while|so)\s)\s*")


def _rng(text: str, k: int) -> np.random.Generator:
    """Generator seeded by the text's sha1 and a per-augmentation salt ``k``."""
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return np.random.default_rng(int(digest[:12], 16) + 7919 * k)


def aug_dropout(text: str, k: int = 0, p: float = 0.15) -> str | None:
    """Drop each word with probability ``p``, keeping at least 3 and dropping at least 1."""
    words = text.split()
    if len(words) < 4:
        return None
    rng = _rng(text, 100 + k)
    keep = rng.random(len(words)) >= p
    if keep.sum() < 3 or keep.all():
        keep[rng.integers(len(words))] = False
        if keep.sum() < 3:
            return None
    return " ".join(w for w, kept in zip(words, keep, strict=True) if kept)


def aug_numbers(text: str, k: int = 0) -> str | None:
    """Replace every run of digits by random digits of the same length (no leading zero)."""
    if not _DIGIT.search(text):
        return None
    rng = _rng(text, 200 + k)

    def replace(m: re.Match[str]) -> str:
        n = len(m.group(0))
        if n == 1:
            return str(rng.integers(1, 10))
        return str(rng.integers(1, 10)) + "".join(str(d) for d in rng.integers(0, 10, n - 1))

    return _DIGITS.sub(replace, text)


def aug_truncate(text: str, k: int = 0) -> str | None:
    """Keep the first clause or the clauses after a random boundary (or a word prefix)."""
    parts = [p for p in _CLAUSE.split(text) if p]
    rng = _rng(text, 300 + k)
    if len(parts) < 2:
        words = text.split()
        if len(words) < 8:
            return None
        cut = int(rng.integers(len(words) // 2, len(words) - 1))
        return " ".join(words[:cut])
    if rng.random() < 0.5:
        return parts[0]
    return " ".join(parts[int(rng.integers(1, len(parts))) :])


def aug_swap(text: str, other: str) -> str | None:
    """First half of ``text``'s words followed by the second half of ``other``'s."""
    a, b = text.split(), other.split()
    if len(a) < 4 or len(b) < 4:
        return None
    return " ".join(a[: len(a) // 2] + b[len(b) // 2 :])


def augment(texts: Sequence[str], n_drop: int = 2) -> list[str]:
    """Variants of ``texts`` in order, without duplicates and never equal to their own source.

    Order matters: each text is spliced with the next one (the last with the first).
    """
    out: list[str] = []
    for i, text in enumerate(texts):
        candidates = [aug_dropout(text, k) for k in range(n_drop)]
        candidates += [
            aug_numbers(text),
            aug_truncate(text),
            aug_swap(text, texts[(i + 1) % len(texts)]),
        ]
        out += [c for c in candidates if c and c.strip() and c != text]
    return list(dict.fromkeys(out))
