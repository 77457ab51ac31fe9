"""The numpy convolutional head (inference): torch-equivalent forward, saving and loading."""

from __future__ import annotations

import numpy as np
import pytest

from extraction import conv as C


def _random_head(rng, dim, filters, max_tokens=C.MAX_TOKENS, dtype=np.float32):
    kernels = [rng.standard_normal((filters, dim, w)) for w in C.WIDTHS]
    biases = [rng.standard_normal(filters) * 0.1 for _ in C.WIDTHS]
    out_w = rng.standard_normal(3 * filters)
    return C.ConvHead.from_kernels(kernels, biases, out_w, 0.25, max_tokens), kernels, biases


def _reference_logits(kernels, biases, out_w, out_b, lengths, flat_ids, vectors, max_tokens):
    """One sentence at a time, straight from torch's Conv1d(padding=w // 2) definition."""
    out = []
    start = 0
    for n in lengths:
        ids = flat_ids[start : start + n][:max_tokens]
        start += n
        feats = []
        for kernel, bias in zip(kernels, biases, strict=True):
            w = kernel.shape[2]
            if not len(ids):
                feats.append(np.zeros(len(bias)))
                continue
            pad = w // 2
            x = np.zeros((len(ids) + 2 * pad, vectors.shape[1]))
            x[pad : pad + len(ids)] = vectors[ids]
            conv = [
                bias + sum(kernel[:, :, k] @ x[t + k] for k in range(w)) for t in range(len(ids))
            ]
            feats.append(np.maximum(np.max(conv, axis=0), 0))
        out.append(np.concatenate(feats) @ out_w + out_b)
    return np.array(out)


def _ids(lengths, vocab, rng):
    return rng.integers(0, vocab, int(np.sum(lengths)))


# --------------------------------------------------------------------------- forward

FORWARD_TABLE = [
    ("no sentences", []),
    ("one empty sentence", [0]),
    ("one token", [1]),
    ("two tokens", [2]),
    ("empty sentences between others", [0, 3, 0, 0, 2, 0]),
    ("mixed", [5, 1, 2, 7, 3]),
    ("longer than max_tokens", [9, 14, 3]),
    ("many chunks", list(np.random.default_rng(5).integers(0, 12, 300))),
]


@pytest.mark.parametrize(
    "lengths", [r[1] for r in FORWARD_TABLE], ids=[r[0] for r in FORWARD_TABLE]
)
def test_logits_match_torch_conv1d_definition(lengths):
    rng = np.random.default_rng(0)
    dim, filters, max_tokens = 6, 3, 8
    vectors = rng.standard_normal((40, dim)).astype(np.float32)
    head, kernels, biases = _random_head(rng, dim, filters, max_tokens)
    lengths = np.array(lengths, dtype=np.int64)
    flat = _ids(lengths, 40, rng)
    got = head.logits(lengths, flat, vectors)
    want = _reference_logits(
        kernels, biases, head.out_w, head.out_b, lengths, flat, vectors, max_tokens
    )
    assert got.dtype == np.float64
    assert got.shape == (len(lengths),)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_empty_sentence_gets_the_output_bias():
    rng = np.random.default_rng(1)
    head, _, _ = _random_head(rng, 4, 2)
    vectors = rng.standard_normal((10, 4)).astype(np.float32)
    got = head.logits(np.array([0, 2, 0]), np.array([3, 4]), vectors)
    assert got[0] == got[2] == head.out_b


def test_tokens_past_max_tokens_are_ignored():
    rng = np.random.default_rng(2)
    head, _, _ = _random_head(rng, 4, 2, max_tokens=5)
    vectors = rng.standard_normal((10, 4)).astype(np.float32)
    long_ids = np.array([1, 2, 3, 4, 5, 6, 7, 8])
    got = head.logits(np.array([8, 5]), np.concatenate([long_ids, long_ids[:5]]), vectors)
    assert got[0] == got[1]


def test_truncate_rejects_lengths_that_do_not_match_the_ids():
    with pytest.raises(ValueError, match="lengths sum to 3"):
        C.truncate(np.array([1, 2]), np.array([0, 1]), 80)


# --------------------------------------------------------------------------- saving


def test_arrays_round_trip_through_an_npz_file(tmp_path):
    rng = np.random.default_rng(11)
    head, _, _ = _random_head(rng, 6, 3, max_tokens=12)
    arrays = head.to_arrays()
    assert all(k.startswith("conv_") for k in arrays)
    assert all(a.dtype == np.float32 for k, a in arrays.items() if k != "conv_max_tokens")
    np.savez(tmp_path / "head.npz", **arrays)
    with np.load(tmp_path / "head.npz") as z:
        loaded = C.ConvHead.from_arrays(z)
    assert loaded.max_tokens == 12
    assert loaded.out_b == head.out_b
    for k, a in loaded.to_arrays().items():
        assert a.tobytes() == arrays[k].tobytes()
    vectors = rng.standard_normal((20, 6)).astype(np.float32)
    lengths = np.array([3, 0, 14])
    flat = _ids(lengths, 20, rng)
    assert loaded.logits(lengths, flat, vectors).tobytes() == (
        head.logits(lengths, flat, vectors).tobytes()
    )
