"""Writes for integrations: API tokens and webhook subscriptions."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.crypto import encrypt_secret
from integrations.models import (
    REVIEW_SCOPE_NEEDS_USER,
    REVIEW_SCOPES,
    ApiToken,
    TokenScope,
    WebhookEventType,
    WebhookSubscription,
)
from integrations.netguard import UnsafeUrl, check_url
from integrations.token_cache import forget_token
from integrations.tokens import PREFIX_LENGTH, generate_key, hash_key


class WebhookInvalid(ValueError):
    """A webhook subscription field is not acceptable; ``field`` names it."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class CreatedToken:
    token: ApiToken
    key: str  # shown once to the caller, never stored


def api_token_create(
    *,
    name: str,
    scope: str,
    user: AbstractBaseUser | None = None,
    created_by: AbstractBaseUser | None = None,
) -> CreatedToken:
    """Create a token and return it with its key, which is not stored and cannot be shown again."""
    if scope not in TokenScope.values:
        raise ValueError(f"Unknown scope {scope!r}; choose one of {', '.join(TokenScope.values)}")
    if scope in REVIEW_SCOPES and user is None:
        raise ValueError(REVIEW_SCOPE_NEEDS_USER.format(scope=scope))
    for _ in range(5):
        key = generate_key()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    name=name.strip()[:200] or "token",
                    scope=scope,
                    prefix=key[:PREFIX_LENGTH],
                    key_hash=hash_key(key),
                    user=user,
                    created_by=created_by,
                )
        except IntegrityError:
            continue  # the 8-character prefix collided with an existing token's: draw again
        return CreatedToken(token=token, key=key)
    raise RuntimeError("Could not draw a unique token prefix")


def api_token_revoke(*, token_id: int) -> None:
    """Revoke a token: it stops authenticating at once (see API_TOKEN_CACHE_SECONDS)."""
    ApiToken.objects.filter(pk=token_id, revoked=False).update(
        revoked=True, revoked_at=timezone.now()
    )
    prefix = ApiToken.objects.filter(pk=token_id).values_list("prefix", flat=True).first()
    if prefix:
        forget_token(prefix)


def webhook_url_validate(url: str, *, resolve: bool = True) -> str:
    """Return the URL if webhooks may be sent there, else raise WebhookInvalid('url')."""
    url = url.strip()
    try:
        check_url(
            url, allowed_private_hosts=settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS, resolve=resolve
        )
    except UnsafeUrl as exc:
        raise WebhookInvalid("url", str(exc)) from exc
    return url


def _clean_events(events: Sequence[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEventType.values))
    if unknown:
        raise WebhookInvalid("events", f"Unknown event types: {', '.join(unknown)}")
    return sorted(set(events))


def webhook_subscription_create(
    *,
    name: str,
    url: str,
    secret: str = "",
    events: Sequence[str] = (),
    active: bool = True,
    created_by: AbstractBaseUser | None = None,
) -> tuple[WebhookSubscription, str]:
    """Create a subscription; returns it with its secret (generated when none was given)."""
    secret = secret or secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(
        name=name.strip()[:200] or url,
        url=webhook_url_validate(url),
        secret_encrypted=encrypt_secret(secret),
        events=_clean_events(events),
        active=active,
        created_by=created_by,
    )
    return subscription, secret


def webhook_subscription_update(
    *,
    subscription_id: int,
    name: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    events: Sequence[str] | None = None,
    active: bool | None = None,
) -> WebhookSubscription:
    """Change some fields of a subscription; a new secret replaces the old one at once."""
    subscription = WebhookSubscription.objects.get(pk=subscription_id)
    if name is not None:
        subscription.name = name.strip()[:200] or subscription.url
    if url is not None:
        subscription.url = webhook_url_validate(url)
    if secret:
        subscription.secret_encrypted = encrypt_secret(secret)
    if events is not None:
        subscription.events = _clean_events(events)
    if active is not None:
        subscription.active = active
    subscription.save()
    return subscription
