"""What the readers yield: one draft article or one rejection per item they find."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ArticleDraft:
    """An article as read from a file, page, feed entry or API item, before it is cleaned."""

    title: str
    body: str
    url: str = ""
    source: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str = ""
    # Where the item came from, for reports: "feed.xml#3", "batch.zip:a/b.txt", a URL.
    origin: str = ""
    # The body is already one paragraph per line (HTML extraction, feeds): single line breaks
    # are paragraph breaks, never hard wrapping to be rejoined.
    line_paragraphs: bool = False
    # What the reader changed or left out, for the import report ("date dropped: ...").
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportRejection:
    """One item that cannot be imported, and why (``errors``: field name -> messages)."""

    origin: str
    reason: str
    errors: dict[str, list[str]] = field(default_factory=dict)


class ImportFailure(Exception):
    """A whole input (file, URL, archive) cannot be read; the message is shown to editors."""


ReadResult = ArticleDraft | ImportRejection


# url -> FetchedDocument (articles.importing.fetch); raises ImportFailure.
Fetcher = Callable[[str], Any]
# The readers' dispatcher (readers.read_bytes), passed to the archive and feed readers so
# they can read what they contain without importing the module that imports them.
Reader = Callable[..., Iterator["ArticleDraft | ImportRejection"]]


# Files that describe a folder or archive rather than belong to it: README.md, LICENSE,
# CHANGELOG.txt... A folder walk or an archive skips them (with hidden files and Finder
# droppings); a file named on its own is still imported.
_HOUSEKEEPING_STEMS = frozenset(
    {"readme", "license", "licence", "copying", "changelog", "changes", "authors", "notice"}
)


def is_skipped_member(name: str) -> bool:
    """Whether a file found inside a folder or archive is not an article (by its base name)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.startswith(".") or base.split(".", 1)[0].lower() in _HOUSEKEEPING_STEMS


def format_size(n: int) -> str:
    """Sizes in messages to editors: "5 MB", "100,000 bytes"."""
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"
