"""Readers: bytes of a file, page, feed or archive -> ArticleDraft / ImportRejection per item.

Parsing needs no database. Settings are read only for the limits' defaults.
"""

from __future__ import annotations

import json
import logging
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from articles.importing.decode import binary_kind, decode_bytes
from articles.importing.text import (
    canonical_url,
    clean_line,
    parse_datetime_lenient,
    parse_datetime_value,
    title_and_body,
)
from articles.importing.types import ArticleDraft, ImportFailure, ImportRejection, ReadResult

logger = logging.getLogger(__name__)

Fetcher = Callable[[str], Any]  # url -> FetchedDocument; raises ImportFailure

TEXT, MARKDOWN, HTML, JSON, JSONL, FEED, ZIP = (
    "text",
    "markdown",
    "html",
    "json",
    "jsonl",
    "feed",
    "zip",
)
EXTENSIONS = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".json": JSON,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".xml": FEED,
    ".rss": FEED,
    ".atom": FEED,
    ".rdf": FEED,
    ".zip": ZIP,
}
MEDIA_TYPES = {
    "text/plain": TEXT,
    "text/markdown": MARKDOWN,
    "text/x-markdown": MARKDOWN,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/json": JSON,
    "application/ld+json": JSON,
    "application/x-ndjson": JSONL,
    "application/jsonl": JSONL,
    "application/json-lines": JSONL,
    "application/rss+xml": FEED,
    "application/atom+xml": FEED,
    "application/rdf+xml": FEED,
    "application/xml": FEED,
    "text/xml": FEED,
    "application/zip": ZIP,
}
BATCH_KINDS = (ZIP, JSON, JSONL)
SUPPORTED = "plain text, Markdown, HTML, JSON, JSON Lines, RSS/Atom or .zip"


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits for one import; ``from_settings()`` reads the IMPORT_* settings."""

    # One article: a text/HTML file, a fetched page, one JSON item, one archive member.
    max_bytes: int = 5 * 1024 * 1024
    # A file holding many articles (.zip, .json, .jsonl) and what a .zip unpacks to in total.
    batch_max_bytes: int = 100 * 1024 * 1024
    zip_max_members: int = 10_000

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            batch_max_bytes=getattr(settings, "IMPORT_MAX_BATCH_BYTES", cls.batch_max_bytes),
            zip_max_members=getattr(settings, "IMPORT_ZIP_MAX_MEMBERS", cls.zip_max_members),
        )

    def cap_for(self, name: str) -> int:
        """The size limit of a file by its name: many-article formats get the batch cap."""
        kind = EXTENSIONS.get(Path(name).suffix.lower())
        return self.batch_max_bytes if kind in BATCH_KINDS else self.max_bytes


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def format_for(name: str, content_type: str = "") -> str | None:
    """The reader for a file name or media type; None when neither says (sniff the bytes)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in MEDIA_TYPES:
        return MEDIA_TYPES[media]
    if media.endswith("+xml"):
        return FEED
    suffix = Path(name.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    return EXTENSIONS.get(suffix)


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
            raise ImportFailure(f"{name}: larger than the {_mb(cap)} limit")
        if kind == ZIP:
            if in_archive:
                raise ImportFailure(f"{name}: archives inside archives are not imported")
            yield from _read_zip(data, name=name, source=source, fetch=fetch, limits=limits)
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
            yield from _read_json(text, name=name, source=source, max_bytes=limits.max_bytes)
        elif kind == JSONL:
            yield from _read_jsonl(text, name=name, source=source, max_bytes=limits.max_bytes)
        elif kind == FEED:
            yield from _read_feed(data, name=name, url=url, source=source, fetch=fetch)
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


# --- HTML -----------------------------------------------------------------------------------


def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    # trafilatura's timeout uses SIGALRM, which only works in a main thread (not in web
    # requests); our own size cap bounds the work instead.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


_CONFIG = None
MIN_HTML_WORDS = 5


def declared_canonical(html: str, base_url: str = "") -> str:
    """The page's own ``<link rel=canonical>`` or ``og:url``, as an absolute URL, or ""."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html[:500_000])
    except (ValueError, lxml.etree.ParserError):
        return ""
    candidates = tree.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', "
        "'canonical')), ' '), ' canonical ')]/@href | //meta[@property='og:url']/@content"
    )
    for candidate in candidates:
        absolute = canonical_url(urljoin(base_url, str(candidate).strip()))
        if absolute:
            return absolute
    return ""


def read_html(html: str, *, name: str, url: str = "", source: str = "") -> ReadResult:
    """Main text, title, byline and date of an HTML page (navigation, ads, widgets removed)."""
    global _CONFIG
    import trafilatura

    if _CONFIG is None:
        _CONFIG = _trafilatura_config()
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            config=_CONFIG,
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        logger.info("trafilatura failed on %s: %s", name, exc)
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    # On a page with no article trafilatura falls back to whatever text it finds ("Home").
    if len(text.split()) < MIN_HTML_WORDS:
        return ImportRejection(origin=name, reason=f"{name}: no article text found in the page")
    title = clean_line(doc.title)
    lines = text.split("\n")
    if title and clean_line(lines[0]) == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    return ArticleDraft(
        title=title,
        body="\n".join(lines),
        url=declared_canonical(html, url) or canonical_url(url),
        source=source or clean_line(doc.sitename),
        author=clean_line(doc.author),
        published_at=parse_datetime_lenient(doc.date),
        origin=name,
        line_paragraphs=True,
    )


_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
    "article", "pre", "figure", "figcaption", "header", "footer", "ul", "ol", "table",
)  # fmt: skip


def html_fragment_to_text(fragment: str) -> str:
    """Feed content (an HTML fragment) -> text, one block element per line; scripts dropped."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


# --- JSON -----------------------------------------------------------------------------------

FIELD_ALIASES = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "publisher"),
    "author": ("author", "byline"),
    "published_at": ("published_at", "published", "date"),
    "language": ("language", "lang"),
}
FIELD_MAX = {"title": 500, "url": 2000, "source": 200, "author": 300, "language": 16}


