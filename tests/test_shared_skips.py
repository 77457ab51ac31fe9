"""A clone with nothing beside it: tests that read ../shared skip, naming the path, and fail
instead under FACTCHECK_REQUIRE_SERVICES=1 (as in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# One module that takes the directory through the fixture and one through the marker.
TARGETS = ["tests/extraction/test_pipeline.py", "tests/training/test_metrics.py"]


def _pytest(missing: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "FACTCHECK_REQUIRE_SERVICES"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "shared",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            *TARGETS,
        ],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), "FACTCHECK_SHARED_DIR": str(missing), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_the_shared_directory_its_tests_skip_naming_the_path(tmp_path):
    missing = tmp_path / "no-shared-here"
    done = _pytest(missing)
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"reads the shared data directory, not found at {missing}" in done.stdout
    assert " passed" not in done.stdout and " failed" not in done.stdout
    assert "6 skipped" in done.stdout


def test_without_the_shared_directory_ci_fails(tmp_path):
    missing = tmp_path / "no-shared-here"
    done = _pytest(missing, FACTCHECK_REQUIRE_SERVICES="1")
    assert done.returncode != 0
    assert f"required service missing: reads the shared data directory, not found at {missing}" in (
        done.stdout + done.stderr
    )
