"""Readers: bytes of a file, page, feed or archive -> ArticleDraft / ImportRejection per item.

Parsing needs no database. Settings are read only for the limits' defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from articles.importing.archive import read_zip
from articles.importing.decode import binary_kind, decode_bytes
from articles.importing.feeds import read_feed
from articles.importing.formats import (
    BATCH_KINDS,
    FEED,
    HTML,
    JSON,
    JSONL,
    MARKDOWN,
    SUPPORTED,
    TEXT,
    ZIP,
    Limits,
    format_for,
)
from articles.importing.html import html_fragment_to_text, read_html
from articles.importing.jsonitems import draft_from_mapping, read_json, read_jsonl
from articles.importing.text import clean_line, parse_datetime_value, title_and_body
from articles.importing.types import (
    ArticleDraft,
    Fetcher,
    ImportFailure,
    ImportRejection,
    ReadResult,
    format_size,
    is_skipped_member,
)

# Re-exported: callers read every format through this module.
__all__ = [
    "Limits",
    "draft_from_mapping",
    "format_for",
    "html_fragment_to_text",
    "read_bytes",
    "read_html",
    "read_inputs",
    "read_path",
    "read_text",
    "read_url",
]


def _sniff(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return ZIP
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and (
        b"<rss" in head or b"<feed" in head or b"<rdf" in head
    ):
        return FEED
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p")):
        return HTML
    if head.startswith((b"{", b"[")):
        return JSON
    return TEXT


def read_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str = "",
    charset: str | None = None,
    url: str = "",
    source: str = "",
    fetch: Fetcher | None = None,
    limits: Limits | None = None,
    in_archive: bool = False,
) -> Iterator[ReadResult]:
    """Read one file or fetched document; yields a draft or a rejection per item in it."""
    limits = limits or Limits.from_settings()
    try:
        suffix = Path(name.split("?", 1)[0]).suffix.lower()
        kind = format_for(name, content_type)
        if kind is None:
            if suffix and not url:
                raise ImportFailure(
                    f"{name}: unsupported file type {suffix!r} (import {SUPPORTED})"
                )
            kind = _sniff(data)
        # A many-article file may be bigger than one article; each item is capped on its own.
        cap = limits.batch_max_bytes if kind in BATCH_KINDS else limits.max_bytes
        if len(data) > cap:
            raise ImportFailure(f"{name}: larger than the {format_size(cap)} limit")
        if kind == ZIP:
            if in_archive:
                raise ImportFailure(f"{name}: archives inside archives are not imported")
            yield from read_zip(
                data, name=name, source=source, fetch=fetch, limits=limits, read=read_bytes
            )
            return
        binary = binary_kind(data)
        if binary:
            raise ImportFailure(f"{name}: this is {binary}, not text ({SUPPORTED})")
        if kind == FEED and content_type and "xml" in content_type and _sniff(data) == HTML:
            kind = HTML  # servers label XHTML pages application/xml
        elif kind == HTML and content_type and _sniff(data) == FEED:
            kind = FEED  # and feeds text/html
        text = decode_bytes(data, charset=charset, name=name)
        if not text.strip():
            raise ImportFailure(f"{name}: the file is empty")
        if kind in (TEXT, MARKDOWN):
            yield _read_text(text, name=name, markdown=kind == MARKDOWN, url=url, source=source)
        elif kind == HTML:
            yield read_html(text, name=name, url=url, source=source)
        elif kind == JSON:
            yield from read_json(text, name=name, source=source, max_bytes=limits.max_bytes)
        elif kind == JSONL:
            yield from read_jsonl(text, name=name, source=source, max_bytes=limits.max_bytes)
        elif kind == FEED:
            yield from read_feed(
                data, name=name, url=url, source=source, fetch=fetch, read=read_bytes
            )
    except ImportFailure as exc:
        yield ImportRejection(origin=name, reason=_without_prefix(str(exc), name))


def _without_prefix(reason: str, origin: str) -> str:
    # Reports show "origin: reason"; a reason that starts with the same name says it twice.
    prefix = f"{origin}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def read_text(
    text: str, *, title: str = "", source: str = "", url: str = "", name: str = "pasted text"
) -> ReadResult:
    """Pasted text (admin): metadata lines and a heading are recognised as in .txt files."""
    if not text.strip():
        return ImportRejection(
            origin=name, reason="The text is empty.", errors={"body": ["The text is empty."]}
        )
    draft = _read_text(text, name=name, markdown=False, url=url, source=source)
    if isinstance(draft, ArticleDraft) and title.strip():
        draft.title = clean_line(title)
    return draft


def _read_text(text: str, *, name: str, markdown: bool, url: str, source: str) -> ReadResult:
    meta, body = title_and_body(text, markdown=markdown)
    published = None
    if meta.get("published_at"):
        try:
            published = parse_datetime_value(meta["published_at"])
        except ValueError as exc:
            return ImportRejection(
                origin=name, reason=f"Date: {exc}", errors={"published_at": [str(exc)]}
            )
    return ArticleDraft(
        title=clean_line(meta.get("title")),
        body=body,
        url=meta.get("url", "") or url,
        source=clean_line(meta.get("source")) or source,
        author=clean_line(meta.get("author")),
        published_at=published,
        language=clean_line(meta.get("language")),
        origin=name,
    )


# --- paths and URLs -------------------------------------------------------------------------


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def read_url(
    url: str, *, fetch: Fetcher, source: str = "", limits: Limits | None = None
) -> Iterator[ReadResult]:
    """Fetch a page or feed and read it (a feed yields one result per entry)."""
    try:
        fetched = fetch(url.strip())
    except ImportFailure as exc:
        yield ImportRejection(origin=url, reason=_without_prefix(str(exc), url.strip()))
        return
    yield from read_bytes(
        fetched.content, name=fetched.url, content_type=fetched.content_type,
        charset=fetched.charset, url=fetched.url, source=source, fetch=fetch, limits=limits,
    )  # fmt: skip


def read_path(
    path: str | Path,
    *,
    source: str = "",
    fetch: Fetcher | None = None,
    limits: Limits | None = None,
) -> Iterator[ReadResult]:
    """Read a file, or every article file under a folder (recursively; ``is_skipped_member``)."""
    limits = limits or Limits.from_settings()
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and not is_skipped_member(p.name)
        )
        if not files:
            yield ImportRejection(origin=str(path), reason="the folder contains no article files")
        for file in files:
            yield from read_path(file, source=source, fetch=fetch, limits=limits)
        return
    if not path.is_file():
        yield ImportRejection(origin=str(path), reason="no such file or folder")
        return
    cap = limits.cap_for(path.name)
    if path.stat().st_size > cap:
        # Refuse before reading: a 2 GB file must not be loaded to be told it is too big.
        yield ImportRejection(origin=str(path), reason=f"larger than the {format_size(cap)} limit")
        return
    yield from read_bytes(
        path.read_bytes(), name=str(path), source=source, fetch=fetch, limits=limits
    )


def read_inputs(
    inputs: list[str],
    *,
    source: str = "",
    fetch: Fetcher | None = None,
    limits: Limits | None = None,
) -> Iterator[ReadResult]:
    """Files, folders and URLs, in the order given (CLI arguments)."""
    for value in inputs:
        if is_url(value):
            if fetch is None:
                yield ImportRejection(origin=value, reason="fetching URLs is not enabled")
                continue
            yield from read_url(value, fetch=fetch, source=source, limits=limits)
        else:
            yield from read_path(value, source=source, fetch=fetch, limits=limits)