def draft_from_mapping(
    item: object, *, origin: str, source: str = "", max_bytes: int | None = None
) -> ReadResult:
    """Validate one JSON item; a rejection carries DRF-style field errors."""
    if not isinstance(item, dict):
        return ImportRejection(
            origin=origin,
            reason="The item is not a JSON object.",
            errors={"non_field_errors": ["Expected a JSON object with title, body..."]},
        )
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, aliases in FIELD_ALIASES.items():
        value = next((item[a] for a in aliases if item.get(a) not in (None, "")), None)
        if field == "published_at":
            try:
                values[field] = parse_datetime_value(value)
            except ValueError:
                errors[field] = ["Enter a date and time in ISO 8601 (2025-03-04T10:00:00Z)."]
            continue
        if value is not None and not isinstance(value, str):
            errors[field] = ["Not a valid string."]
            continue
        values[field] = value or ""
        limit = FIELD_MAX.get(field)
        if limit and len(values[field]) > limit:
            errors[field] = [f"Ensure this field has no more than {limit} characters."]
    body = values.get("body", "")
    if "body" not in errors:
        if not body.strip():
            errors["body"] = ["This field is required."]
        elif max_bytes and len(body.encode("utf-8", "surrogatepass")) > max_bytes:
            errors["body"] = [f"The text is larger than the {_mb(max_bytes)} limit."]
    url = values.get("url", "")
    if url and "url" not in errors and not canonical_url(url):
        errors["url"] = ["Enter a valid http(s) URL."]
    if errors:
        reason = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        return ImportRejection(origin=origin, reason=reason, errors=errors)
    return ArticleDraft(
        title=clean_line(values["title"]),
        body=body,
        url=url,
        source=clean_line(values["source"]) or source,
        author=clean_line(values["author"]),
        published_at=values["published_at"],
        language=clean_line(values["language"]),
        origin=origin,
    )


