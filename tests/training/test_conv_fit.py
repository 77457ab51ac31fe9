"""The conv head's training half: exact backprop, deterministic fit, torch's init."""

from __future__ import annotations

import numpy as np
import pytest

from extraction import conv as C
from training import conv_fit as T

# --------------------------------------------------------------------------- backprop

GRADIENT_TABLE = [
    ("one sentence", [4], False),
    ("with an empty sentence", [3, 0, 1, 4, 2], False),
    ("with dropout", [3, 0, 1, 4, 2], True),
    ("single tokens", [1, 1, 1], False),
]


@pytest.mark.parametrize(
    ("lengths", "dropout"),
    [row[1:] for row in GRADIENT_TABLE],
    ids=[r[0] for r in GRADIENT_TABLE],
)
def test_backprop_matches_central_finite_differences(lengths, dropout):
    rng = np.random.default_rng(3)
    dim, filters = 5, 2
    lengths = np.array(lengths)
    n = len(lengths)
    # Distinct random token vectors: no ties in the max, where the loss has no derivative.
    x = rng.standard_normal((int(lengths.sum()), dim))
    params = [
        rng.standard_normal((dim, 6 * filters)),
        rng.standard_normal(3 * filters),
        rng.standard_normal(3 * filters),
        np.array([0.1]),
    ]
    targets, weights = rng.random(n), rng.random(n) + 0.5
    keep = (rng.random((n, 3 * filters)) > 0.3) / 0.7 if dropout else None

    def loss():
        return T._loss_and_grads(x, lengths, *params, targets, weights, keep)[0]

    _, _, grads = T._loss_and_grads(x, lengths, *params, targets, weights, keep)
    eps = 1e-6
    for p, g in zip(params, grads, strict=True):
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            up = loss()
            p[i] = old - eps
            down = loss()
            p[i] = old
            numeric[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8)


def test_max_gradient_goes_to_one_of_tied_positions():
    # The same token twice ties a width-1 filter exactly; counting both would double it.
    rng = np.random.default_rng(4)
    dim, filters = 3, 1
    vec = rng.standard_normal(dim)
    x = np.stack([vec, vec])
    params = [
        np.zeros((dim, 6 * filters)),
        np.zeros(3 * filters),
        np.ones(3 * filters),
        np.zeros(1),
    ]
    params[0][:, 0] = vec  # width-1 filter: peak vec.vec > 0 at both positions
    _, z, grads = T._loss_and_grads(x, np.array([2]), *params, np.zeros(1), np.ones(1), None)
    dz = 1 / (1 + np.exp(-z[0]))  # target 0, weight 1, out_w 1
    np.testing.assert_allclose(grads[0][:, 0], dz * vec)


# --------------------------------------------------------------------------- fitting


def _toy_task(rng, n=400, vocab=30, dim=12):
    """Sentences of random tokens; those holding token 7 are positive."""
    vectors = rng.standard_normal((vocab, dim)).astype(np.float32)
    lengths = rng.integers(2, 12, n)
    others = np.setdiff1d(np.arange(vocab), [7])
    flat = rng.choice(others, int(lengths.sum()))
    targets = (rng.random(n) < 0.5).astype(np.float32)
    starts = np.cumsum(lengths) - lengths
    positive = np.flatnonzero(targets)
    flat[starts[positive] + rng.integers(0, lengths[positive])] = 7
    return lengths, flat, vectors, targets


def _fit(lengths, flat, vectors, targets, **kw):
    kw = {"filters": 4, "epochs": 2, "batch_size": 16, **kw}
    return T.fit_conv_head(lengths, flat, vectors, targets, np.ones(len(targets)), **kw)


def test_head_learns_which_sentences_hold_a_token():
    rng = np.random.default_rng(6)
    lengths, flat, vectors, targets = _toy_task(rng)
    head = _fit(lengths, flat, vectors, targets, epochs=15, lr=1e-2)
    test_lengths, test_flat, _, test_targets = _toy_task(np.random.default_rng(7))
    pred = head.logits(test_lengths, test_flat, vectors) > 0
    assert np.mean(pred == test_targets.astype(bool)) >= 0.95


def test_same_seed_gives_identical_weights_and_another_seed_differs():
    lengths, flat, vectors, targets = _toy_task(np.random.default_rng(8), n=100)
    a = _fit(lengths, flat, vectors, targets, seed=1).to_arrays()
    b = _fit(lengths, flat, vectors, targets, seed=1).to_arrays()
    c = _fit(lengths, flat, vectors, targets, seed=2).to_arrays()
    assert all(a[k].tobytes() == b[k].tobytes() for k in a)
    assert a["conv_weights"].tobytes() != c["conv_weights"].tobytes()


def test_logits_equal_the_training_forward_without_dropout():
    rng = np.random.default_rng(9)
    lengths, flat, vectors, targets = _toy_task(rng, n=150)
    lengths[:3] = 0  # empty sentences and ones past max_tokens, as training sees them
    lengths[3:6] = 15
    flat = rng.integers(0, len(vectors), int(lengths.sum()))
    head = _fit(lengths, flat, vectors, targets, max_tokens=10)
    kept, kept_flat = C.truncate(lengths, flat, 10)
    params = [head.weights, head.bias, head.out_w, np.array([head.out_b], dtype=np.float32)]
    _, forward, _ = T._loss_and_grads(
        vectors[kept_flat], kept, *params, targets, np.ones(len(targets)), None
    )
    np.testing.assert_allclose(head.logits(lengths, flat, vectors), forward, rtol=1e-5, atol=1e-6)


def test_fit_starts_from_pytorch_default_init_bounds():
    rng = np.random.default_rng(10)
    dim, filters = 8, 16
    head = T._init_head(rng, dim, filters, C.MAX_TOKENS)
    for block, fan_in in enumerate([dim, 2 * dim, 3 * dim, 2 * dim, 3 * dim, 3 * dim]):
        cols = head.weights[:, block * filters : (block + 1) * filters]
        assert np.abs(cols).max() <= 1 / np.sqrt(fan_in)
    assert np.abs(head.out_w).max() <= 1 / np.sqrt(3 * filters)
