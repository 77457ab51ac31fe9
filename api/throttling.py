"""Per-token (and per-user) request rates, one per token scope (settings.API_THROTTLE_RATES)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    """Rate-limit each token by its scope's rate; sessions by "user", the rest by "anon"."""

    def __init__(self):
        # The rate depends on the request (the token's scope): chosen in allow_request.
        pass

    def allow_request(self, request, view) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            self.scope, ident = token.scope, f"token{token.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "user", f"user{request.user.pk}"
        else:
            self.scope, ident = "anon", self.get_ident(request)
        self.rate = settings.API_THROTTLE_RATES.get(self.scope)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = f"api-throttle:{self.scope}:{ident}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):  # pragma: no cover - allow_request builds the key
        return self.key
