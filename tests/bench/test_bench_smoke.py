"""Smoke run of the benchmark suite (`python -m bench --quick`): the scripts work, the report
is written (to a temporary path, never over docs/), and the generated data keeps its
invariants. The figures themselves are not checked: timings are noisy, and the suite reports
missed targets instead of failing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from bench import core

# `shared`: the proposer and import benchmarks build their input from ../shared/seeds.
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.shared]

REPO = Path(__file__).resolve().parents[2]
EXPECTED = {
    "import-cli",
    "import-api",
    "proposer",
    "article",
    "worker",
    "pages",
    "list",
    "changes",
    "bare",
    "matching",
    "queries",
    "retrieval",
    "dashboard",
    "archive",
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    report, data = out / "BENCHMARKS.md", out / "benchmarks.json"
    docs_before = {p: p.stat().st_mtime for p in (REPO / "docs").glob("*")}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--report", str(report), "--json", str(data)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    docs_after = {p: p.stat().st_mtime for p in (REPO / "docs").glob("*")}
    return proc, report, data, docs_before == docs_after


def test_quick_run_exits_zero_and_writes_the_report_to_the_given_path(quick_run):
    proc, report, _, docs_untouched = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert docs_untouched
    text = report.read_text()
    for heading in ("## Machine", "## Figures", "## Details and how to reproduce"):
        assert heading in text
    assert "PostgreSQL" in text and "Redis" in text


def test_every_benchmark_ran_and_judged_its_figures(quick_run):
    _, _, data, _ = quick_run
    payload = json.loads(data.read_text())
    results = {r["name"]: r for r in payload["results"]}
    assert set(results) == EXPECTED
    for name, result in results.items():
        assert result["available"], (name, result["notes"])
        assert result["figures"], name
        assert "reproduce" not in result["command"] and result["command"].startswith(
            "python -m bench"
        )
        for figure in result["figures"]:
            assert figure["values"], (name, figure["name"])
            assert figure["status"] in {"PASS", "FAIL", "INFO"}, (name, figure)
            if figure["target"]:
                assert figure["status"] in {"PASS", "FAIL"}, (name, figure)


def test_generated_claims_point_at_their_exact_text_with_reviews_recorded(quick_run):
    url = core.database_url("factcheck_bench_quick")
    with psycopg.connect(url) as conn:
        mismatched = conn.execute(
            "SELECT count(*) FROM claims_claim c JOIN articles_article a ON a.id = c.article_id "
            'WHERE substr(a.body, c.start + 1, c."end" - c.start) <> c.text'
        ).fetchone()[0]
        shares = dict(conn.execute("SELECT status, count(*) FROM claims_claim GROUP BY 1"))
        unrecorded = conn.execute(
            "SELECT count(*) FROM claims_claim c WHERE c.status <> 'proposed' AND NOT EXISTS "
            "(SELECT 1 FROM claims_claimstatuschange h WHERE h.claim_id = c.id "
            "AND h.to_status = c.status)"
        ).fetchone()[0]
        keys = conn.execute("SELECT count(DISTINCT claim_id) FROM claims_claimmatchkey").fetchone()[
            0
        ]
    total = sum(shares.values())
    assert total == core.QUICK.claims
    assert mismatched == 0
    assert unrecorded == 0
    assert 0.6 < shares["proposed"] / total < 0.95
    assert set(shares) == {"proposed", "verified", "disputed", "unconfirmed", "dismissed"}
    assert keys == total


def test_rerender_rebuilds_the_same_report_from_its_json(quick_run, tmp_path):
    _, report, data, _ = quick_run
    again = tmp_path / "again.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--rerender", "--json", str(data), "--report", str(again)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert again.read_text() == report.read_text()
