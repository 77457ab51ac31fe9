"""Notification preferences and the email outbox (one row per email, written before it is sent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "A claim was assigned to me"
    VERDICT_APPROVED = "verdict_approved", "My verdict was approved"
    VERDICT_SENT_BACK = "verdict_sent_back", "My verdict was sent back"
    SOURCE_CHANGED = "source_changed", "A claim I reviewed changed verdict at its source"
    DIGEST = "digest", "Daily digest"


class NotificationState(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Leased by one worker while it talks to the mail server (see services.notification_send).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class NotificationPreference(models.Model):
    """Which emails a user gets; created on first use with everything on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    assigned = models.BooleanField(
        "A claim is assigned to me", default=True, help_text="Not when you assign it yourself."
    )
    verdict_decided = models.BooleanField(
        "My verdict is approved or sent back",
        default=True,
        help_text="When a second reviewer decides on a verdict you submitted.",
    )
    source_changed = models.BooleanField(
        "A claim I reviewed changes verdict at its source",
        default=True,
        help_text="A claim whose verdict was carried over from another claim, when that one "
        "changes.",
    )
    daily_digest = models.BooleanField(
        "Daily digest",
        default=True,
        help_text="Your open claims, overdue ones, verdicts awaiting approval and claims "
        "flagged for re-review, once a day (only when there is something to report).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification preferences of user {self.user_id}"

    def wants(self, kind: str) -> bool:
        """Whether this user asked for emails of ``kind``."""
        return bool(getattr(self, PREFERENCE_FIELD[kind]))


# The preference that switches each kind of email on or off.
PREFERENCE_FIELD = {
    NotificationKind.ASSIGNED: "assigned",
    NotificationKind.VERDICT_APPROVED: "verdict_decided",
    NotificationKind.VERDICT_SENT_BACK: "verdict_decided",
    NotificationKind.SOURCE_CHANGED: "source_changed",
    NotificationKind.DIGEST: "daily_digest",
}


class Notification(models.Model):
    """One email: written by a receiver in the event's transaction, sent by a worker."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    # What made it: one email per event and recipient, however often the event is replayed
    # ("assigned:<claim>:<version>:<user>", "digest:<user>:<date>").
    dedupe_key = models.CharField(max_length=200)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    state = models.CharField(
        max_length=8, choices=NotificationState.choices, default=NotificationState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a queued row may be (re)sent: now, or after a retry's backoff.
    next_attempt_at = models.DateTimeField()
    # A worker holds a sending row until then; past it, the worker is presumed dead.
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key"),
            models.CheckConstraint(
                condition=Q(state__in=NotificationState.values), name="notification_state_valid"
            ),
        ]
        indexes = [
            # The sweep: queued rows whose time has come, and leases of dead workers.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="notification_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}: {self.subject}"
