"""Benchmark: fact-check archive retrieval (issue #18), one core, no database.

Builds the index of the 10,375 verified claims of ../shared/data/claim-retrieval, saves and
reloads it, then ranks the dev and train queries one at a time with the shipped ranker and
reports per-query wall and CPU time after load (target < 20 ms) and MAP@5 on dev (the
held-out target is 0.93; dev is its stand-in here). Run by ``python -m bench --only
retrieval`` (pinned to core 0 with taskset), or directly:

    python -m bench.retrieval_speed [--queries N]   # prints one JSON object
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import core

DATA = Path(os.environ.get("FACTCHECK_SHARED_DIR", core.REPO.parent / "shared")) / (
    "data/claim-retrieval"
)


def bench_retrieval(sizes: core.Sizes) -> list[core.Result]:
    queries = 200 if sizes.name == "quick" else 1000
    cmd = [core.PY, "-m", "bench.retrieval_speed", "--queries", str(queries)]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", "0", *cmd]
    result = core.Result(
        "retrieval",
        "Fact-check archive retrieval (one core)",
        f"python -m bench --only retrieval  # = taskset -c 0 python -m bench.retrieval_speed "
        f"--queries {queries}",
    )
    if not DATA.exists():
        return [result.unavailable(f"{DATA} is missing (the archive and queries are read from it)")]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=core.REPO, check=False)
    if out.returncode:
        print(out.stderr[-3000:], file=sys.stderr)
        return [result.unavailable(f"bench.retrieval_speed exited {out.returncode}")]
    data = json.loads(out.stdout.strip().splitlines()[-1])
    wall = core.Figure("per query wall time after load", "ms", data["wall_ms"], target="< 20")
    cpu = core.Figure("per query CPU time after load", "ms", data["cpu_ms"], target="< 20")
    quality = core.Figure("MAP@5 on dev (197 queries)", "", [data["dev_map5"]], target=">= 0.93")
    first = core.Figure("MAP@5 on dev, first stage alone", "", [data["dev_map5_first_stage"]])
    build = core.Figure("index build (10,375 fact-checks)", "s", [data["build_s"]])
    load = core.Figure("saved index load", "s", [data["load_s"]])
    rss = core.Figure("peak RSS (index build included)", "MB", [data["rss_mb"]])
    result.figures = [wall, cpu, quality, first, build, load, rss]
    result.notes.append(
        f"{data['queries']} queries (dev then train tweets) ranked one at a time, top 5, "
        "after one warm-up query; archive and queries from ../shared/data/claim-retrieval."
    )
    return [result]


def _child(n_queries: int) -> dict:
    import resource

    import numpy as np

    sys.path.insert(0, str(core.REPO))
    from extraction.retrieval import ArchiveIndex, Ranker, default_ranker, read_archive
    from extraction.retrieval.evaluate import map_at_5, read_queries

    began = time.perf_counter()
    index = ArchiveIndex.build(read_archive(DATA / "verified_claims.jsonl").records)
    build_s = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as tmp:
        index.save(Path(tmp) / "archive.npz")
        began = time.perf_counter()
        index = ArchiveIndex.load(Path(tmp) / "archive.npz")
        load_s = time.perf_counter() - began
    ranker = default_ranker(index)
    dev = read_queries(DATA / "dev_queries.jsonl")
    queries = (dev + read_queries(DATA / "train_queries.jsonl"))[:n_queries]
    ranker.rank(queries[0]["text"])  # warm-up: lazy loads, first-call allocations
    wall, cpu, ranked = [], [], []
    for q in queries:
        w, c = time.perf_counter(), time.process_time()
        hits = ranker.rank(q["text"], top=5)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        ranked.append([h.id for h in hits])
    relevant = [set(q["relevant"]) for q in dev]
    first = Ranker(index)
    return {
        "queries": len(queries),
        "wall_ms": wall,
        "cpu_ms": cpu,
        "dev_map5": round(map_at_5(ranked[: len(dev)], relevant), 4),
        "dev_map5_first_stage": round(
            map_at_5([[h.id for h in first.rank(q["text"])] for q in dev], relevant), 4
        ),
        "build_s": round(build_s, 1),
        "load_s": round(load_s, 2),
        "p95_wall_ms": round(float(np.percentile(wall, 95)), 2),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=1000)
    print(json.dumps(_child(parser.parse_args().queries)))
