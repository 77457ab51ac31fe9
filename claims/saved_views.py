"""Saved views: a reviewer's named queue filter, optionally shared with the desk.

The stored query is the queue's own filter parameters (claims.forms.FILTER_PARAMS), validated
by the queue's filter form and written back in its normal form, so a saved view opens exactly
the queue its owner saw. Counts (navigation badges) are bounded and cached.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from claims.forms import FILTER_PARAMS, QueueFilterForm
from claims.models import SavedView
from claims.selectors import COUNT_CAP, claim_queue_queryset
from factcheck.navigation import NavItem

NAME_MAX = 60
QUERY_MAX = 1000
# The queue's paging parameters: part of a queue URL, but not of what a view filters on.
_PAGING = ("after", "before")
# Filters whose count is not an index range (substring search walks the table): their views
# show no badge rather than slow every page.
_UNCOUNTED = ("q", "claimer")
# At most this many saved views in the navigation (own first, then the desk's).
NAV_LIMIT = 10


class SavedViewError(Exception):
    """A saved view could not be written; the message says what is wrong."""


def clean_query(raw: str) -> str:
    """The queue query ``raw`` in normal form, or SavedViewError naming what is wrong."""
    raw = (raw or "").strip().removeprefix("?")
    if len(raw) > QUERY_MAX:
        raise SavedViewError(
            f"The filter is too long ({len(raw)} characters, at most {QUERY_MAX})."
        )
    data = QueryDict(raw)
    unknown = sorted(k for k in data if k not in FILTER_PARAMS and k not in _PAGING)
    if unknown:
        names = ", ".join(repr(k[:40]) for k in unknown[:5])
        raise SavedViewError(
            f"Unknown filter parameter{'s' if len(unknown) > 1 else ''} {names}; "
            f"a view can filter on {', '.join(FILTER_PARAMS)}."
        )
    repeated = sorted(k for k in data if len(data.getlist(k)) > 1)
    if repeated:
        raise SavedViewError(f"Filter parameter {repeated[0]!r} is given more than once.")
    for key in _PAGING:
        data = data.copy()
        data.pop(key, None)
    form = QueueFilterForm(data)
    if form.errors:
        problems = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())
        raise SavedViewError(f"The filter is not valid ({problems}).")
    return form.query_string()


def clean_name(raw: str) -> str:
    """The view's name, trimmed; SavedViewError when empty, too long or with control chars."""
    name = " ".join((raw or "").split())
    if not name:
        raise SavedViewError("Give the view a name.")
    if len(name) > NAME_MAX:
        raise SavedViewError(f"The name is too long ({len(name)} characters, at most {NAME_MAX}).")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise SavedViewError("The name contains control characters.")
    return name


def saved_view_create(
    *, owner: AbstractBaseUser, name: str, query: str, shared: bool = False
) -> SavedView:
    """Save a queue filter under a name (unique per owner); raises SavedViewError."""
    name = clean_name(name)
    query = clean_query(query)
    owner.__dict__.pop("_visible_saved_views", None)
    with transaction.atomic():
        if SavedView.objects.filter(owner=owner).count() >= settings.SAVED_VIEWS_PER_USER:
            raise SavedViewError(
                f"You have {settings.SAVED_VIEWS_PER_USER} saved views already: delete one first."
            )
        try:
            # A savepoint: the unique name is checked by the database (two tabs saving at once).
            with transaction.atomic():
                view = SavedView.objects.create(owner=owner, name=name, query=query, shared=shared)
        except IntegrityError:
            raise SavedViewError(f"You already have a view named “{name}”.") from None
    _changed()
    return view


def saved_view_delete(*, view_id: int, user: AbstractBaseUser) -> None:
    """Delete one of the user's own saved views; SavedViewError for anyone else's or none."""
    user.__dict__.pop("_visible_saved_views", None)
    deleted, _ = SavedView.objects.filter(pk=view_id, owner=user).delete()
    if not deleted:
        raise SavedViewError("No such saved view of yours.")
    _changed()


_VERSION_KEY = "saved-views:version"


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, 1, None)
        version = cache.get(_VERSION_KEY) or 1
    return version


def _changed() -> None:
    """Every user's cached list is stale (a view was added, deleted, or shared)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # not set (evicted, or never read): any new value differs from none
        cache.set(_VERSION_KEY, 2, None)


def saved_views_visible(user: AbstractBaseUser) -> list[SavedView]:
    """The user's own views, then the views others shared with the desk, each by name.

    Cached per user (every page's navigation asks) until any saved view changes, and read once
    per request: the navigation and the queue page both ask, with the same user.
    """
    cached = getattr(user, "_visible_saved_views", None)
    if cached is not None:
        return cached
    key = f"saved-views:{_version()}:{user.pk}"
    visible = cache.get(key)
    if visible is None:
        views = list(
            SavedView.objects.filter(Q(owner=user) | Q(shared=True))
            .select_related("owner")
            .order_by("name", "id")
        )
        visible = [v for v in views if v.owner_id == user.pk] + [
            v for v in views if v.owner_id != user.pk
        ]
        cache.set(key, visible, settings.NAV_BADGE_CACHE_SECONDS)
    user._visible_saved_views = visible
    return visible


def saved_views_owned(user: AbstractBaseUser) -> list[SavedView]:
    """The user's own saved views, by name."""
    return [v for v in saved_views_visible(user) if v.owner_id == user.pk]


def saved_view_count(view: SavedView, user: AbstractBaseUser) -> int | None:
    """Claims in the view (up to COUNT_CAP + 1), cached; None for a view we do not count."""
    data = QueryDict(view.query)
    if any(data.get(k) for k in _UNCOUNTED):
        return None
    # "Mine" depends on who looks; every other view counts the same for everyone.
    who = user.pk if data.get("assignee") == "me" else "all"
    digest = hashlib.sha256(view.query.encode()).hexdigest()[:16]  # a changed query: new key
    key = f"saved-view-count:{view.pk}:{who}:{digest}"
    count = cache.get(key)
    if count is None:
        filters = QueueFilterForm(data).to_filters()
        qs = claim_queue_queryset(filters=filters, user=user).order_by()
        count = qs.values("pk")[: COUNT_CAP + 1].count()
        cache.set(key, count, settings.NAV_BADGE_CACHE_SECONDS)
    return count


def view_url(view: SavedView) -> str:
    """The queue URL a saved view opens."""
    base = reverse("claims:queue")
    return f"{base}?{view.query}" if view.query else base


def nav_provider(user):
    """Navigation entries (factcheck.navigation provider): one per visible saved view."""
    for view in saved_views_visible(user)[:NAV_LIMIT]:
        try:
            count = saved_view_count(view, user)
        except Exception:  # a badge must never take the page down
            count = None
        label = view.name if view.owner_id == user.pk else f"{view.name} (shared)"
        yield NavItem(key=f"saved-view-{view.pk}", label=label, url=view_url(view), count=count)
