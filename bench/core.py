"""Shared pieces of the benchmark suite: where it runs, how figures are summarised, the report."""

from __future__ import annotations

import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
PY = sys.executable

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


@dataclass
class Sizes:
    articles: int
    claims: int
    import_articles: int
    worker_articles: int
    sentences: int
    runs: int
    requests_seconds: float
    name: str


FULL = Sizes(100_000, 1_000_000, 10_000, 10_000, 30_000, 5, 8.0, "full")
QUICK = Sizes(200, 2_000, 100, 40, 2_000, 2, 1.0, "quick")


def database_url(name: str) -> str:
    """The bench's own database on the server of BENCH_DATABASE_URL / DATABASE_URL / default.

    Only the database name chosen here is ever created, filled, truncated or dropped.
    """
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        base = urlsplit(explicit)
        if name.endswith("_work"):
            return urlunsplit(base._replace(path=base.path.rstrip("/") + "_work"))
        return explicit
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = DEFAULT_SERVER
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name, query=""))


def broker_url() -> str:
    return os.environ.get("BENCH_BROKER_URL", DEFAULT_REDIS)


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database named in url (on its server) if missing; drop it first if fresh."""
    import psycopg

    name = db_name(url)
    assert name.startswith("factcheck_bench") or os.environ.get("BENCH_DATABASE_URL"), name
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_env(db_url: str, **extra: str) -> dict[str, str]:
    """Environment for processes the suite starts (manage.py, celery, gunicorn)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": broker_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-insecure-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DEBUG": "0",
        # The load goes to gunicorn over plain HTTP on 127.0.0.1: no HTTPS redirect.
        "FACTCHECK_PLAIN_HTTP": "1",
        "PYTHONPATH": str(REPO),
    }
    env.update(extra)
    return env


# --- Figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured quantity of one benchmark, with its target."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: str = ""  # e.g. ">= 500", "< 50", "constant"
    status: str = "NOT AVAILABLE"  # PASS / FAIL / NOT AVAILABLE / INFO
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    def spread(self) -> str:
        if not self.values:
            return ""
        vs = sorted(self.values)
        if len(vs) >= 4:
            q = statistics.quantiles(vs, n=4)
            return f"IQR {fmt(q[0])}-{fmt(q[2])}"
        return f"min-max {fmt(vs[0])}-{fmt(vs[-1])}"

    def judge(self) -> Figure:
        if not self.values or not self.target:
            self.status = "INFO" if self.values else self.status
            return self
        op, _, bound = self.target.partition(" ")
        m, b = self.median, float(bound)
        ok = {">=": m >= b, ">": m > b, "<=": m <= b, "<": m < b}[op]
        self.status = "PASS" if ok else "FAIL"
        return self


@dataclass
class Result:
    """One benchmark: its figures, the command that reproduces it, notes."""

    name: str
    title: str
    command: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    available: bool = True
    seconds: float = 0.0

    def unavailable(self, why: str) -> Result:
        self.available = False
        self.notes.append(f"NOT AVAILABLE: {why}")
        return self


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    if float(x).is_integer() and abs(x) < 1000:
        return str(int(x))
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def timed_each(fn, items) -> list[float]:
    """Wall milliseconds of fn(item) for each item."""
    out = []
    for item in items:
        began = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - began) * 1000)
    return out


def timed(fn, runs: int) -> list[float]:
    """Wall milliseconds of fn() over runs calls."""
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def print_result(result: Result) -> None:
    print(f"\n== {result.title} ({result.seconds:.0f} s)")
    if not result.available:
        print("   NOT AVAILABLE")
    for f in result.figures:
        print(
            f"   [{f.status:^13}] {f.name}: median {fmt(f.median)} {f.unit}"
            f" ({f.spread()}, n={len(f.values)}) target {f.target or '-'} {f.note}"
        )
    for note in result.notes:
        print(f"   note: {note}")
    print(f"   reproduce: {result.command}")
    sys.stdout.flush()


