"""Finding an import's duplicates, and filling an existing article's blanks from one."""

from __future__ import annotations

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.importing.prepare import PreparedArticle
from articles.models import Article

logger = logging.getLogger(__name__)

# One duplicate lookup per this many articles: keeps the IN lists well inside every
# backend's parameter limit (SQLite allows 32766 since 3.32, older builds 999).
DUPLICATE_QUERY_CHUNK = 400


def find_duplicate(*, url: str | None, body_hash: str) -> Article | None:
    """The existing article with this URL or this normalised text, if any."""
    query = Q(content_hash=body_hash)
    if url:
        query |= Q(url=url)
    return Article.objects.filter(query).order_by("pk").first()


# Fields a duplicate import may fill in on the existing article when they are blank there.
# Title and body never change: claim offsets point into the body the reviewers saw.
FILLABLE = ("url", "source", "author", "published_at", "language")


def existing_keys(
    hashes: set[str], urls: set[str]
) -> tuple[dict[str, int], dict[str, int], dict[int, dict]]:
    """Existing articles by text hash and by URL, and their fillable fields by id."""
    by_hash: dict[str, int] = {}
    by_url: dict[str, int] = {}
    rows: dict[int, dict] = {}
    hash_list, url_list = sorted(hashes), sorted(urls)
    for start in range(0, max(len(hash_list), len(url_list)), DUPLICATE_QUERY_CHUNK):
        query = Q(content_hash__in=hash_list[start : start + DUPLICATE_QUERY_CHUNK])
        url_chunk = url_list[start : start + DUPLICATE_QUERY_CHUNK]
        if url_chunk:
            query |= Q(url__in=url_chunk)
        for row in Article.objects.filter(query).values("pk", "content_hash", *FILLABLE):
            by_hash.setdefault(row["content_hash"], row["pk"])
            if row["url"]:
                by_url.setdefault(row["url"], row["pk"])
            rows[row["pk"]] = row
    return by_hash, by_url, rows


def article_fill_blanks(
    *,
    row: dict,
    prepared: PreparedArticle,
    taken_urls: dict[str, int],
    user: AbstractBaseUser | None,
) -> tuple[str, ...]:
    """Give an existing article (``row`` from existing_keys) the metadata it lacks.

    An article first imported from a bare paste or a feed summary often lacks its author or
    date; the later import of the same story from its page has them. Each field is set
    only where still blank (one conditional UPDATE per field), so two concurrent imports
    never overwrite each other or a value an editor typed in between. Returns the fields
    filled; ``row`` is updated to match.
    """
    filled = []
    for name in FILLABLE:
        value = getattr(prepared, name)
        if not value or row[name] not in ("", None):
            continue
        if name == "url" and prepared.url in taken_urls:
            continue  # another article has this URL
        blank = Q(**{f"{name}__isnull": True}) if name == "published_at" else Q(**{name: ""})
        try:
            with transaction.atomic():
                changed = Article.objects.filter(blank, pk=row["pk"]).update(
                    **{name: value, "updated_at": timezone.now()}
                )
        except IntegrityError:  # the URL was taken meanwhile
            continue
        if changed:
            row[name] = value
            filled.append(name)
    if filled:
        _log_fill(row["pk"], filled, origin=prepared.origin, user=user)
    return tuple(filled)


def _log_fill(article_id: int, filled: list[str], *, origin: str, user) -> None:
    message = f"Filled blank {', '.join(filled)} from a duplicate import ({origin})."
    logger.info("article %s: %s", article_id, message)
    if user is not None and user.pk:
        # The article's admin history shows who filled what, like any edit.
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=Article.objects.filter(pk=article_id),
            action_flag=CHANGE,
            change_message=message,
            single_object=True,
        )
