"""Training half of the conv head: exact numpy backprop and torch's Adam.

``extraction.conv.ConvHead`` is the inference half the runtime ships; this module fits
its weights (``fit_conv_head``) the way the PyTorch model in that module's docstring is
trained, byte for byte the same for the same inputs and seed.
"""

from __future__ import annotations

import math

import numpy as np
from threadpoolctl import threadpool_limits

from extraction.conv import (
    MAX_TOKENS,
    WIDTHS,
    ConvHead,
    add_shifted_taps,
    sentence_bounds,
    token_index,
    truncate,
)


def fit_conv_head(
    lengths: np.ndarray,
    flat_ids: np.ndarray,
    vectors: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    *,
    filters: int = 128,
    epochs: int = 6,
    batch_size: int = 64,
    lr: float = 1e-3,
    dropout: float = 0.3,
    max_tokens: int = MAX_TOKENS,
    seed: int = 0,
) -> ConvHead:
    """Train a head by minibatch Adam on weighted soft-target logistic loss."""
    lengths, flat_ids = truncate(lengths, flat_ids, max_tokens)
    vectors = np.asarray(vectors, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    row_weights = np.asarray(weights, dtype=np.float32)
    if not len(targets) == len(row_weights) == len(lengths):
        raise ValueError("lengths, targets and weights must have one entry per sentence")
    rng = np.random.default_rng(seed)
    head = _init_head(rng, vectors.shape[1], filters, max_tokens)
    params = [head.weights, head.bias, head.out_w, np.array([head.out_b], dtype=np.float32)]
    adam = _Adam(params, lr)
    starts = np.cumsum(lengths) - lengths
    n = len(lengths)
    # One BLAS thread: a multi-threaded product may sum in a different order from run to
    # run, and the fit must be the same byte for byte for the same inputs and seed.
    with threadpool_limits(1):
        for _ in range(epochs):
            order = rng.permutation(n)
            for i in range(0, n, batch_size):
                rows = order[i : i + batch_size]
                lens = lengths[rows]
                x = vectors[flat_ids[token_index(starts[rows], lens)]]
                keep = (rng.random((len(rows), 3 * filters)) >= dropout).astype(np.float32)
                keep /= np.float32(1 - dropout)
                _, _, grads = _loss_and_grads(
                    x, lens, *params, targets[rows], row_weights[rows], keep
                )
                adam.step(grads)
    return ConvHead(params[0], params[1], params[2], float(params[3][0]), max_tokens)


def _loss_and_grads(
    x: np.ndarray,
    lengths: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray,
    out_w: np.ndarray,
    out_b: np.ndarray,
    targets: np.ndarray,
    row_weights: np.ndarray,
    keep: np.ndarray | None,
) -> tuple[float, np.ndarray, list[np.ndarray]]:
    """(loss, logits, grads of weights, bias, out_w, out_b) for one batch.

    ``x`` holds the token vectors of the batch's sentences in order (lengths already
    truncated); ``keep`` is the dropout mask already scaled by 1 / (1 - p), or None.
    Computes in the dtype of ``x`` and ``weights`` (float64 for gradient checks).
    """
    n = len(lengths)
    nonempty = lengths > 0
    first, last = sentence_bounds(lengths)
    f3 = bias.shape[0]
    dtype = weights.dtype
    pooled = np.zeros((n, f3), dtype=dtype)
    if len(first):
        pre = add_shifted_taps(x @ weights, first, last)
        peak = np.maximum.reduceat(pre, first, axis=0)
        pooled[nonempty] = np.maximum(peak + bias, 0)
    h = pooled if keep is None else pooled * keep
    z = h @ out_w + out_b[0]
    # BCEWithLogits in its stable form, then mean over the batch of weight x loss.
    loss = float(
        np.mean((np.maximum(z, 0) - z * targets + np.log1p(np.exp(-np.abs(z)))) * row_weights)
    )
    sigmoid = 0.5 * (1 + np.tanh(0.5 * z))  # no overflow warning for large |z|
    dz = ((sigmoid - targets) * row_weights / n).astype(dtype)
    g_out_w = h.T @ dz
    g_out_b = np.array([dz.sum()], dtype=dtype)
    dh = dz[:, None] * out_w[None, :]
    if keep is not None:
        dh *= keep
    g = (dh * (pooled > 0))[nonempty]
    g_bias = g.sum(axis=0)
    g_weights = np.zeros_like(weights)
    if len(first):
        g_weights = _weight_grad(x, pre, peak, first, last, g, weights.shape[1])
    return loss, z, [g_weights, g_bias, g_out_w, g_out_b]


def _weight_grad(
    x: np.ndarray,
    pre: np.ndarray,
    peak: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    g: np.ndarray,
    width: int,
) -> np.ndarray:
    """Gradient of ``weights`` given the gradient ``g`` of the pooled maxima (S, 3F)."""
    n_tok, f3 = pre.shape
    f = f3 // 3
    lens = last - first + 1
    # The max's gradient goes to one position, the first, as torch's max(dim) sends it to
    # the one index it returns: repeated tokens tie exactly, and sending it to every tied
    # position would count it several times.
    at_peak = pre == np.repeat(peak, lens, axis=0)
    pos = np.where(at_peak, np.arange(n_tok, dtype=np.int32)[:, None], np.int32(n_tok))
    arg = np.minimum.reduceat(pos, first, axis=0)
    # Row r of dp is token r - 1: the spare first and last rows take the taps that fall
    # before the first token or after the last, so every write below is in bounds. Within
    # one column the rows written are distinct, as each sentence writes inside its own span.
    dp = np.zeros((n_tok + 2, width), dtype=g.dtype)
    cols = np.arange(f3)
    dp[arg + 1, cols] = g
    dp[arg[:, f:], f3 + cols[: 2 * f]] = g[:, f:]
    dp[arg[:, 2 * f :] + 2, f3 + 2 * f + cols[:f]] = g[:, 2 * f :]
    # Mirror of the zeroing in add_shifted_taps: taps across a sentence boundary get none.
    dp[last + 1, f3 : f3 + 2 * f] = 0
    dp[first + 1, f3 + 2 * f :] = 0
    return x.T @ dp[1:-1]


def _init_head(rng: np.random.Generator, dim: int, filters: int, max_tokens: int) -> ConvHead:
    """PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases."""
    kernels, biases = [], []
    for w in WIDTHS:
        bound = 1 / np.sqrt(dim * w)
        kernels.append(rng.uniform(-bound, bound, (filters, dim, w)))
        biases.append(rng.uniform(-bound, bound, filters))
    bound = 1 / np.sqrt(len(WIDTHS) * filters)
    out_w = rng.uniform(-bound, bound, len(WIDTHS) * filters)
    out_b = rng.uniform(-bound, bound)
    return ConvHead.from_kernels(kernels, biases, out_w, float(np.float32(out_b)), max_tokens)


class _Adam:
    """torch.optim.Adam with default betas and eps, no weight decay, updating in place."""

    def __init__(self, params: list[np.ndarray], lr: float) -> None:
        self.params = params
        self.lr = lr
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        """One update, in torch's order of operations."""
        b1, b2, eps = 0.9, 0.999, 1e-8
        self.t += 1
        step_size = self.lr / (1 - b1**self.t)
        bc2_sqrt = math.sqrt(1 - b2**self.t)
        for p, m, v, g in zip(self.params, self.m, self.v, grads, strict=True):
            m += (g - m) * (1 - b1)
            v *= b2
            v += (1 - b2) * g * g
            denom = np.sqrt(v) / bc2_sqrt + eps
            p -= step_size * m / denom