def _read_json(text: str, *, name: str, source: str, max_bytes: int) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            f"{name}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    if isinstance(data, dict):
        wrapped = next(
            (data[k] for k in ("articles", "items") if isinstance(data.get(k), list)), None
        )
        items = wrapped if wrapped is not None else [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ImportFailure(f"{name}: expected a JSON object or a list of objects")
    if not items:
        raise ImportFailure(f"{name}: the JSON list is empty")
    for index, item in enumerate(items):
        origin = name if len(items) == 1 else f"{name}[{index}]"
        yield draft_from_mapping(item, origin=origin, source=source, max_bytes=max_bytes)


def _read_jsonl(text: str, *, name: str, source: str, max_bytes: int) -> Iterator[ReadResult]:
    found = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        origin = f"{name}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ImportRejection(
                origin=origin,
                reason=f"line {lineno}: malformed JSON ({exc.msg}, column {exc.colno})",
            )
            continue
        yield draft_from_mapping(item, origin=origin, source=source, max_bytes=max_bytes)
    if not found:
        raise ImportFailure(f"{name}: the file is empty")


# --- feeds ----------------------------------------------------------------------------------


def _benign_feed_errors() -> tuple[type, ...]:
    import feedparser

    # A wrong or missing encoding declaration is recovered from exactly; broken XML is not.
    return (
        feedparser.CharacterEncodingOverride,
        feedparser.NonXMLContentType,
    )


def _read_feed(
    data: bytes, *, name: str, url: str, source: str, fetch: Fetcher | None
) -> Iterator[ReadResult]:
    import feedparser

    # Parse the bytes, not decoded text: feedparser honours the XML encoding declaration.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    bozo = parsed.get("bozo_exception")
    if bozo is not None and not isinstance(bozo, _benign_feed_errors()):
        raise ImportFailure(f"{name}: malformed feed ({bozo})")
    if not parsed.entries:
        if parsed.bozo:
            error = parsed.get("bozo_exception")
            raise ImportFailure(f"{name}: malformed feed ({error})")
        if not parsed.version:
            raise ImportFailure(f"{name}: not an RSS or Atom feed")
        raise ImportFailure(f"{name}: the feed has no entries")
    feed_source = source or clean_line(parsed.feed.get("title"))
    for index, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link", "")
        if link and url:
            link = urljoin(url, link)
        origin = f"{name}#{index}" + (f" ({link})" if link else "")
        try:
            yield _feed_entry(entry, origin=origin, link=link, source=feed_source, fetch=fetch)
        except ImportFailure as exc:
            yield ImportRejection(origin=origin, reason=str(exc))


def _feed_entry(entry, *, origin: str, link: str, source: str, fetch: Fetcher | None) -> ReadResult:
    title = clean_line(html_fragment_to_text(entry.get("title", "")))
    published = None
    for key in ("published", "updated", "created"):
        published = parse_datetime_lenient(entry.get(key))
        if published is None and entry.get(f"{key}_parsed"):
            from calendar import timegm
            from datetime import UTC, datetime

            published = datetime.fromtimestamp(timegm(entry[f"{key}_parsed"]), tz=UTC)
        if published:
            break
    author = clean_line(entry.get("author", ""))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        body = html_fragment_to_text(max(contents, key=len))
        if body.strip():
            return ArticleDraft(
                title=title, body=body, url=canonical_url(link), source=source, author=author,
                published_at=published, origin=origin, line_paragraphs=True,
            )  # fmt: skip
    # Only a summary: the article itself is on the linked page.
    if not link:
        raise ImportFailure("the entry has only a summary and no link to the article")
    if fetch is None:
        raise ImportFailure("the entry has only a summary; fetching its page is not enabled")
    try:
        fetched = fetch(link)
    except ImportFailure as exc:
        raise ImportFailure(f"the entry has only a summary and its page failed: {exc}") from None
    results = list(
        read_bytes(
            fetched.content, name=fetched.url, content_type=fetched.content_type or "text/html",
            charset=fetched.charset, url=fetched.url, source=source,
        )
    )  # fmt: skip
    page = results[0] if results else None
    if not isinstance(page, ArticleDraft):
        reason = page.reason if page else "no article text"
        raise ImportFailure(f"the entry has only a summary and its page failed: {reason}")
    page.title = title or page.title
    page.author = author or page.author
    page.published_at = published or page.published_at
    page.url = page.url or canonical_url(link)
    page.origin = origin
    return page


