"""``Authorization: Token <key>`` (or ``Bearer <key>``) authentication for services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from integrations.models import ApiToken
from integrations.token_cache import cached_token, remember_token
from integrations.tokens import KEY_LENGTH, PREFIX_LENGTH, key_matches

# last_used_at is written at most this often per token: a write on every request would cost
# more than the request itself under load.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate a request by an ApiToken; ``request.auth`` is the token.

    ``request.user`` is the token's user when it has one (writes are attributed to them),
    otherwise an anonymous user: the token's scope, not a user's role, decides what it may do.
    """

    keyword = "Token"
    # "Bearer" is what most HTTP clients and API gateways send; the key is the same.
    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                "Invalid token header: expected 'Token <key>' or 'Bearer <key>'."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed("Invalid token.") from None
        if len(key) != KEY_LENGTH:
            raise AuthenticationFailed("Invalid token.")
        token = cached_token(key[:PREFIX_LENGTH])
        if token is None or not key_matches(key, token.key_hash):
            raise AuthenticationFailed("Invalid token.")
        if token.revoked:
            raise AuthenticationFailed("This token has been revoked.")
        if token.user is not None and not token.user.is_active:
            raise AuthenticationFailed("The token's user is inactive.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
            remember_token(token)
        return (token.user or AnonymousUser(), token)

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return self.keyword
