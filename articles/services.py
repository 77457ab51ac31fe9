"""Writes for articles: creating and importing articles atomically, queueing claim proposal."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, IntegrityError, transaction

from articles.duplicates import article_fill_blanks, find_duplicate
from articles.duplicates import existing_keys as _existing_keys
from articles.importing.prepare import PreparedArticle, prepare_draft
from articles.importing.readers import draft_from_mapping
from articles.importing.text import normalize_body
from articles.importing.types import ArticleDraft, ImportRejection, ReadResult
from articles.models import Article, content_hash
from articles.proposal_queue import article_request_proposal, articles_request_proposal

# Re-exported: the proposal state service is part of this app's public surface.
from articles.proposal_state import (  # noqa: F401
    IllegalProposalTransition,
    article_set_proposal_state,
)

logger = logging.getLogger(__name__)


class ArticleInvalid(Exception):
    """The article cannot be imported as given (empty text, missing title...)."""


@dataclass(frozen=True, slots=True)
class ArticleCreateResult:
    article: Article
    created: bool  # False: an article with the same URL or text already existed


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
                article_request_proposal(article_id=article.pk)
    except IntegrityError:
        # A concurrent import of the same article won the race on a unique constraint.
        existing = find_duplicate(url=url, body_hash=body_hash)
        if existing is None:
            raise
        return ArticleCreateResult(article=existing, created=False)
    return ArticleCreateResult(article=article, created=True)


# --- import ---------------------------------------------------------------------------------

CREATED, DUPLICATE, REJECTED = "created", "duplicate", "rejected"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened to one imported item: created, duplicate (of ``article_id``) or rejected."""

    status: Literal["created", "duplicate", "rejected"]
    origin: str = ""
    article_id: int | None = None
    title: str = ""
    url: str = ""
    reason: str = ""
    # Field name -> messages (DRF style; "non_field_errors" when no one field is at fault).
    errors: dict[str, list[str]] = field(default_factory=dict)
    # What the import changed or left out ("date dropped: ..."), for the report.
    notes: tuple[str, ...] = ()
    # A duplicate's blank fields this item filled in on the existing article.
    filled: tuple[str, ...] = ()

    def as_api_dict(self, index: int | None = None) -> dict:
        """The per-item entry of the bulk API response."""
        data: dict = {} if index is None else {"index": index}
        if self.status == REJECTED:
            data.update(
                status="error",
                errors=self.errors or {"non_field_errors": [self.reason]},
                detail=self.reason,
            )
        else:
            data.update(status=self.status, id=self.article_id, title=self.title, url=self.url)
            if self.filled:
                data["filled"] = list(self.filled)
        if self.notes:
            data["notes"] = list(self.notes)
        return data

    @property
    def summary(self) -> str:
        """One line for reports: "created", "duplicate, filled: author, published_at"."""
        text = self.status
        if self.filled:
            text += f", filled: {', '.join(self.filled)}"
        if self.notes:
            text += f" ({'; '.join(self.notes)})"
        return text


class ImportBatchTooLarge(ArticleInvalid):
    """More items in one API request than settings.IMPORT_BULK_LIMIT."""


def _rejected(item: ImportRejection) -> ImportOutcome:
    return ImportOutcome(
        status=REJECTED, origin=item.origin, reason=item.reason, errors=dict(item.errors)
    )


