"""What a token scope or a signed-in user's role allows, per API action.

A view names the capability each action needs (``capabilities = {"review": "review", ...}``;
safe methods default to "read"). Tokens are judged by their scope and, when a token belongs to
a user, by that user's permissions too, on every request (a reviewer who leaves the Reviewers
group stops reviewing through their token as on the web); browser sessions by the user's
permissions (Reviewers review, Editors import and re-run proposal, webhooks need
``integrations.change_webhooksubscription``); superusers may do everything. ``is_staff`` alone
grants nothing here: reviewers and editors are staff so they can enter the admin.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from integrations.models import ApiToken, TokenScope

READ, REVIEW, IMPORT, RERUN, ADMIN = "read", "review", "import", "rerun", "admin"

SCOPES_FOR: dict[str, frozenset[str]] = {
    READ: frozenset(TokenScope.values),
    REVIEW: frozenset({TokenScope.REVIEW, TokenScope.ADMIN}),
    IMPORT: frozenset({TokenScope.IMPORT, TokenScope.ADMIN}),
    RERUN: frozenset({TokenScope.IMPORT, TokenScope.ADMIN}),
    ADMIN: frozenset({TokenScope.ADMIN}),
}
USERLESS_REVIEW_REFUSED = (
    "This token belongs to no user, and every verdict must have a person behind it: review "
    "tokens must be re-issued for a user (manage.py create_api_token NAME --scope review "
    "--user USERNAME), then this one revoked."
)
# The Django permission a session user needs. READ uses the view's own ``read_permission``
# (e.g. claims.view_claim).
PERMISSION_FOR: dict[str, str] = {
    REVIEW: "claims.review_claim",
    IMPORT: "articles.import_articles",
    RERUN: "articles.rerun_proposal",
    ADMIN: "integrations.change_webhooksubscription",
}


def required_capability(request, view) -> str:
    capabilities = getattr(view, "capabilities", {})
    action = getattr(view, "action", None)
    if action in capabilities:
        return capabilities[action]
    return READ if request.method in SAFE_METHODS else ADMIN


class HasCapability(BasePermission):
    """Allow the request if the token's scope or the user's role grants the action's capability."""

    def has_permission(self, request, view) -> bool:
        capability = required_capability(request, view)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            if token.scope not in SCOPES_FOR[capability]:
                needed = " or ".join(sorted(SCOPES_FOR[capability]))
                self.message = (
                    f"A token with scope {token.scope!r} cannot do this; it needs {needed}."
                )
                return False
            if token.user is None and capability == REVIEW:
                # Every verdict has a person behind it: a token without a user (made before
                # this rule) may still read, but not review, approve or assign.
                self.message = USERLESS_REVIEW_REFUSED
                return False
            if token.user is None or _user_may(token.user, capability, view):
                return True
            self.message = (
                f"This token acts for {token.user.get_username()!r}, whose role no longer "
                "allows this action."
            )
            return False
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if _user_may(user, capability, view):
            return True
        self.message = "Your role does not allow this action."
        return False


def _user_may(user, capability: str, view) -> bool:
    """Whether the user's permissions (read now, not cached) grant the capability."""
    if user.is_superuser:
        return True
    perm = getattr(view, "read_permission", None) if capability == READ else None
    perm = perm or PERMISSION_FOR.get(capability)
    return perm is not None and user.has_perm(perm)


def acting_user(request):
    """The user to record as the author of a write, or None for a token without a user."""
    user = request.user
    return user if user is not None and user.is_authenticated else None
