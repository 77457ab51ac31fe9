"""Read fact-check archive files: ClaimReview JSON-LD, CSV, JSON Lines.

``read_archive(path_or_bytes)`` returns a ``ReadResult``: the good records in file order and
one ``RowError`` per bad row (a CSV or JSON Lines line number, or the ClaimReview's position),
so one bad row never loses the others. A file that cannot be read at all (too big, binary,
not UTF-8, not valid JSON, a CSV without the needed columns) raises ``ArchiveError`` naming
the problem. Formats, by file name or, failing that, by content:

- ``.html``/``.htm``: a page whose ``<script type="application/ld+json">`` blocks hold
  ClaimReview objects (parsed by lxml's HTML parser, which neither loads DTDs nor expands
  entities, and never runs anything);
- ``.json``/``.jsonld``: one ClaimReview, a list of them, an ``ItemList`` or an ``@graph``
  (flat ``{"id", "claim", ...}`` objects are accepted too);
- ``.csv``: a header row naming ``id`` and ``claim`` (or ``title``), optionally ``rating``,
  ``url``, ``author``, ``date``;
- ``.jsonl``/``.ndjson``: one flat object (or one ClaimReview) per line.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extraction.retrieval.records import (
    FIELDS,
    ArchiveError,
    FactCheck,
    ReadResult,
    RowError,
    record_from_mapping,
)

MAX_BYTES = 200 * 1024 * 1024
# JSON-LD nests a few levels (ItemList > ListItem > ClaimReview > Rating); deeper is hostile.
MAX_DEPTH = 32
_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonld": "json",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
FORMATS = frozenset(_EXTENSIONS.values())


def read_archive(
    source: str | os.PathLike | bytes,
    *,
    name: str = "",
    format: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> ReadResult:
    """Read an archive file (a path, or its bytes with an optional file ``name``)."""
    if isinstance(source, bytes):
        data = source
    else:
        name = name or str(source)
        try:
            size = os.stat(source).st_size
            if size > max_bytes:
                raise ArchiveError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ArchiveError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ArchiveError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArchiveError("binary file (NUL bytes): expected JSON-LD, HTML, CSV or JSON Lines")
    fmt = format or _EXTENSIONS.get(Path(name).suffix.lower()) or _sniff(data)
    if fmt not in FORMATS:
        raise ArchiveError(f"unknown format {fmt!r}: expected one of {sorted(FORMATS)}")
    reader = {"html": _read_html, "json": _read_json, "csv": _read_csv, "jsonl": _read_jsonl}
    result = reader[fmt](data)
    result.format = fmt
    return result


def _sniff(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first = data.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)
        try:
            json.loads(first[0])
        except (ValueError, RecursionError):
            return "json"  # a pretty-printed object spans lines
        return "jsonl" if len(first) > 1 and first[1].strip() else "json"
    return "csv"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"not valid UTF-16 ({exc.reason} at byte {exc.start})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"not valid UTF-8 ({exc.reason} at byte {exc.start}); save the file as UTF-8"
        ) from None


def _loads(text: str) -> Any:
    """``json.loads`` that turns hostile nesting into a ValueError instead of a crash."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


# --- JSON-LD -------------------------------------------------------------------------------


def _read_json(data: bytes) -> ReadResult:
    try:
        doc = _loads(_decode(data))
    except ValueError as exc:
        raise ArchiveError(f"not valid JSON ({exc})") from None
    result = ReadResult()
    _collect(doc, result)
    if not result.records and not result.errors:
        raise ArchiveError("no ClaimReview object found")
    return result


def _read_html(data: bytes) -> ReadResult:
    import lxml.html
    from lxml import etree

    # Bytes, so lxml honours the page's own <meta charset>; no DTD, no network, no entities.
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ArchiveError(f"not a readable HTML page ({exc})") from None
    result = ReadResult()
    scripts = [
        s
        for s in root.iter("script")
        if (s.get("type") or "").split(";")[0].strip().lower() == "application/ld+json"
    ]
    if not scripts:
        raise ArchiveError('no <script type="application/ld+json"> in the page')
    for number, script in enumerate(scripts, start=1):
        try:
            doc = _loads(script.text or "")
        except ValueError as exc:
            result.errors.append(
                RowError(
                    len(result.records) + len(result.errors) + 1,
                    f"JSON-LD script {number}: not valid JSON ({exc})",
                )
            )
            continue
        _collect(doc, result, found_in=f"JSON-LD script {number}: ")
    return result


