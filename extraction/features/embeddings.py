"""Static sentence embeddings (model2vec-distilled all-MiniLM-L6-v2) and their tokenizer."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

import numpy as np
from scipy import sparse

# --------------------------------------------------------------------------- static embeddings


# (tokens per text, all token ids in order): what ``StaticEmbeddings.token_ids`` returns.
Tokens = tuple[np.ndarray, np.ndarray]


class StaticEmbeddings:
    """model2vec-style static sentence embeddings: mean of int8 token vectors, l2-normalised.

    The table was distilled with model2vec from all-MiniLM-L6-v2 (see
    ``train.distill_embeddings``) and is stored quantised to int8 with one scale per
    token, so applying it needs only numpy and the ``tokenizers`` library.
    """

    # Most distinct space-separated chunks whose token ids are remembered (about 150 bytes
    # each); the cache is emptied when full, which changes nothing but the speed.
    CHUNK_CACHE_SIZE = 50_000

    def __init__(self, table: np.ndarray, scales: np.ndarray, tokenizer_json: str) -> None:
        from tokenizers import Tokenizer  # imported lazily: only the model scorer needs it

        self.table = np.asarray(table, dtype=np.int8)
        self.scales = np.asarray(scales, dtype=np.float32)
        self.dim = self.table.shape[1]
        # Dequantised once (about 30 MB for the shipped table) so scoring is one product.
        self.vectors = self.table.astype(np.float32) * self.scales[:, None]
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self._chunk_ids: dict[str, tuple[int, ...]] | None = (
            {} if splits_at_spaces(tokenizer_json) else None
        )
        # Chunk lookups answered by the cache and not (each occurrence counts): the benchmark
        # reports the hit rate, since repeated input makes the tokenizer look free.
        self.cache_hits = 0
        self.cache_misses = 0

    def cache_stats(self) -> dict[str, float]:
        """Chunk cache hits, misses and hit rate since the table was loaded."""
        total = self.cache_hits + self.cache_misses
        return {
            "hits": self.cache_hits,
            "misses": self.cache_misses,
            "hit_rate": self.cache_hits / total if total else 0.0,
        }

    @classmethod
    def from_npz(cls, path) -> StaticEmbeddings:
        """Load a table written by ``train.distill_embeddings``."""
        with np.load(path, allow_pickle=False) as z:
            return cls(z["table"], z["scales"], bytes(z["tokenizer"]).decode("utf-8"))

    def token_ids(self, texts: Sequence[str]) -> Tokens:
        """(tokens per text, all token ids in order), as ``encode_batch`` gives them."""
        cache = self._chunk_ids
        if cache is None:
            encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
            ids_of = [e.ids for e in encs]
            lengths = np.fromiter(map(len, ids_of), dtype=np.int64, count=len(ids_of))
        else:
            # The tokenizer is ~45 us a sentence, mostly per-call and per-token overhead;
            # news text repeats its words, so each space-separated chunk is tokenised once.
            # Exact because the tokenizer splits at spaces itself (``splits_at_spaces``).
            split = [t.split(" ") for t in texts]
            chunks = list(itertools.chain.from_iterable(split))
            ids_of = list(map(cache.get, chunks))
            missed = ids_of.count(None)
            self.cache_hits += len(ids_of) - missed
            self.cache_misses += missed
            if missed:
                pairs = zip(chunks, ids_of, strict=True)
                missing = list(dict.fromkeys(c for c, ids in pairs if ids is None))
                # One by one: encode_batch hands the chunks to a thread pool whose workers
                # spin while they wait, which on one core costs more than the chunks do.
                encode = self.tokenizer.encode
                new = {c: tuple(encode(c, add_special_tokens=False).ids) for c in missing}
                if len(cache) + len(new) > self.CHUNK_CACHE_SIZE:
                    cache.clear()
                cache.update(new)
                pairs = zip(chunks, ids_of, strict=True)
                ids_of = [new[c] if ids is None else ids for c, ids in pairs]
            per_chunk = np.fromiter(map(len, ids_of), dtype=np.int64, count=len(ids_of))
            # Every text has at least one chunk ("".split(" ") == [""]), so reduceat is safe.
            n_chunks = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
            starts = np.cumsum(n_chunks) - n_chunks
            lengths = np.add.reduceat(per_chunk, starts) if len(split) else np.zeros(0, np.int64)
        flat = np.fromiter(
            itertools.chain.from_iterable(ids_of), dtype=np.int64, count=int(lengths.sum())
        )
        return lengths, flat

    def embed(self, texts: Sequence[str], tokens: Tokens | None = None) -> np.ndarray:
        """Return one l2-normalised float32 vector per text (zeros for a text with no token).

        ``tokens`` is ``token_ids(texts)`` when the caller has it already.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        lengths, flat = tokens if tokens is not None else self.token_ids(texts)
        # Sum of token vectors as one sparse x dense product (C speed); the mean's 1/n
        # factor cancels in the l2 normalisation.
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        weights = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), flat, indptr),
            shape=(len(lengths), self.vectors.shape[0]),
        )
        sums = np.asarray(weights @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return sums / norms


# Tokenizer parts after which tokenising "a b" gives the tokens of "a" then those of "b":
# the normalizers work character by character (BERT's lower-casing, accent stripping and
# control-character removal never join across a space), and these pre-tokenizers split at
# every space and never emit one.
_SPACE_SPLIT_NORMALIZERS = {None, "BertNormalizer", "Lowercase"}
_SPACE_SPLIT_PRE_TOKENIZERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit"}
_SPACE_SPLIT_MODELS = {"WordPiece", "WordLevel"}


def splits_at_spaces(tokenizer_json: str) -> bool:
    """True if ``tokenizer_json`` tokenises a text as the concatenation of its " "-chunks."""
    spec = json.loads(tokenizer_json)
    normalizer = (spec.get("normalizer") or {}).get("type")
    pre = (spec.get("pre_tokenizer") or {}).get("type")
    model = (spec.get("model") or {}).get("type")
    # Added tokens are matched in the raw text before splitting: one holding a space, or
    # eating the spaces around it, could straddle a chunk boundary.
    added_ok = all(
        not any(c.isspace() for c in tok["content"])
        and not tok.get("lstrip")
        and not tok.get("rstrip")
        for tok in spec.get("added_tokens") or ()
    )
    return (
        normalizer in _SPACE_SPLIT_NORMALIZERS
        and pre in _SPACE_SPLIT_PRE_TOKENIZERS
        and model in _SPACE_SPLIT_MODELS
        and added_ok
    )
