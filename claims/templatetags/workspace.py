"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils import timezone

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


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


@register.filter
def due_label(when) -> str:
    """'due in 3 h' or 'overdue by 3 h' for a due time; '' for none."""
    if when is None:
        return ""
    seconds = (when - timezone.now()).total_seconds()
    if seconds >= 0:
        return f"due in {_span(seconds)}"
    return f"overdue by {_span(-seconds)}"


@register.filter
def since_label(when) -> str:
    """'3 days ago' / 'in 3 days' for a past or future time; '' for none."""
    if when is None:
        return ""
    seconds = (when - timezone.now()).total_seconds()
    return f"in {_span(seconds)}" if seconds >= 0 else f"{_span(-seconds)} ago"


@register.filter
def get_index(items, index: int):
    """``items[index]``, or None past the end (the verdict form's evidence rows)."""
    try:
        return items[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
