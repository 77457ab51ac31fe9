"""Writes for articles: creating one article atomically and queueing its claim proposal."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q

from articles.models import Article, content_hash

logger = logging.getLogger(__name__)


class ArticleInvalid(Exception):
    """The article cannot be imported as given (empty text, missing title...)."""


@dataclass(frozen=True, slots=True)
class ArticleCreateResult:
    article: Article
    created: bool  # False: an article with the same URL or text already existed


def normalize_body(text: str) -> str:
    """NFC, LF line endings, trimmed lines, single blank line between paragraphs.

    Curly quotes, dashes and no-break spaces are kept as text: they are part of what the
    article says, and claim offsets point into exactly this string.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs, current = [], []
    for raw in text.split("\n"):
        line = " ".join(raw.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0").strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
    return "\n\n".join(paragraphs)


def _is_wrapped(lines: list[str]) -> bool:
    # Hard-wrapped prose (a paragraph broken at ~72 columns) is rejoined; a block of short
    # independent lines (one paragraph per line, as in most exports) keeps its breaks.
    return len(lines) > 1 and all(
        not ln.endswith((".", "!", "?", ":", "”", '"')) for ln in lines[:-1]
    )


def find_duplicate(*, url: str | None, body_hash: str) -> Article | None:
    """The existing article with this URL or this normalised text, if any."""
    query = Q(content_hash=body_hash)
    if url:
        query |= Q(url=url)
    return Article.objects.filter(query).order_by("pk").first()


def article_create(
    *,
    title: str,
    body: str,
    source: str = "",
    url: str = "",
    author: str = "",
    published_at: datetime | None = None,
    language: str = "",
    imported_by: AbstractBaseUser | None = None,
    propose: bool = True,
) -> ArticleCreateResult:
    """Create one article atomically, or return the existing duplicate (same URL or text)."""
    body = normalize_body(body)
    title = " ".join(unicodedata.normalize("NFC", title or "").split())[:500]
    if not body:
        raise ArticleInvalid("The article has no text.")
    if not title:
        title = body.split("\n", 1)[0][:200]
    url = (url or "").strip()
    body_hash = content_hash(body)

    existing = find_duplicate(url=url, body_hash=body_hash)
    if existing is not None:
        return ArticleCreateResult(article=existing, created=False)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title,
                body=body,
                source=source.strip()[:200],
                url=url,
                author=author.strip()[:300],
                published_at=published_at,
                language=language.strip()[:16],
                content_hash=body_hash,
                imported_by=imported_by,
            )
            if propose:
                from claims.tasks import enqueue_proposal

                enqueue_proposal(article.pk)
    except IntegrityError:
        # A concurrent import of the same article won the race on a unique constraint.
        existing = find_duplicate(url=url, body_hash=body_hash)
        if existing is None:
            raise
        return ArticleCreateResult(article=existing, created=False)
    return ArticleCreateResult(article=article, created=True)
