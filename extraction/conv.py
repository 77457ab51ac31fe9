"""1-D convolutional sentence classifier over static token vectors, in numpy only (inference).

The network is the PyTorch model below; ``training.conv_fit`` (not shipped) fits it with the
same recipe (frozen embeddings with a zero padding row, convolutions of widths 1, 2 and 3
with padding ``w // 2``, ReLU, max over the real positions, dropout, one linear output;
Adam, soft targets with per-row weights)::

    m = x > 0; e = emb(x).transpose(1, 2)
    f = [relu(c(e))[:, :, :T].masked_fill(~m[:, None], -1e4).max(2).values for c in convs]
    logit = out(drop(cat(f, 1))).squeeze(1)

Sentences are kept ragged (all token ids concatenated plus a length per sentence, as
``StaticEmbeddings.token_ids`` gives them) instead of padded: padding vectors are zero
and masked out of the max, so they change nothing. A sentence with no token gets
pooled features 0, so its logit is the output bias.

Column blocks of ``ConvHead.weights`` (each ``F`` wide, ``x[t]`` the token vector at
position ``t``; ``k`` is torch's ``Conv1d.weight[:, :, k]``)::

    0: width 1, k=0, x[t]      1: width 2, k=1, x[t]      2: width 3, k=1, x[t]
    3: width 2, k=0, x[t-1]    4: width 3, k=0, x[t-1]    5: width 3, k=2, x[t+1]

so one product of the token vectors by ``weights`` gives every tap, the first 3F
columns line up with the pooled features (width-1, width-2, width-3 filters), and the
shifted taps are two contiguous slices added one row down or up.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

WIDTHS = (1, 2, 3)
MAX_TOKENS = 80
# Tokens per chunk at inference: a chunk's (tokens x 6F) block of taps stays in cache (3 MB
# in float64 at F=128). Measured in float32 (1.5 MB): 28 us a sentence for 1,000 sentences,
# against 90 us for one block of all their tokens.
_CHUNK_TOKENS = 512


@dataclass
class ConvHead:
    """Fitted convolution filters and output layer (column order in the module docstring)."""

    weights: np.ndarray  # (D, 6F) float32
    bias: np.ndarray  # (3F,) float32, convolution biases of widths 1, 2, 3
    out_w: np.ndarray  # (3F,) float32
    out_b: float
    max_tokens: int = MAX_TOKENS

    @classmethod
    def from_kernels(
        cls,
        kernels: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        out_w: np.ndarray,
        out_b: float,
        max_tokens: int = MAX_TOKENS,
    ) -> ConvHead:
        """Build a head from torch-layout kernels: ``(F, D, w)`` for w = 1, 2, 3."""
        k1, k2, k3 = (np.asarray(k, dtype=np.float32) for k in kernels)
        taps = (k1[:, :, 0], k2[:, :, 1], k3[:, :, 1], k2[:, :, 0], k3[:, :, 0], k3[:, :, 2])
        return cls(
            weights=np.ascontiguousarray(np.concatenate(taps, axis=0).T),
            bias=np.concatenate(biases).astype(np.float32),
            out_w=np.asarray(out_w, dtype=np.float32).reshape(-1),
            out_b=float(out_b),
            max_tokens=max_tokens,
        )

    def logits(self, lengths: np.ndarray, flat_ids: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Decision values (float64), one per sentence, from ``StaticEmbeddings.token_ids``."""
        lengths, flat_ids = truncate(lengths, flat_ids, self.max_tokens)
        n = len(lengths)
        pooled = np.zeros((n, self.bias.shape[0]), dtype=np.float64)
        # Text repeats its tokens (1,000 news sentences: ~22,000 tokens, ~3,000 distinct), so
        # the product is taken once per distinct token and its rows gathered per chunk. In
        # float64: BLAS rounds a float32 row differently depending on how many rows the
        # product has, which made a sentence's score depend on the rest of its batch (by
        # 1e-8); float64 keeps that below 1e-14, and a score depends on its text alone.
        distinct, inverse = np.unique(flat_ids, return_inverse=True)
        # One BLAS thread: the product is small, and in a worker that is not pinned to a
        # core OpenBLAS's own threads spun against the other worker process (two Celery
        # processes on two cores went from 10 to 32 ms of CPU per article).
        with _blas_controller().limit(limits=1, user_api="blas"):
            projected = np.asarray(vectors[distinct], dtype=np.float64) @ self._weights64
        ends = np.cumsum(lengths)
        # Sentence boundaries of chunks of about _CHUNK_TOKENS tokens; a sentence that
        # crosses a multiple of _CHUNK_TOKENS starts the next chunk.
        cuts = np.searchsorted(ends, np.arange(_CHUNK_TOKENS, ends[-1] if n else 0, _CHUNK_TOKENS))
        bounds = np.unique(np.concatenate(([0], cuts, [n])))
        for lo, hi in itertools.pairwise(bounds):
            lens = lengths[lo:hi]
            t0, t1 = ends[lo] - lengths[lo], ends[hi - 1]
            if t0 == t1:
                continue
            first, last = sentence_bounds(lens)
            pre = add_shifted_taps(projected[inverse[t0:t1]], first, last)
            pooled[lo:hi][lens > 0] = np.maximum.reduceat(pre, first, axis=0)
        # Bias and ReLU after the max equal the max of ReLU(conv + bias): both are monotone.
        pooled += self.bias
        np.maximum(pooled, 0, out=pooled)
        pooled[lengths == 0] = 0
        return pooled @ self.out_w.astype(np.float64) + self.out_b

    @functools.cached_property
    def _weights64(self) -> np.ndarray:
        return self.weights.astype(np.float64)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Arrays for an npz file, keys prefixed ``conv_``."""
        return {
            "conv_weights": self.weights.astype(np.float32),
            "conv_bias": self.bias.astype(np.float32),
            "conv_out_w": self.out_w.astype(np.float32),
            "conv_out_b": np.array([self.out_b], dtype=np.float32),
            "conv_max_tokens": np.array([self.max_tokens], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray]) -> ConvHead:
        """Rebuild a head from ``to_arrays`` output (or the npz file holding it)."""
        return cls(
            weights=np.ascontiguousarray(z["conv_weights"], dtype=np.float32),
            bias=np.asarray(z["conv_bias"], dtype=np.float32),
            out_w=np.asarray(z["conv_out_w"], dtype=np.float32),
            out_b=float(z["conv_out_b"][0]),
            max_tokens=int(z["conv_max_tokens"][0]),
        )


@functools.cache
def _blas_controller():
    """threadpoolctl's view of the loaded BLAS libraries, found once per process."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def truncate(
    lengths: np.ndarray, flat_ids: np.ndarray, max_tokens: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the first ``max_tokens`` tokens of each sentence: (lengths, flat ids)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    flat_ids = np.asarray(flat_ids, dtype=np.int64)
    if int(lengths.sum()) != len(flat_ids):
        raise ValueError(f"lengths sum to {int(lengths.sum())}, but there are {len(flat_ids)} ids")
    if not len(lengths) or lengths.max() <= max_tokens:
        return lengths, flat_ids
    kept = np.minimum(lengths, max_tokens)
    return kept, flat_ids[token_index(np.cumsum(lengths) - lengths, kept)]


# --------------------------------------------------------------------------- internals


def token_index(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Flat positions of ``lengths[i]`` tokens from ``starts[i]``, concatenated."""
    out_starts = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - out_starts, lengths)


def sentence_bounds(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flat positions of the first and last token of each non-empty sentence."""
    ends = np.cumsum(lengths)[lengths > 0]
    return ends - lengths[lengths > 0], ends - 1


def add_shifted_taps(p: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Convolution outputs before bias, (N, 3F), from all taps ``x @ weights`` (N, 6F).

    Works in place: the result is a view into ``p``.
    """
    f3 = p.shape[1] // 2
    f = f3 // 3
    # A tap reaching past its sentence sees padding: the x[t-1] taps of a sentence's last
    # token would feed the next sentence's first, the x[t+1] tap of a first token the last
    # token before it.
    p[last, f3 : f3 + 2 * f] = 0
    p[first, f3 + 2 * f :] = 0
    pre = p[:, :f3]
    pre[1:, f:] += p[:-1, f3 : f3 + 2 * f]
    pre[:-1, 2 * f :] += p[1:, f3 + 2 * f :]
    return pre
