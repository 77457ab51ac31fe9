"""Proposer benchmarks that need no database: ``score_sentences`` and one 1,000-word article.

Both run pinned to one core (``taskset -c 0``), in a fresh process, as a worker or a newsroom
tool would. ``score_sentences`` reads distinct sentences: the check-worthiness training
sentences in ../shared/data/checkworthiness (read by path, never copied), topped up with
generated news sentences (bench.textgen) when more are wanted or the file is absent. Repeated
input would mostly be answered by the tokenizer's chunk cache (issue #17: the seed sentences
repeated ran at about 15,900/s, distinct debate sentences at about 8,800/s), so the run
reports the cache's hit rate too. The article benchmark builds its article from the seed
articles in ../shared/seeds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import core


def _pinned(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def _run_measured(
    cmd: list[str], *, stdin_path: Path, env: dict
) -> tuple[float, float, int, float, str]:
    """(wall seconds, peak RSS MB, exit code, CPU seconds, stderr) of one child process."""
    with open(stdin_path, "rb") as stdin, open(os.devnull, "wb") as out:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0,):
        print(err[-2000:], file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime, err


def seed_sentences() -> list[str]:
    from extraction.segment import split_sentences

    out = []
    for path in sorted(core.SEEDS.glob("*.txt")):
        out += [s.text for s in split_sentences(path.read_text(encoding="utf-8"))]
    return out


TRAINING_SENTENCES = core.REPO.parent / "shared" / "data" / "checkworthiness" / "train.jsonl"
DOC_LINES = 40


def distinct_sentences(n: int, seed: int = 11) -> tuple[list[str], int]:
    """``n`` distinct sentences: the training sentences first, then generated news text.

    Returns the sentences and how many came from the training file.
    """
    from bench.textgen import World, render

    seen: dict[str, None] = {}
    if TRAINING_SENTENCES.exists():
        with TRAINING_SENTENCES.open(encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text", "").strip()
                if text:
                    seen.setdefault(text, None)
                if len(seen) >= n:
                    break
    from_training = len(seen)
    world = World(seed=seed)
    attempts = 0
    while len(seen) < n:
        attempts += 1
        if attempts > 50 * n:
            raise RuntimeError(f"could not generate {n} distinct sentences")
        text = render(world.new_fact())[0] if attempts % 2 else world.filler()
        seen.setdefault(text, None)
    return list(seen)[:n], from_training


def write_sentences(path: Path, n: int) -> int:
    """Write ``n`` distinct sentences as score_sentences input, 40 to a doc; return how many
    came from the training file."""
    sentences, from_training = distinct_sentences(n)
    with path.open("w") as f:
        for i, text in enumerate(sentences):
            f.write(json.dumps({"id": i, "text": text, "doc": f"d{i // DOC_LINES}"}) + "\n")
    return from_training


def parse_cache_stats(stderr: str) -> float | None:
    """The hit rate from score_sentences --cache-stats' stderr line, or None."""
    match = re.search(r"tokenizer chunk cache: (\d+) hits, (\d+) misses", stderr)
    if not match:
        return None
    hits, misses = int(match.group(1)), int(match.group(2))
    return hits / (hits + misses) if hits + misses else None


