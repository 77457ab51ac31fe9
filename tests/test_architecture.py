"""The architecture's arrows hold (docs/ARCHITECTURE.md): import-linter reads the code's own
imports, functions' imports included, against the contracts in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold(monkeypatch):
    # The root packages are found from the repository root, as `lint-imports` there would.
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert exit_code == 0, "an import contract is broken: see the report above"