# --- zip ------------------------------------------------------------------------------------


def _unsafe_member_name(name: str) -> bool:
    normalised = name.replace("\\", "/")
    return (
        normalised.startswith("/")
        or (len(normalised) > 1 and normalised[1] == ":")
        or ".." in posixpath.normpath(normalised).split("/")
        or ".." in normalised.split("/")
    )


def _read_zip(
    data: bytes, *, name: str, source: str, fetch: Fetcher | None, limits: Limits
) -> Iterator[ReadResult]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ImportFailure(f"{name}: not a readable .zip archive ({exc})") from None
    if len(members) > limits.zip_max_members:
        raise ImportFailure(
            f"{name}: {len(members)} files in the archive, more than the limit of "
            f"{limits.zip_max_members}"
        )
    # Headers can lie about sizes: check the claimed total first, then count what we inflate.
    claimed = sum(m.file_size for m in members)
    if claimed > limits.batch_max_bytes:
        raise ImportFailure(
            f"{name}: unpacks to {_mb(claimed)}, more than the {_mb(limits.batch_max_bytes)} "
            "limit for an archive"
        )
    total = 0
    found = False
    for member in members:
        member_name = member.filename
        origin = f"{name}:{member_name}"
        if member.is_dir():
            continue
        base = posixpath.basename(member_name.replace("\\", "/"))
        if base.startswith(".") or member_name.startswith("__MACOSX/"):
            continue  # Finder and editor droppings, not articles
        found = True
        if _unsafe_member_name(member_name):
            yield ImportRejection(origin=origin, reason="unsafe path in archive (absolute or '..')")
            continue
        if member.flag_bits & 0x1:
            yield ImportRejection(
                origin=origin, reason="encrypted archive members are not imported"
            )
            continue
        cap = limits.cap_for(member_name)
        if member.file_size > cap:
            yield ImportRejection(origin=origin, reason=f"larger than the {_mb(cap)} limit")
            continue
        try:
            with archive.open(member) as handle:
                # Read one byte past the cap: a lying header cannot make us inflate more.
                content = handle.read(cap + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            yield ImportRejection(origin=origin, reason=f"cannot be unpacked ({exc})")
            continue
        if len(content) > cap:
            yield ImportRejection(origin=origin, reason=f"larger than the {_mb(cap)} limit")
            continue
        total += len(content)
        if total > limits.batch_max_bytes:
            raise ImportFailure(
                f"{name}: unpacks to more than the {_mb(limits.batch_max_bytes)} limit"
            )
        yield from read_bytes(
            content, name=origin, source=source, fetch=fetch, limits=limits, in_archive=True
        )
    if not found:
        raise ImportFailure(f"{name}: the archive contains no files")


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
    """Read a file, or every file under a folder (recursively, hidden files skipped)."""
    limits = limits or Limits.from_settings()
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            yield ImportRejection(origin=str(path), reason="the folder contains no files")
        for file in files:
            yield from read_path(file, source=source, fetch=fetch, limits=limits)
        return
    if not path.is_file():
        yield ImportRejection(origin=str(path), reason="no such file or folder")
        return
    cap = limits.cap_for(path.name)
    if path.stat().st_size > cap:
        # Refuse before reading: a 2 GB file must not be loaded to be told it is too big.
        yield ImportRejection(origin=str(path), reason=f"larger than the {_mb(cap)} limit")
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
