"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def safe_href(url: str) -> str:
    """``url`` if it is an http(s) URL, else "" so templates show it as text, not a link.

    Article URLs come from importers and feeds; a ``javascript:`` URL must never become a link.
    """
    value = (url or "").strip()
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def get_index(items, index: int):
    """``items[index]``, or None past the end (the verdict form's evidence rows)."""
    try:
        return items[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
