"""RSS and Atom feeds (feedparser): each entry becomes an article."""

from __future__ import annotations

from calendar import timegm
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin

from articles.importing.html import html_fragment_to_text
from articles.importing.text import (
    canonical_url,
    clean_line,
    datetime_range_problem,
    parse_datetime_lenient,
)
from articles.importing.types import (
    ArticleDraft,
    Fetcher,
    ImportFailure,
    ImportRejection,
    Reader,
    ReadResult,
)


def _benign_feed_errors() -> tuple[type, ...]:
    import feedparser

    # A wrong or missing encoding declaration is recovered from exactly; broken XML is not.
    return (
        feedparser.CharacterEncodingOverride,
        feedparser.NonXMLContentType,
    )


def read_feed(
    data: bytes, *, name: str, url: str, source: str, fetch: Fetcher | None, read: Reader
) -> Iterator[ReadResult]:
    """Read a feed's entries; a summary-only entry's page is fetched and read with ``read``."""
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
            yield _feed_entry(
                entry, origin=origin, link=link, source=feed_source, fetch=fetch, read=read
            )
        except ImportFailure as exc:
            yield ImportRejection(origin=origin, reason=str(exc))


def _feed_entry(
    entry, *, origin: str, link: str, source: str, fetch: Fetcher | None, read: Reader
) -> ReadResult:
    title = clean_line(html_fragment_to_text(entry.get("title", "")))
    published, notes = _entry_date(entry)
    author = clean_line(entry.get("author", ""))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        body = html_fragment_to_text(max(contents, key=len))
        if body.strip():
            return ArticleDraft(
                title=title, body=body, url=canonical_url(link), source=source, author=author,
                published_at=published, origin=origin, line_paragraphs=True, notes=notes,
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
        read(
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
    page.notes = notes + page.notes if published is None else notes
    return page


def _entry_date(entry) -> tuple[datetime | None, list[str]]:
    """The entry's date and notes: an out-of-range date is dropped with a note, not rejected.

    A feed's date is metadata the publisher's CMS wrote, not something an editor typed: the
    article is worth importing without it, and the report says the date was dropped.
    """
    notes: list[str] = []
    for key in ("published", "updated", "created"):
        published = parse_datetime_lenient(entry.get(key), notes)
        if notes:
            return None, notes
        if published is None and entry.get(f"{key}_parsed"):
            try:
                published = datetime.fromtimestamp(timegm(entry[f"{key}_parsed"]), tz=UTC)
            except (OverflowError, ValueError, OSError):
                published = None
            problem = datetime_range_problem(published)
            if problem:
                return None, [f"date dropped: {problem}"]
        if published:
            return published, notes
    return None, notes
