"""Benchmark: the article scorer ("news") against the debate scorer on DISTINCT sentences.

The older benches repeat ~100 seed sentences, so the tokenizer's chunk cache answers most
of them; this one scores the training set's distinct sentences (../shared/data/
checkworthiness/train.jsonl, read, never copied) and reports the cache hit rate, then a
1,000-word article built from further distinct sentences. One core, fresh caches.
Usage: ``python bench/news_speed.py [--sentences N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extraction.pipeline import propose  # noqa: E402
from extraction.scoring import load_scorer  # noqa: E402
from extraction.types import ScoringItem  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "checkworthiness" / "train.jsonl"


def _hit_rate(emb, texts: list[str]) -> float:
    cache = emb._chunk_ids
    if cache is None:
        return 0.0
    chunks = [c for t in texts for c in t.split(" ")]
    return sum(c in cache for c in chunks) / max(1, len(chunks))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=22_099)
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    texts = list(dict.fromkeys(r["text"] for r in rows))
    article_texts, texts = texts[-200:], texts[: args.sentences]
    for name in ("default", "news"):
        scorer = load_scorer(name)
        scorer.score([ScoringItem(text="Warm-up sentence with 3 numbers.")])
        emb = getattr(scorer, "base", scorer).text.emb
        emb._chunk_ids.clear()
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), 1000):
            batch = texts[i : i + 1000]
            hits = _hit_rate(emb, batch) if i == 1000 else None
            scorer.score([ScoringItem(text=t) for t in batch])
            if hits is not None:
                second_batch_hits = hits
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(
            f"{name}: {len(texts)} distinct sentences in {wall:.2f} s "
            f"({len(texts) / wall:,.0f}/s wall, {len(texts) / cpu:,.0f}/s CPU); "
            f"chunk cache hit rate on the 2nd batch of 1,000: {second_batch_hits:.1%}"
        )
    body, words = [], 0
    for t in article_texts:
        body.append(t)
        words += len(t.split())
        if words >= 1000:
            break
    article = "\n\n".join(body)
    scorer = load_scorer("news")
    times = []
    for _ in range(20):
        began = time.process_time()
        propose(article, language="en", outlet="Bench", scorer=scorer)
        times.append((time.process_time() - began) * 1000)
    times.sort()
    print(f"news: {words}-word article of distinct sentences, median {times[10]:.1f} ms CPU")


if __name__ == "__main__":
    main()
