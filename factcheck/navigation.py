"""The reviewer workspace's navigation: apps register their entries and badge counts here.

The base template knows no app's queues. Each app that has a page worth a place in the
navigation registers it in its ``AppConfig.ready()`` with ``register_nav_item``; an entry may
carry a count (a badge: conflicts open, claims awaiting approval, a saved view's size). Counts
are cached per user for ``NAV_BADGE_CACHE_SECONDS`` so a page view does not run a dozen counts
over a million claims.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

logger = logging.getLogger(__name__)

# Counts are bounded (a count walks at most this many index entries + 1): above it, "1,000+".
BADGE_CAP = 1_000


@dataclass(frozen=True)
class NavItem:
    """One entry in the main navigation, with an optional badge count."""

    key: str
    label: str
    url: str
    count: int | None = None
    current: bool = False

    @property
    def badge(self) -> str:
        """The count as shown: '' for none or zero, '1,000+' past the counts' cap."""
        if not self.count:
            return ""
        return f"{BADGE_CAP:,}+" if self.count > BADGE_CAP else f"{self.count:,}"


# A provider returns the entries it adds for this request (a user may see none of them).
NavProvider = Callable[[object], Iterable[NavItem]]


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    label: str
    url_name: str
    url_query: str
    count: Callable[[object], int] | None
    visible: Callable[[object], bool] | None
    provider: NavProvider | None


_REGISTRY: dict[str, _Registered] = {}


def register_nav_item(
    key: str,
    *,
    label: str = "",
    url_name: str = "",
    url_query: str = "",
    order: int = 100,
    count: Callable[[object], int] | None = None,
    visible: Callable[[object], bool] | None = None,
    provider: NavProvider | None = None,
) -> None:
    """Add an entry (or, with ``provider``, a dynamic list of entries) to the navigation.

    ``count(user)`` gives the badge; ``visible(user)`` hides the entry from users who may not
    use it. Registering a key again replaces it (``ready()`` may run twice in tests).
    """
    _REGISTRY[key] = _Registered(
        key=key,
        order=order,
        label=label,
        url_name=url_name,
        url_query=url_query,
        count=count,
        visible=visible,
        provider=provider,
    )


def nav_items(request) -> list[NavItem]:
    """The registered entries this request's user sees, in order, with cached badge counts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current_name = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    ttl = getattr(settings, "NAV_BADGE_CACHE_SECONDS", 30)
    cache_key = f"nav-counts:{user.pk}"
    cached = cache.get(cache_key) if ttl else None
    counts: dict[str, int | None] = dict(cached or {})
    fresh = cached is None
    items: list[NavItem] = []
    for entry in sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key)):
        if entry.visible is not None and not entry.visible(user):
            continue
        if entry.provider is not None:
            items.extend(entry.provider(user))
            continue
        count = None
        if entry.count is not None:
            if entry.key in counts:
                count = counts[entry.key]
            else:
                try:
                    count = entry.count(user)
                except Exception:  # a badge must never take the page down
                    logger.exception("navigation badge %s failed", entry.key)
                    count = None
                counts[entry.key] = count
                fresh = True
        url = reverse(entry.url_name) + (f"?{entry.url_query}" if entry.url_query else "")
        items.append(
            NavItem(
                key=entry.key,
                label=entry.label,
                url=url,
                count=count,
                current=current_name == entry.url_name and not entry.url_query,
            )
        )
    if ttl and fresh:
        cache.set(cache_key, counts, ttl)
    return items


def invalidate_nav_counts(user_id: int | None = None) -> None:
    """Forget cached badge counts (one user's, or nobody's when the cache cannot list keys)."""
    if user_id is not None:
        cache.delete(f"nav-counts:{user_id}")


def navigation(request) -> dict:
    """Template context processor: ``nav_items`` for the base template."""
    return {"nav_items": nav_items(request)}