def _collect(doc: Any, result: ReadResult, *, found_in: str = "") -> None:
    """Append every ClaimReview (or flat record) in a JSON-LD document to ``result``."""
    for item in _items(doc, 0):
        row = len(result.records) + len(result.errors) + 1
        try:
            result.records.append(_record(item, row=row))
        except ValueError as exc:
            result.errors.append(RowError(row, f"{found_in}{exc}"))


def _items(node: Any, depth: int) -> Iterator[Any]:
    if depth > MAX_DEPTH:
        yield ValueError("JSON-LD nested too deeply")
        return
    if isinstance(node, list):
        for child in node:
            yield from _items(child, depth + 1)
        return
    if not isinstance(node, dict):
        yield node
        return
    types = _types(node)
    if "@graph" in node:
        yield from _items(node["@graph"], depth + 1)
    elif "ItemList" in types:
        yield from _items(node.get("itemListElement") or [], depth + 1)
    elif "ListItem" in types:
        yield from _items(node.get("item"), depth + 1)
    elif "DataFeed" in types:
        yield from _items(node.get("dataFeedElement") or [], depth + 1)
    else:
        yield node


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _record(item: Any, *, row: int = 0) -> FactCheck:
    if isinstance(item, ValueError):
        raise item
    if not isinstance(item, dict):
        raise ValueError(f"expected a ClaimReview object, got {type(item).__name__}")
    types = _types(item)
    if not types and "claim" in item:
        return record_from_mapping(item, row=row)  # a flat {"id", "claim", ...} object
    if "ClaimReview" not in types:
        raise ValueError(f"not a ClaimReview (@type {item.get('@type')!r})")
    reviewed = item.get("itemReviewed")
    claim = _text(item, "claimReviewed")
    if not claim and isinstance(reviewed, dict):
        claim = _text(reviewed, "text") or _text(reviewed, "name")
    rating = item.get("reviewRating")
    rating_text = ""
    if isinstance(rating, dict):
        rating_text = _text(rating, "alternateName") or _text(rating, "ratingValue")
    ident = _text(item, "@id") or _text(item, "identifier") or _text(item, "url")
    if not ident:
        raise ValueError('ClaimReview has no "url" or "@id" to identify it')
    return record_from_mapping(
        {
            "id": ident,
            "claim": claim,
            "title": _text(item, "name") or _text(item, "headline"),
            "rating": rating_text,
            "url": _text(item, "url"),
            "author": _author(item.get("author")),
            "date": _text(item, "datePublished"),
        },
        row=row,
    )


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'"{key}" must be a string')
    return str(value)


def _author(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(filter(None, (_author(v) for v in value[:10])))
    if isinstance(value, dict):
        return _text(value, "name")
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    raise ValueError('"author" must be a name or an object with a "name"')


# --- CSV and JSON Lines --------------------------------------------------------------------


def _read_csv(data: bytes) -> ReadResult:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ArchiveError("empty CSV: expected a header row") from None
    except csv.Error as exc:
        raise ArchiveError(f"CSV header: {exc}") from None
    columns = [h.strip().lower() for h in header]
    if "id" not in columns or not {"claim", "title"} & set(columns):
        raise ArchiveError(
            f'CSV header must name "id" and "claim" (or "title"); found {columns[:10]}'
        )
    wanted = {c: i for i, c in reversed(list(enumerate(columns))) if c in FIELDS}
    result = ReadResult()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The csv module cannot resynchronise after a broken quote or a huge field.
            result.errors.append(RowError(reader.line_num, f"{exc}; reading stopped here"))
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            result.errors.append(
                RowError(reader.line_num, f"{len(row)} cells for {len(columns)} columns")
            )
            continue
        obj = {c: row[i] for c, i in wanted.items() if i < len(row)}
        try:
            result.records.append(record_from_mapping(obj, row=reader.line_num))
        except ValueError as exc:
            result.errors.append(RowError(reader.line_num, str(exc)))
    return result


def _read_jsonl(data: bytes) -> ReadResult:
    result = ReadResult()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            result.errors.append(
                RowError(number, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
            )
            continue
        try:
            obj = _loads(line)
        except ValueError as exc:
            result.errors.append(RowError(number, f"not valid JSON ({exc})"))
            continue
        try:
            if not isinstance(obj, dict):
                raise ValueError("expected a JSON object")
            result.records.append(
                _record(obj, row=number) if "@type" in obj else record_from_mapping(obj, row=number)
            )
        except ValueError as exc:
            result.errors.append(RowError(number, str(exc)))
    return result
