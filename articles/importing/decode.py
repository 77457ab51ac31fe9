"""Bytes -> text for imported files and pages: declared charset, then detection, then an error."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from articles.importing.types import ImportFailure

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Leading bytes of formats editors upload by mistake; named so the error says what it was.
_MAGIC = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP-based file (DOCX/ODT/XLSX...)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
]
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file ``data`` is ("a PNG image"...), or None for text."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text legitimately contains NUL bytes
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "a binary file"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a document names for itself (``<meta charset>``, XML declaration)."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii", "replace")


def decode_bytes(data: bytes, *, charset: str | None = None, name: str = "input") -> str:
    """Decode with the BOM or declared charset, else the in-document one, else detection.

    Raises ImportFailure with a reason an editor can act on when nothing fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    for candidate in (charset, declared_charset(data), "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue  # a wrong or unknown declaration: fall through to detection
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ImportFailure(
            f"{name}: the text encoding could not be determined"
            f"{f' (declared {charset!r} does not fit)' if charset else ''}; "
            "save the file as UTF-8 and try again."
        )
    return str(best)