def bench_score_sentences(sizes: core.Sizes) -> list[core.Result]:
    cmd = _pinned([core.PY, "manage.py", "score_sentences", "--cache-stats"])
    result = core.Result(
        "proposer",
        "Proposer: score_sentences (one core)",
        "python -m bench --only proposer  # = taskset -c 0 python manage.py score_sentences "
        f"< {sizes.sentences:,} distinct JSON lines",
    )
    env = core.bench_env(os.environ["DATABASE_URL"])
    startup = core.Figure("start-up (1 line in, process start to exit)", "s", target="<= 2")
    rate = core.Figure("steady-state throughput", "sentences/s", target=">= 5000")
    rss = core.Figure("peak RSS", "MB", target="<= 300")
    rate_cpu = core.Figure("throughput per CPU second (user+sys)", "sentences/s", target=">= 5000")
    startup_cpu = core.Figure("start-up CPU time", "s", target="<= 2")
    hit_rate = core.Figure("tokenizer chunk cache hit rate (N lines)", "share")
    with tempfile.TemporaryDirectory() as tmp:
        one, many = Path(tmp) / "one.jsonl", Path(tmp) / "many.jsonl"
        write_sentences(one, 1)
        from_training = write_sentences(many, sizes.sentences)
        for _ in range(min(sizes.runs, 3)):
            wall1, _, code1, cpu1, _ = _run_measured(cmd, stdin_path=one, env=env)
            wall, peak, code, cpu, err = _run_measured(cmd, stdin_path=many, env=env)
            if code1 or code:
                return [result.unavailable(f"score_sentences exited {code1 or code}")]
            rate_of_hits = parse_cache_stats(err)
            if rate_of_hits is not None:
                hit_rate.values.append(rate_of_hits)
            startup.values.append(wall1)
            rate.values.append(sizes.sentences / max(wall - wall1, 1e-6))
            rate_cpu.values.append(sizes.sentences / max(cpu - cpu1, 1e-6))
            startup_cpu.values.append(cpu1)
            rss.values.append(peak)
    rate.note = "sentences / (wall for N lines - wall for 1 line); start-up excluded"
    result.figures = [rate, rate_cpu, startup, startup_cpu, rss, hit_rate]
    result.notes.append(
        "Wall figures are what a caller waits for; CPU figures are the process's own user+sys "
        "time, which stays meaningful when other work shares the core."
    )
    result.notes.append(
        f"Input: {sizes.sentences:,} distinct sentences ({from_training:,} from "
        f"{TRAINING_SENTENCES.name} of ../shared/data/checkworthiness, "
        f"{sizes.sentences - from_training:,} generated news sentences), {DOC_LINES} per doc, "
        "so the scorer uses neighbours as in production. The hit rate counts chunk lookups "
        "the tokenizer cache answered (words repeat across distinct sentences)."
    )
    return [result]


def bench_article(sizes: core.Sizes) -> list[core.Result]:
    runs = 20 if sizes.name == "quick" else 200
    cmd = _pinned([core.PY, "-m", "bench.offline", "article", str(runs)])
    result = core.Result(
        "article",
        "Proposer: one 1,000-word article (one core)",
        "python -m bench --only article  # = taskset -c 0 python -m bench.offline article 200",
    )
    if not core.SEEDS.exists():
        return [result.unavailable(f"{core.SEEDS} is missing (the article is built from it)")]
    env = core.bench_env(os.environ["DATABASE_URL"])
    wall = core.Figure("propose() wall time per article", "ms", target="< 50")
    startup = core.Figure("start-up (scorer and language model loaded, first run)", "s")
    cpu = core.Figure("propose() CPU time per article", "ms", target="< 50")
    rss = core.Figure("process peak RSS after the runs", "MB", target="<= 300")
    for _ in range(sizes.runs):
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if out.returncode:
            print(out.stderr[-2000:], file=sys.stderr)
            return [result.unavailable(f"bench.offline article exited {out.returncode}")]
        data = json.loads(out.stdout.strip().splitlines()[-1])
        wall.values.extend(data["wall_ms"])
        cpu.values.extend(data["cpu_ms"])
        startup.values.append(data["startup_s"])
        rss.values.append(data["rss_mb"])
        words, claims = data["words"], data["claims"]
    wall.note = f"{sizes.runs} processes x {runs} runs, after one warm-up run each"
    result.figures = [wall, cpu, startup, rss]
    result.notes.append(
        f"Article: {words} words from the seed articles (bench/propose_speed.py builds it), "
        f"{claims} claims proposed; news scorer (the articles' default)."
    )
    return [result]


def _article_child(runs: int) -> None:
    import resource

    sys.path.insert(0, str(core.REPO))
    from bench.propose_speed import thousand_word_article
    from extraction.pipeline import propose
    from extraction.scoring import load_scorer

    body = thousand_word_article()
    began = time.perf_counter()
    scorer = load_scorer("news")  # what articles are proposed with (CLAIM_SCORER's default)
    result = propose(body, outlet="Bench", scorer=scorer)
    startup = time.perf_counter() - began
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        propose(body, outlet="Bench", scorer=scorer)
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "wall_ms": walls,
                "cpu_ms": cpus,
                "startup_s": startup,
                "rss_mb": rss,
                "words": len(body.split()),
                "claims": len(result.claims),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["article"]:
        import django

        django.setup()  # the scorer registry reads settings (threshold, backend)
        _article_child(int(sys.argv[2]))
