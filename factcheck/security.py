"""Helpers for the Content-Security-Policy in settings."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def inline_style_hashes(template: Path) -> list[str]:
    """CSP source expressions ('sha256-...') allowing exactly the <style> blocks of a template.

    drf-spectacular's Swagger UI page carries one small static <style> block. Allowing its hash,
    computed from the installed template, keeps 'unsafe-inline' out of style-src and follows the
    package when it is upgraded. A missing template allows nothing.
    """
    try:
        text = template.read_text(encoding="utf-8")
    except OSError:
        return []
    hashes = []
    for block in _STYLE_BLOCK.findall(text):
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes
