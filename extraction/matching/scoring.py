"""Signatures and similarity: ``analyse`` a claim, weigh tokens, score a pair."""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from extraction.matching.lexicon import _KEEP, _STOPWORDS, _SYNONYMS
from extraction.matching.normalise import _canonical_words, _stem
from extraction.matching.quantities import _quantities
from extraction.matching.types import ClaimSignature, Weight

# --- Signatures -----------------------------------------------------------------------------


def token_stem(word: str) -> str:
    """The token a folded word becomes in a signature (synonyms folded, light stemming)."""
    return _SYNONYMS.get(word) or _SYNONYMS.get(_stem(word)) or _stem(word)


@functools.lru_cache(maxsize=8192)
def analyse(text: str) -> ClaimSignature:
    """Compute the signature of one claim (tokens, keys, quantities, fingerprint)."""
    words, caps = _canonical_words(text)
    tokens: list[str] = []
    proper: set[str] = set()
    for w, cap in zip(words, caps, strict=True):
        if (w in _STOPWORDS and w not in _KEEP) or (len(w) < 2 and not w.isdigit()):
            continue
        stem = token_stem(w)
        tokens.append(stem)
        if cap:
            proper.add(stem)
    quantities = _quantities(text)
    keys = {t for t in tokens if len(t) >= 3 or t.isdigit()}
    keys.update(f"q:{q.kind}" for q in quantities if q.kind)
    distinct = sorted(set(tokens))
    fingerprint = hashlib.sha1(" ".join(distinct).encode("utf-8"), usedforsecurity=False)
    return ClaimSignature(
        text=text,
        tokens=tuple(tokens),
        proper=frozenset(proper),
        quantities=quantities,
        keys=frozenset(keys),
        fingerprint=fingerprint.hexdigest(),
    )


def static_weight(token: str, proper: frozenset[str] = frozenset()) -> float:
    """How much a shared token says about two claims being the same, without corpus stats."""
    if token[:1].isdigit() or (token.startswith("d") and token[1:].isdigit()):
        return 2.0  # figures and dates
    # Names are not boosted: in a newsroom's archive the same few names (a president, a
    # region) recur in unrelated claims; the IDF weight already ranks a rare name higher.
    if len(token) <= 3 and token not in proper:
        return 0.7
    return 1.0


def idf_weight(df: Mapping[str, int], n_docs: int) -> Weight:
    """A ``weight`` from document frequencies: words on every claim of the archive count little.

    ``df[token]`` is how many of ``n_docs`` claims contain the token; unseen tokens count fully.
    Scaled to [0.2, 1] so a common word still counts for something.
    """
    top = math.log(n_docs + 1) or 1.0

    def weight(token: str) -> float:
        seen = min(df.get(token, 0), n_docs)
        return 0.2 + 0.8 * math.log((n_docs + 1) / (seen + 1)) / top

    return weight


def corpus_weight(signatures: Iterable[ClaimSignature]) -> Weight:
    """``idf_weight`` computed over a collection of claims (tests, benchmarks, a demo archive)."""
    df: Counter[str] = Counter()
    n = 0
    for sig in signatures:
        df.update(set(sig.tokens))
        n += 1
    return idf_weight(df, n)


def _weights(sig: ClaimSignature, weight: Weight | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in sig.tokens:
        w = static_weight(t, sig.proper)
        if weight is not None:
            w *= weight(t)
        out[t] = max(out.get(t, 0.0), w)
    return out


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    # Unordered pairs of neighbours: "army foreign" == "foreign army" after reordering.
    return {tuple(sorted(pair)) for pair in itertools.pairwise(tokens)}


def _longest_shared_run(a: Sequence[str], b: Sequence[str], weights: dict[str, float]) -> float:
    """Weight of the heaviest run of shared tokens, in order in both, allowing one-word gaps."""
    best = 0.0
    run: dict[tuple[int, int], float] = {}
    positions: dict[str, list[int]] = {}
    for j, tb in enumerate(b):
        positions.setdefault(tb, []).append(j)
    for i, ta in enumerate(a):
        for j in positions.get(ta, ()):
            # Continue a run that ended one or two words earlier in both sentences.
            before = max(
                (run.get((i - di, j - dj), 0.0) for di in (1, 2) for dj in (1, 2)), default=0.0
            )
            run[(i, j)] = before + weights.get(ta, 1.0)
            best = max(best, run[(i, j)])
    return best


def _char_grams(weights: dict[str, float]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for t, w in weights.items():
        padded = f"<{t}>"
        for i in range(max(1, len(padded) - 3)):
            grams[padded[i : i + 4]] += w
    return grams


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def similarity(a: ClaimSignature, b: ClaimSignature, *, weight: Weight | None = None) -> float:
    """How strongly two claims assert the same fact, in [0, 1] (1 = same content words)."""
    wa, wb = _weights(a, weight), _weights(b, weight)
    if not wa or not wb:
        return 0.0
    if a.fingerprint == b.fingerprint:
        return 1.0
    shared = wa.keys() & wb.keys()
    inter = sum(min(wa[t], wb[t]) for t in shared)
    total_a, total_b = sum(wa.values()), sum(wb.values())
    dice = 2 * inter / (total_a + total_b)
    containment = inter / min(total_a, total_b)
    ba, bb = _bigrams(a.tokens), _bigrams(b.tokens)
    phrase = 0.0
    if ba and bb:
        # Shared neighbour pairs weighted like their words: "foreign army" > "the region".
        pair_weight = {pair: (wa[pair[0]] + wa[pair[1]]) / 2 for pair in ba}
        pair_weight_b = {pair: (wb[pair[0]] + wb[pair[1]]) / 2 for pair in bb}
        phrase = sum(min(pair_weight[p], pair_weight_b[p]) for p in ba & bb) / min(
            sum(pair_weight.values()), sum(pair_weight_b.values())
        )
    chars = _cosine(_char_grams(wa), _char_grams(wb))
    # A run of content words both sentences share in order ("foreign army on Russian soil since
    # World War II") is the same fact inside two otherwise different long sentences.
    run = _longest_shared_run(a.tokens, b.tokens, {t: min(wa[t], wb[t]) for t in shared})
    run_bonus = min(1.0, max(0.0, (run - 1.5) / 2.5))
    # A short claim wholly inside a long sentence is "partial overlap", still the same fact;
    # containment alone would also link every two-word fragment, so it is damped by size.
    small = min(len(wa), len(wb))
    damp = min(1.0, small / 6)
    score = 0.3 * dice + 0.3 * containment * damp + 0.2 * phrase * damp + 0.2 * chars
    score = max(score, score + 0.2 * run_bonus)
    return round(min(1.0, max(0.0, score)), 4)
