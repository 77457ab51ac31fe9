"""Draft -> the exact values stored: cleaned text, title, canonical URL, detected language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from articles.importing.agencies import agency_from_credits
from articles.importing.text import (
    author_from_byline,
    canonical_url,
    clean_body,
    clean_line,
    datetime_range_problem,
    derive_title,
    invalid_text_problem,
    invalid_url_problem,
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
    notes: list[str] = field(default_factory=list)


def prepare_draft(
    draft: ArticleDraft, *, default_source: str = ""
) -> PreparedArticle | ImportRejection:
    """Clean one draft; a draft with no text left (or a bad URL or date) becomes a rejection."""
    errors = _field_errors(draft)
    if errors:
        reason = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        return ImportRejection(origin=draft.origin, reason=reason, errors=errors)
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
    # An agency story names its agency in the byline or dateline, not in a source field.
    source = clean_line(draft.source) or clean_line(default_source)
    if not source:
        source = agency_from_credits(author, *bylines, body=body)
    language = clean_line(draft.language).lower()[:16] or detect_language(_sample(body))
    return PreparedArticle(
        title=(clean_line(draft.title) or derive_title(body))[:500],
        body=body,
        url=url,
        source=source[:200],
        author=author[:300],
        published_at=draft.published_at,
        language="" if language == UNDETERMINED else language,
        origin=draft.origin,
        notes=list(draft.notes),
    )


def _field_errors(draft: ArticleDraft) -> dict[str, list[str]]:
    """Values no reader should have let through but that would fail the whole batch if saved.

    Readers validate their own input (JSON items field by field); this is the last check
    every draft passes, whatever read it, so one bad item is rejected alone.
    """
    errors: dict[str, list[str]] = {}
    for name in ("title", "body", "url", "source", "author", "language"):
        value = getattr(draft, name) or ""
        problem = invalid_text_problem(value)
        if name == "url" and not problem and value.strip():
            problem = invalid_url_problem(value)
        if problem:
            errors[name] = [f"The {name} {problem}"]
    problem = datetime_range_problem(draft.published_at)
    if problem:
        errors["published_at"] = [problem]
    return errors
