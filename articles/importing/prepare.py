"""Draft -> the exact values stored: cleaned text, title, canonical URL, detected language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from articles.importing.text import (
    author_from_byline,
    canonical_url,
    clean_body,
    clean_line,
    derive_title,
)
from articles.importing.types import ArticleDraft, ImportRejection
from extraction.language import UNDETERMINED, detect_language

# langid's cost grows with the text; an article's opening names its language as surely as
# its whole does, and 400 characters keep detection a fraction of a millisecond (import
# speed target: 500 articles/s). The proposal pipeline may re-detect on more text.
LANGUAGE_SAMPLE_CHARS = 400


def _sample(body: str) -> str:
    if len(body) <= LANGUAGE_SAMPLE_CHARS:
        return body
    return body[:LANGUAGE_SAMPLE_CHARS].rsplit(None, 1)[0]


@dataclass(slots=True)
class PreparedArticle:
    """Field values ready for ``Article``; ``body`` is final (claim offsets point into it)."""

    title: str
    body: str
    url: str
    source: str
    author: str
    published_at: datetime | None
    language: str
    origin: str


def prepare_draft(
    draft: ArticleDraft, *, default_source: str = ""
) -> PreparedArticle | ImportRejection:
    """Clean one draft; a draft with no text left (or a bad URL) becomes a rejection."""
    body, bylines = clean_body(draft.body, line_paragraphs=draft.line_paragraphs)
    if not body:
        reason = (
            "The article has no text once page boilerplate is removed."
            if draft.body.strip()
            else "The article has no text."
        )
        return ImportRejection(origin=draft.origin, reason=reason, errors={"body": [reason]})
    url = ""
    if draft.url.strip():
        url = canonical_url(draft.url)
        if not url or len(url) > 2000:
            message = "Enter a valid http(s) URL (at most 2000 characters)."
            return ImportRejection(
                origin=draft.origin, reason=f"url: {message}", errors={"url": [message]}
            )
    author = clean_line(draft.author) or (author_from_byline(bylines[0]) if bylines else "")
    language = clean_line(draft.language).lower()[:16] or detect_language(_sample(body))
    return PreparedArticle(
        title=(clean_line(draft.title) or derive_title(body))[:500],
        body=body,
        url=url,
        source=(clean_line(draft.source) or clean_line(default_source))[:200],
        author=author[:300],
        published_at=draft.published_at,
        language="" if language == UNDETERMINED else language,
        origin=draft.origin,
    )
