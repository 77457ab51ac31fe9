"""Fail on known vulnerabilities in the installed Python dependencies: ``python ops/audit.py``.

Runs pip-audit over the environment (``--skip-editable``: the project itself is not on PyPI)
and exits 1 when any installed distribution has a known vulnerability. pip-audit asks PyPI's
per-release JSON (``/pypi/NAME/VERSION/json``). Where that answers nothing (a mirror or proxy
that serves only the per-project JSON), pip-audit skips the package; this script then reads
the per-project JSON instead, whose ``vulnerabilities`` describe the latest release: exact for
a package installed at its latest version. What neither can audit is listed, and
``--strict`` makes it a failure.

Exit status: 0 clean, 1 vulnerabilities found, 2 packages left unaudited under --strict
(or pip-audit itself failed).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

PYPI_PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def run_pip_audit(extra: list[str]) -> dict:
    """pip-audit's JSON report for the current environment."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--progress-spinner=off",
            "--format=json",
            f"--output={report}",
            *extra,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        # 0: clean, 1: vulnerabilities found; anything else (or no report) is a failure.
        if result.returncode not in (0, 1) or not report.exists():
            sys.stderr.write(result.stderr)
            raise SystemExit(2)
        return json.loads(report.read_text())


def project_vulnerabilities(name: str, version: str, timeout: float = 20) -> list[dict] | None:
    """Known vulnerabilities of ``name==version`` from the per-project JSON, or None if it
    cannot tell (the installed version is not the latest, or PyPI did not answer)."""
    url = PYPI_PROJECT_JSON.format(name=name)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (fixed https URL)
            data = json.load(response)
    except (OSError, ValueError):
        return None
    if data.get("info", {}).get("version") != version:
        return None
    return [
        {"id": v.get("id"), "fix_versions": v.get("fixed_in", []), "aliases": v.get("aliases")}
        for v in data.get("vulnerabilities", [])
        if not v.get("withdrawn")
    ]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """{normalised name: version} of the distributions in this environment."""
    return {_normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}


def audit(report: dict) -> tuple[dict[str, list[dict]], list[str], int]:
    """(vulnerable {"name==version": vulns}, unaudited ["name==version"], audited count)."""
    vulnerable: dict[str, list[dict]] = {}
    skipped = []
    audited = 0
    versions = installed_versions()
    for dep in report.get("dependencies", []):
        key = f"{dep['name']}=={dep.get('version', '?')}"
        if "skip_reason" in dep:
            if "editable" in dep["skip_reason"]:
                continue  # the project itself, not a dependency
            # pip-audit's skip entries carry no version: take it from the environment.
            version = dep.get("version") or versions.get(_normalise(dep["name"]))
            if version:
                skipped.append({"name": dep["name"], "version": version})
            continue
        audited += 1
        if dep.get("vulns"):
            vulnerable[key] = dep["vulns"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = pool.map(lambda d: project_vulnerabilities(d["name"], d["version"]), skipped)
    unaudited = []
    for dep, vulns in zip(skipped, answers, strict=True):
        key = f"{dep['name']}=={dep['version']}"
        if vulns is None:
            unaudited.append(key)
            continue
        audited += 1
        if vulns:
            vulnerable[key] = vulns
    return vulnerable, unaudited, audited


def main(argv: list[str] | None = None) -> int:
    """Audit the environment; print a summary; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="fail when a package is unaudited")
    parser.add_argument("--ignore-vuln", action="append", default=[], metavar="ID")
    args = parser.parse_args(argv)

    report = run_pip_audit([f"--ignore-vuln={v}" for v in args.ignore_vuln])
    vulnerable, unaudited, audited = audit(report)
    ignored = set(args.ignore_vuln)
    vulnerable = {
        key: kept
        for key, vulns in vulnerable.items()
        if (kept := [v for v in vulns if v["id"] not in ignored])
    }
    total = audited + len(unaudited)
    print(f"audited {audited} of {total} installed distributions")
    for key, vulns in sorted(vulnerable.items()):
        for v in vulns:
            fixed = ", ".join(v.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {key}: {v['id']} (fixed in: {fixed})")
    if unaudited:
        print(
            f"not audited ({len(unaudited)}: not at their latest release, and PyPI's "
            f"per-release data did not answer): {', '.join(sorted(unaudited))}"
        )
    if vulnerable:
        return 1
    if unaudited and args.strict:
        return 2
    print("no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