def articles_import_batch(
    items: Iterable[ReadResult],
    *,
    imported_by: AbstractBaseUser | None = None,
    propose: bool = True,
    default_source: str = "",
) -> list[ImportOutcome]:
    """Import drafts (rejections pass through); one outcome per item, in order.

    Duplicates (same canonical URL or same normalised text, in the database or earlier in
    the batch) are reported with the existing article's id; they are looked up for the whole
    batch in one query per 400 items. New articles are inserted together in one transaction;
    if the database refuses any of them, each is retried in its own transaction so a bad
    item never blocks the good ones and nothing half-written stays behind. Every created
    article is queued for claim proposal when its transaction commits (``propose``).
    """
    outcomes: list[ImportOutcome | None] = []
    pending: list[tuple[int, PreparedArticle, str]] = []
    for item in items:
        if isinstance(item, ImportRejection):
            outcomes.append(_rejected(item))
            continue
        prepared = prepare_draft(item, default_source=default_source)
        if isinstance(prepared, ImportRejection):
            outcomes.append(_rejected(prepared))
            continue
        pending.append((len(outcomes), prepared, content_hash(prepared.body)))
        outcomes.append(None)
    if not pending:
        return [o for o in outcomes if o is not None]

    by_hash, by_url, existing_rows = _existing_keys(
        {body_hash for _, _, body_hash in pending}, {p.url for _, p, _ in pending if p.url}
    )
    to_insert: list[tuple[int, PreparedArticle, str]] = []
    for index, prepared, body_hash in pending:
        existing = by_hash.get(body_hash)
        if existing is None and prepared.url:
            existing = by_url.get(prepared.url)
        if existing:
            outcomes[index] = _duplicate(prepared, existing)
            continue
        if existing == 0:
            continue  # a duplicate of an article of this batch: resolved after the insert
        to_insert.append((index, prepared, body_hash))
        # Later items of the batch with the same text or URL are duplicates of this one;
        # 0 stands for "being inserted" until the id is known.
        by_hash[body_hash] = 0
        if prepared.url:
            by_url[prepared.url] = 0

    _fill_blanks(outcomes, pending, by_url, existing_rows, imported_by=imported_by)
    created = _insert_all(to_insert, imported_by=imported_by, propose=propose)
    if created is None:
        # Something in the batch was refused by the database (or lost a race on a unique
        # key): redo it one article per transaction, so only the culprit is rejected.
        created = {
            index: _insert(prepared, body_hash, imported_by=imported_by, propose=propose)
            for index, prepared, body_hash in to_insert
        }
    ids_by_hash = {body_hash: created[index].article_id for index, _, body_hash in to_insert}
    ids_by_url = {
        prepared.url: created[index].article_id for index, prepared, _ in to_insert if prepared.url
    }
    for index, prepared, body_hash in pending:
        if index in created:
            outcomes[index] = created[index]
        elif outcomes[index] is None:  # a duplicate of an article inserted by this batch
            existing = ids_by_hash.get(body_hash) or ids_by_url.get(prepared.url or None)
            outcomes[index] = (
                _duplicate(prepared, existing)
                if existing
                else ImportOutcome(
                    status=REJECTED,
                    origin=prepared.origin,
                    reason="Its duplicate earlier in the batch could not be saved.",
                    errors={"non_field_errors": ["The article could not be saved."]},
                )
            )
    return [o for o in outcomes if o is not None]


def _fill_blanks(
    outcomes: list[ImportOutcome | None],
    pending: list[tuple[int, PreparedArticle, str]],
    by_url: dict[str, int],
    current: dict[int, dict],
    *,
    imported_by: AbstractBaseUser | None,
) -> None:
    """Fill the existing articles' blank fields from their duplicates in this batch."""
    for index, prepared, _ in pending:
        outcome = outcomes[index]
        if outcome is None or outcome.status != DUPLICATE or outcome.article_id not in current:
            continue
        filled = article_fill_blanks(
            row=current[outcome.article_id], prepared=prepared, taken_urls=by_url, user=imported_by
        )
        if filled:
            outcomes[index] = replace(outcome, filled=filled)


def _duplicate(prepared: PreparedArticle, existing_id: int) -> ImportOutcome:
    # title/url describe the item as sent (cleaned), so a caller can tell its items apart.
    return ImportOutcome(
        status=DUPLICATE,
        origin=prepared.origin,
        article_id=existing_id,
        title=prepared.title,
        url=prepared.url,
        reason=f"Already imported as article {existing_id}.",
        notes=tuple(prepared.notes),
    )


