"""The formats the importer reads (by file name, media type or sniffing) and its size limits.

Its own module so that the readers of one format (archives, feeds) can use the limits without
importing the dispatcher in ``readers``, which imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def format_for(name: str, content_type: str = "") -> str | None:
    """The reader for a file name or media type; None when neither says (sniff the bytes)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in MEDIA_TYPES:
        return MEDIA_TYPES[media]
    if media.endswith("+xml"):
        return FEED
    suffix = Path(name.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    return EXTENSIONS.get(suffix)
