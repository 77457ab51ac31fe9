"""Training is not runtime code: the runtime never imports it, and it ships in neither the
wheel nor the production image. The pipeline package stays free of Django."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_PACKAGES = ("factcheck", "api", "articles", "claims", "integrations", "extraction")


def _imports(path: Path) -> set[str]:
    """Top-level names of the absolute imports anywhere in a module (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _modules(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py"))


def test_the_scan_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from training.fit import SEED\n    import django.conf\n")
    assert _imports(module) == {"training", "django"}


def test_no_runtime_module_imports_training():
    modules = _modules(*RUNTIME_PACKAGES)
    assert len(modules) > 50
    offenders = [str(p.relative_to(ROOT)) for p in modules if "training" in _imports(p)]
    assert offenders == []


def test_the_pipeline_package_imports_neither_django_nor_training():
    modules = _modules("extraction")
    assert ROOT / "extraction/scoring.py" in modules
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & {"django", "rest_framework", "training"})
        for p in modules
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _wheel_packages() -> list[str]:
    """The packages setuptools puts in the factcheck wheel, from pyproject's find settings."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    find = config["packages"]["find"]
    return find_packages(where=str(ROOT), include=find["include"], exclude=find.get("exclude", ()))


def test_the_wheel_holds_the_runtime_packages_and_not_training():
    packages = _wheel_packages()
    assert {"claims", "extraction", "articles", "integrations", "factcheck", "api"} <= set(packages)
    assert [p for p in packages if p.split(".")[0] in {"training", "tests", "bench"}] == []


def test_the_docker_context_leaves_out_training_experiments_and_tests():
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"training", "experiments", "tests"} <= ignored


def test_train_claim_model_without_the_training_package_says_where_to_run_it(monkeypatch):
    # As in the production image: the package is not there (None in sys.modules makes any
    # import of it raise ModuleNotFoundError).
    for name in [m for m in sys.modules if m == "training" or m.startswith("training.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "training", None)
    with pytest.raises(CommandError, match="source checkout") as exc:
        call_command("train_claim_model", "--data", "train.jsonl", "--teachers")
    assert "python -m training" in str(exc.value)
    assert 'pip install -e ".[train]"' in str(exc.value)