# --- Machine and versions ---------------------------------------------------------------------


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_info(db_url: str) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    import django
    import psycopg

    with psycopg.connect(db_url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    redis = ""
    try:
        import redis as redis_lib

        redis = redis_lib.Redis.from_url(broker_url()).info("server")["redis_version"]
    except Exception as exc:
        redis = f"unreachable ({exc.__class__.__name__})"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "redis": redis,
        "git": _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
    }


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


# --- Report -----------------------------------------------------------------------------------


def write_report(
    results: list[Result], *, info: dict, sizes: Sizes, markdown: Path, data: Path, argv: list[str]
) -> None:
    payload = {
        "machine": info,
        "sizes": asdict(sizes),
        "command": " ".join(["python -m bench", shlex.join(argv)]).strip(),
        "results": [
            {
                **{k: v for k, v in asdict(r).items() if k != "figures"},
                "figures": [
                    {**asdict(f), "median": f.median, "spread": f.spread()} for f in r.figures
                ],
            }
            for r in results
        ],
    }
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(json.dumps(payload, indent=2) + "\n")

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand. Targets come from the",
        "issues (#3 import, #4 proposer, #5 worker, #6 reviewer pages, #7 API, #8 matching).",
        "A missed target is shown as FAIL; the suite never fails CI on timings.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory_gb']} GB; {info['os']}",
        f"- Python {info['python']}, Django {info['django']}, PostgreSQL {info['postgresql']}, "
        f"Redis {info['redis']}; commit {info['git']}",
        f"- Load average at start {info.get('load_start')}, at end {info.get('load_end')} "
        "(1/5/15 min). " + info.get("load_note", ""),
        f"- Sizes ({sizes.name}): {sizes.articles:,} articles and {sizes.claims:,} claims in the "
        f"page/API/matching database; {sizes.import_articles:,} articles per import run, "
        f"{sizes.worker_articles:,} through the workers, {sizes.sentences:,} sentences for the "
        f"scorer; {sizes.runs} runs per figure (fewer where noted). Archive database "
        f"{info.get('data', '')}, generation took {info.get('generation_s', '?')} s.",
        f"- Command: `{payload['command']}`; started {info.get('started')}, took "
        f"{info.get('took_s', 0):.0f} s.",
        "",
        "## Figures",
        "",
        "| benchmark | figure | median | spread | n | target | result |",
        "| --- | --- | ---: | --- | ---: | --- | --- |",
    ]
    for r in results:
        if not r.figures:
            lines.append(f"| {r.title} | - | - | - | - | - | NOT AVAILABLE |")
        for f in r.figures:
            lines.append(
                f"| {r.title} | {f.name} | {fmt(f.median)} {f.unit} | {f.spread()} | "
                f"{len(f.values)} | {f.target or '-'} | **{f.status}** |"
            )
    lines += ["", "## Details and how to reproduce", ""]
    for r in results:
        lines += [f"### {r.title}", "", f"Reproduce: `{r.command}`", ""]
        for f in r.figures:
            if f.note:
                lines.append(f"- {f.name}: {f.note}")
        for note in r.notes:
            lines.append(f"- {note}")
        lines.append("")
    extra = REPO / "bench" / "FINDINGS.md"
    if extra.exists() and sizes.name == "full":
        lines += ["## Findings", "", extra.read_text().strip(), ""]
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.write_text("\n".join(lines) + "\n")


def rerender(data: Path, markdown: Path) -> None:
    """Write the Markdown report again from its JSON (e.g. after bench/FINDINGS.md changed)."""
    payload = json.loads(data.read_text())
    results = []
    for r in payload["results"]:
        figures = [
            Figure(f["name"], f["unit"], f["values"], f["target"], f["status"], f["note"])
            for f in r["figures"]
        ]
        fields = {k: v for k, v in r.items() if k != "figures"}
        results.append(Result(**fields, figures=figures))
    sizes = Sizes(**payload["sizes"])
    argv = shlex.split(payload["command"])[3:]
    write_report(
        results, info=payload["machine"], sizes=sizes, markdown=markdown, data=data, argv=argv
    )
