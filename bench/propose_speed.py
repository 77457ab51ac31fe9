"""Benchmark: ``propose()`` on a 1,000-word article, one core (target < 50 ms).

Builds the article from the seed articles in ../shared/seeds (read, never copied), warms
the scorer and language model up once (start-up is reported separately), then times
repeated runs. Usage: ``python bench/propose_speed.py [--scorer news|default|rules] [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extraction.pipeline import propose  # noqa: E402
from extraction.scoring import load_scorer  # noqa: E402
from extraction.segment import split_sentences  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"


def thousand_word_article() -> str:
    paragraphs: list[str] = []
    words = 0
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            paragraphs.append(line)
            words += len(line.split())
            if words >= 1000:
                return "\n\n".join(paragraphs)
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scorer", default="news")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    body = thousand_word_article()
    began = time.perf_counter()
    scorer = load_scorer(args.scorer)
    propose(body, outlet="Bench", scorer=scorer)  # loads langid and the model lazily
    startup = time.perf_counter() - began

    wall, cpu = [], []
    for _ in range(args.runs):
        w, c = time.perf_counter(), time.process_time()
        result = propose(body, outlet="Bench", scorer=scorer)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)

    stages = {}
    for name, fn in [
        ("segment", lambda: split_sentences(body)),
        ("propose, language given", lambda: propose(body, language="en", scorer=scorer)),
    ]:
        c = time.process_time()
        for _ in range(args.runs):
            fn()
        stages[name] = (time.process_time() - c) * 1000 / args.runs

    print(
        f"article: {len(body.split())} words, {len(result.sentences)} sentences, "
        f"{len(result.claims)} claims; scorer {result.scorer}"
    )
    print(f"start-up (scorer + language model + first run): {startup * 1000:.0f} ms")
    print(
        f"propose(): median {statistics.median(wall):.1f} ms wall, "
        f"{statistics.median(cpu):.1f} ms CPU, best {min(wall):.1f} ms ({args.runs} runs)"
    )
    for name, ms in stages.items():
        print(f"  {name}: {ms:.2f} ms CPU")


if __name__ == "__main__":
    main()
