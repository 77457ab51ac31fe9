"""A short-lived cache of ApiToken rows by prefix, shared by API authentication and revoking."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from integrations.models import ApiToken


def _cache_key(prefix: str) -> str:
    return f"api-token:{prefix}"


def remember_token(token: ApiToken) -> None:
    ttl = settings.API_TOKEN_CACHE_SECONDS
    if ttl > 0:
        cache.set(_cache_key(token.prefix), token, ttl)


def cached_token(prefix: str) -> ApiToken | None:
    """The token with this prefix, from a short-lived cache or the database.

    A service calls many times a second: caching its token (API_TOKEN_CACHE_SECONDS, a few
    seconds) saves a query per request. Revoking deletes the entry, which takes effect at once
    for a cache shared by all processes, and within the TTL for a per-process cache.
    """
    token = cache.get(_cache_key(prefix)) if settings.API_TOKEN_CACHE_SECONDS > 0 else None
    if token is None:
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is not None:
            remember_token(token)
    return token


def forget_token(prefix: str) -> None:
    """Drop a token from the cache (after revoking it)."""
    cache.delete(_cache_key(prefix))
