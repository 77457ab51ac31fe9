"""No secret in the repository: .env is ignored, and no tracked file holds a credential."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Built from pieces so this file does not match itself.
_PATTERNS = {
    "private key": re.compile("-----BEGIN " + r"(?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA" + r"[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_" + r"[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(r"\bxox[baprs]-" + r"[A-Za-z0-9-]{10,}"),
    # A literal Django secret key in code (the dev-only fallback is named as such).
    "hard-coded SECRET_KEY": re.compile(r"SECRET_KEY\s*=\s*['\"](?!django-insecure-dev-only)\w"),
}


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_dot_env_is_ignored_by_git():
    result = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, capture_output=True, check=False
    )
    assert result.returncode == 0
    assert ".env" not in [p.name for p in _tracked_files() if p.parent == ROOT]


def test_no_tracked_file_contains_a_credential():
    found = []
    for path in _tracked_files():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for name, pattern in _PATTERNS.items():
            # Tests set throwaway keys on purpose (key rotation tests); code never may.
            if name == "hard-coded SECRET_KEY" and path.is_relative_to(ROOT / "tests"):
                continue
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, found


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN " + "RSA PRIVATE KEY-----",
        "aws = 'AKIA" + "ABCDEFGHIJKLMNOP'",
        'SECRET_KEY = "' + 'abc123"',
    ],
)
def test_the_credential_patterns_catch_what_they_are_for(text):
    assert any(p.search(text) for p in _PATTERNS.values())
