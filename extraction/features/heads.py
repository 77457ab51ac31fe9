"""The model heads: the text head, the blend of the two students, the context head."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from ..conv import ConvHead
from .embeddings import StaticEmbeddings, Tokens
from .hand import HAND_FEATURE_NAMES, hand_matrix
from .tfidf import TfidfTable

# --------------------------------------------------------------------------- heads


def _blob(strings: Sequence[str]) -> np.ndarray:
    # Terms never contain "\n" (analyzers collapse whitespace), so one joined UTF-8 blob
    # stores a vocabulary portably without pickle.
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unblob(arr: np.ndarray) -> list[str]:
    text = bytes(arr).decode("utf-8")
    return text.split("\n") if text else []


class TextHead:
    """Linear model over word/char tf-idf, hand features and static embeddings."""

    def __init__(
        self,
        word: TfidfTable,
        char: TfidfTable,
        emb: StaticEmbeddings,
        coef: np.ndarray | None,
        intercept: float,
    ) -> None:
        self.word = word
        self.char = char
        self.emb = emb
        self.coef = coef
        self.intercept = intercept

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The full feature matrix (training uses it; inference uses ``logits``)."""
        return sparse.hstack(
            [
                self.word.transform(texts),
                self.char.transform(texts),
                sparse.csr_matrix(hand_matrix(texts)),
                sparse.csr_matrix(self.emb.embed(texts)),
            ]
        ).tocsr()

    def logits(self, texts: Sequence[str], tokens: Tokens | None = None) -> np.ndarray:
        """Decision values (log-odds on the class-balanced ClaimBuster scale)."""
        assert self.coef is not None, "head is not fitted"
        texts = list(texts)
        nw, nc = len(self.word.terms), len(self.char.terms)
        nh = len(HAND_FEATURE_NAMES)
        c = self.coef
        z = self.word.dot(texts, c[:nw])
        z += self.char.dot(texts, c[nw : nw + nc])
        z += hand_matrix(texts) @ c[nw + nc : nw + nc + nh]
        z += self.emb.embed(texts, tokens).astype(np.float64) @ c[nw + nc + nh :]
        return z + self.intercept

    def to_arrays(self) -> dict[str, np.ndarray]:
        assert self.coef is not None, "head is not fitted"
        return {
            "word_terms": _blob(self.word.terms),
            "word_idf": self.word.idf.astype(np.float32),
            "char_terms": _blob(self.char.terms),
            "char_idf": self.char.idf.astype(np.float32),
            "text_coef": self.coef.astype(np.float32),
            "text_intercept": np.array([self.intercept], dtype=np.float64),
        }

    @classmethod
    def from_arrays(cls, z, emb: StaticEmbeddings) -> TextHead:
        word = TfidfTable(_unblob(z["word_terms"]), z["word_idf"], "word")
        char = TfidfTable(_unblob(z["char_terms"]), z["char_idf"], "char")
        return cls(
            word, char, emb, z["text_coef"].astype(np.float64), float(z["text_intercept"][0])
        )


def student_logits(
    linear: TextHead, conv: ConvHead, texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(linear logits, conv logits) of ``texts``; both heads read one tokenisation."""
    texts = list(texts)
    tokens = linear.emb.token_ids(texts)
    return linear.logits(texts, tokens), conv.logits(*tokens, linear.emb.vectors)


class BlendedHead:
    """The text score: a logistic blend of the linear head and the convolutional head.

    Both read the same tokens of the static embedding table (tokenised once per batch);
    ``blend`` is (bias, linear weight, conv weight), fitted on their out-of-fold logits,
    so the result is again a log-odds on the class-balanced ClaimBuster scale.
    """

    def __init__(self, linear: TextHead, conv: ConvHead, blend: Sequence[float]) -> None:
        self.linear = linear
        self.conv = conv
        self.blend = np.asarray(blend, dtype=np.float64)
        self.emb = linear.emb

    def parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(linear logits, conv logits) of ``texts``, from one tokenisation."""
        return student_logits(self.linear, self.conv, texts)

    def combine(self, linear: np.ndarray, conv: np.ndarray) -> np.ndarray:
        """The blended log-odds from the two heads' logits."""
        return self.blend[0] + self.blend[1] * linear + self.blend[2] * conv

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision values (log-odds on the class-balanced ClaimBuster scale)."""
        if not len(texts):
            return np.zeros(0)
        return self.combine(*self.parts(texts))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            **self.linear.to_arrays(),
            **self.conv.to_arrays(),
            "text_blend": self.blend.astype(np.float64),
        }

    @classmethod
    def from_arrays(cls, z, emb: StaticEmbeddings) -> BlendedHead:
        return cls(TextHead.from_arrays(z, emb), ConvHead.from_arrays(z), z["text_blend"])


# Context features of one sentence inside a document (debate, speech, article). Earlier
# versions also had has_prev/has_next flags: they learnt large weights from the 19 first
# and last lines of the training debates, which would have pushed every article's last
# sentence down, so a missing neighbour is now filled with the mean logit instead.
CONTEXT_FEATURE_NAMES = ("prev_logit", "next_logit", "rel_position", "log_words")


def context_matrix(
    items: Sequence, neighbour_logit: dict[str, float], fill_logit: float
) -> np.ndarray:
    """Context features for ``ScoringItem``s; ``neighbour_logit`` maps a text to its text logit.

    A missing neighbour counts as ``fill_logit`` (the mean logit of the training debates)
    and an unknown position as the middle of the document, so neither moves the score.
    """
    out = np.empty((len(items), len(CONTEXT_FEATURE_NAMES)), dtype=np.float64)
    # Column by column from lists: numpy's per-element assignment costs more than the work.
    out[:, 0] = [neighbour_logit[it.prev_text] if it.prev_text else fill_logit for it in items]
    out[:, 1] = [neighbour_logit[it.next_text] if it.next_text else fill_logit for it in items]
    out[:, 2] = [_relative_position(it.position, it.doc_length) for it in items]
    out[:, 3] = [math.log1p(len(it.text.split())) for it in items]
    return out


def _relative_position(position: int | None, doc_length: int | None) -> float:
    if position is not None and doc_length:
        return min(max(position / max(doc_length - 1, 1), 0.0), 1.0)
    return 0.5


class ContextHead:
    """A shift added to the text logit, in text-logit units, from a sentence's context."""

    def __init__(self, weights: np.ndarray, center: np.ndarray, fill_logit: float) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        self.center = np.asarray(center, dtype=np.float64)
        self.fill_logit = float(fill_logit)

    def shift(self, items: Sequence, neighbour_logit: dict[str, float]) -> np.ndarray:
        """Context shift per item (zero-mean over the training debates)."""
        ctx = context_matrix(items, neighbour_logit, self.fill_logit)
        return (ctx - self.center) @ self.weights

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "context_weights": self.weights,
            "context_center": self.center,
            "context_fill_logit": np.array([self.fill_logit]),
        }

    @classmethod
    def from_arrays(cls, z) -> ContextHead:
        return cls(z["context_weights"], z["context_center"], float(z["context_fill_logit"][0]))