def _new_article(
    prepared: PreparedArticle, body_hash: str, imported_by: AbstractBaseUser | None
) -> Article:
    return Article(
        title=prepared.title,
        body=prepared.body,
        source=prepared.source,
        url=prepared.url,
        author=prepared.author,
        published_at=prepared.published_at,
        language=prepared.language,
        content_hash=body_hash,
        imported_by=imported_by,
    )


def _insert_all(
    rows: list[tuple[int, PreparedArticle, str]],
    *,
    imported_by: AbstractBaseUser | None,
    propose: bool,
) -> dict[int, ImportOutcome] | None:
    """Insert every row in one transaction (one commit, one INSERT); None if any is refused.

    One commit per article would cap an import at the disk's fsync rate (~100/s on common
    disks); rows are validated and duplicate-checked beforehand, so the all-or-nothing
    statement almost never fails, and when it does the caller retries one by one.
    """
    if not rows:
        return {}
    try:
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                [_new_article(prepared, body_hash, imported_by) for _, prepared, body_hash in rows]
            )
            if propose:
                articles_request_proposal(article_ids=[a.pk for a in articles])
    except DatabaseError:
        logger.info("batch insert of %d articles refused; retrying one by one", len(rows))
        return None
    return {
        index: ImportOutcome(
            status=CREATED,
            origin=prepared.origin,
            article_id=article.pk,
            title=article.title,
            url=article.url,
            notes=tuple(prepared.notes),
        )
        for (index, prepared, _), article in zip(rows, articles, strict=True)
    }


def _insert(
    prepared: PreparedArticle,
    body_hash: str,
    *,
    imported_by: AbstractBaseUser | None,
    propose: bool,
) -> ImportOutcome:
    try:
        with transaction.atomic():
            article = _new_article(prepared, body_hash, imported_by)
            article.save(force_insert=True)
            if propose:
                article_request_proposal(article_id=article.pk)
    except IntegrityError:
        # A concurrent import of the same article won the race on a unique constraint.
        existing = find_duplicate(url=prepared.url, body_hash=body_hash)
        if existing is None:
            logger.exception("import of %s failed", prepared.origin)
            return ImportOutcome(
                status=REJECTED,
                origin=prepared.origin,
                reason="The article could not be saved.",
                errors={"non_field_errors": ["The article could not be saved."]},
            )
        return _duplicate(prepared, existing.pk)
    except DatabaseError as exc:
        # One unsavable article (a value the database refuses) must not stop the batch.
        logger.exception("import of %s failed", prepared.origin)
        message = f"The article could not be saved ({type(exc).__name__})."
        return ImportOutcome(
            status=REJECTED,
            origin=prepared.origin,
            reason=message,
            errors={"non_field_errors": [message]},
        )
    return ImportOutcome(
        status=CREATED,
        origin=prepared.origin,
        article_id=article.pk,
        title=article.title,
        url=article.url,
        notes=tuple(prepared.notes),
    )


def article_import(
    draft: ArticleDraft, *, imported_by: AbstractBaseUser | None = None, propose: bool = True
) -> ImportOutcome:
    """Import one draft article: created, duplicate or rejected (never raises for bad input)."""
    return articles_import_batch([draft], imported_by=imported_by, propose=propose)[0]


def article_import_payload(
    items: list[dict], *, imported_by: AbstractBaseUser | None = None, propose: bool = True
) -> list[ImportOutcome]:
    """Validate and import JSON API items; one outcome per item, in order.

    Raises ImportBatchTooLarge when ``items`` exceeds settings.IMPORT_BULK_LIMIT.
    """
    limit = settings.IMPORT_BULK_LIMIT
    if len(items) > limit:
        raise ImportBatchTooLarge(f"At most {limit} articles per request ({len(items)} sent).")
    drafts = [
        draft_from_mapping(item, origin=f"items[{index}]", max_bytes=settings.IMPORT_MAX_BYTES)
        for index, item in enumerate(items)
    ]
    return articles_import_batch(drafts, imported_by=imported_by, propose=propose)
