"""API tokens for other services, and webhook subscriptions with their event and delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class TokenScope(models.TextChoices):
    READ = "read", "Read: every GET endpoint"
    REVIEW = "review", "Review: read, plus review and assign claims"
    IMPORT = "import", "Import: read, plus create articles and re-run proposal"
    ADMIN = "admin", "Admin: everything, including webhook subscriptions"


# Scopes that can review (set verdicts, approve, assign): a token with one of them must belong
# to a user, so every verdict has a person behind it.
REVIEW_SCOPES = frozenset({TokenScope.REVIEW, TokenScope.ADMIN})
REVIEW_SCOPE_NEEDS_USER = (
    "A token with scope {scope!r} can review claims, so it must belong to a user: every "
    "verdict needs a person behind it. Choose the user it acts for."
)


class ApiToken(models.Model):
    """A key a service sends as ``Authorization: Token <key>``; only its sha256 is stored."""

    name = models.CharField(max_length=200)
    scope = models.CharField(max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    # The first characters of the key, kept in clear to find the row without scanning hashes.
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    # The user the token acts as (writes are attributed to them); null for a bare service token.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Writes made with this token are recorded as this user's.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=TokenScope.values), name="apitoken_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}, {self.prefix}…)"

    def clean(self) -> None:
        # Not a database constraint: tokens made before this rule exist without a user; the
        # API refuses them when they try to review (api.permissions), and they keep reading.
        if self.scope in REVIEW_SCOPES and self.user_id is None:
            raise ValidationError({"user": REVIEW_SCOPE_NEEDS_USER.format(scope=self.scope)})


class WebhookEventType(models.TextChoices):
    CLAIM_STATUS_CHANGED = "claim.status_changed", "A claim's status changed"
    CLAIM_EXPIRED = "claim.expired", "A claim's verdict is due for re-check"
    CLAIM_CORRECTION = "claim.correction", "A published verdict was corrected"


class WebhookSubscription(models.Model):
    """A URL that receives signed JSON events."""

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000)
    # The signing secret, encrypted with a key derived from SECRET_KEY (integrations.crypto):
    # it must be recoverable to sign, so it cannot be hashed like a token.
    secret_encrypted = models.TextField(editable=False)
    # Event types to send; an empty list means every type.
    events = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class WebhookEvent(models.Model):
    """One event, delivered to every matching subscription; its id is the idempotency key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64, choices=WebhookEventType.choices)
    # One event per status change: the hook may fire twice, the event is written once.
    status_change = models.OneToOneField(
        "claims.ClaimStatusChange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_event",
    )
    # Events not tied to a status change name what they announce ("correction:12"): written
    # once, however often the hook fires.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed (gave up)"


class WebhookDelivery(models.Model):
    """The delivery of one event to one subscription, with its attempts: the log in the admin."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While a worker sends, no other worker may pick the delivery up before this time.
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            # One delivery row per (event, subscription): an event id never goes out twice.
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.state})"
