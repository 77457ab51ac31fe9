"""ops/audit.py: the dependency audit fails on known vulnerabilities, from pip-audit's own
answers or from PyPI's per-project data when the per-release data is unreachable."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

_spec = importlib.util.spec_from_file_location(
    "ops_audit", Path(settings.BASE_DIR) / "ops" / "audit.py"
)
audit_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_module)

VULN = {"id": "PYSEC-2099-1", "fix_versions": ["2.0.1"], "aliases": []}


def _report(*deps):
    return {"dependencies": list(deps), "fixes": []}


@pytest.fixture
def project_json(monkeypatch):
    """PyPI's per-project answers: {name: vulns list, or None for "cannot tell"}."""
    answers: dict[str, list | None] = {}
    monkeypatch.setattr(
        audit_module, "project_vulnerabilities", lambda name, version: answers.get(name)
    )
    monkeypatch.setattr(
        audit_module,
        "installed_versions",
        lambda: {"oldlib": "1.0", "latestlib": "3.1", "badlib": "2.0", "factcheck": "0.1.0"},
    )
    return answers


@pytest.mark.parametrize(
    ("deps", "answers", "vulnerable", "unaudited", "audited"),
    [
        # pip-audit answered: clean, and vulnerable.
        ([{"name": "a", "version": "1", "vulns": []}], {}, {}, [], 1),
        ([{"name": "a", "version": "1", "vulns": [VULN]}], {}, {"a==1": [VULN]}, [], 1),
        # pip-audit skipped (per-release JSON unreachable): the per-project JSON decides.
        ([{"name": "latestlib", "skip_reason": "not found"}], {"latestlib": []}, {}, [], 1),
        (
            [{"name": "badlib", "skip_reason": "not found"}],
            {"badlib": [VULN]},
            {"badlib==2.0": [VULN]},
            [],
            1,
        ),
        # Not at its latest release: nobody can tell, it is reported unaudited.
        ([{"name": "oldlib", "skip_reason": "not found"}], {}, {}, ["oldlib==1.0"], 0),
        # The project itself is skipped as editable and is no dependency.
        ([{"name": "factcheck", "skip_reason": "distribution marked as editable"}], {}, {}, [], 0),
    ],
)
def test_audit_combines_pip_audit_and_the_project_json(
    project_json, deps, answers, vulnerable, unaudited, audited
):
    project_json.update(answers)
    assert audit_module.audit(_report(*deps)) == (vulnerable, unaudited, audited)


@pytest.mark.parametrize(
    ("deps", "argv", "status"),
    [
        ([{"name": "a", "version": "1", "vulns": []}], [], 0),
        ([{"name": "a", "version": "1", "vulns": [VULN]}], [], 1),
        ([{"name": "a", "version": "1", "vulns": [VULN]}], ["--ignore-vuln", VULN["id"]], 0),
        ([{"name": "oldlib", "skip_reason": "not found"}], [], 0),
        ([{"name": "oldlib", "skip_reason": "not found"}], ["--strict"], 2),
    ],
)
def test_exit_status(monkeypatch, project_json, capsys, deps, argv, status):
    monkeypatch.setattr(audit_module, "run_pip_audit", lambda extra: _report(*deps))
    assert audit_module.main(argv) == status
    out = capsys.readouterr().out
    if status == 1:
        assert "VULNERABLE a==1: PYSEC-2099-1 (fixed in: 2.0.1)" in out
