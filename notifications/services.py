"""Writes for notifications: queue an email (the outbox row), send it, resend it, preferences.

An email is never sent inside the request or transaction that caused it. A receiver writes a
``Notification`` row in the event's transaction (it commits or rolls back with the event) and
queues ``notifications.tasks.send_notification`` once that transaction commits; a worker on the
``notifications`` queue sends it. A broker that is down at that moment loses nothing: the
periodic sweep (``notifications_due``) queues rows left unsent.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from factcheck import retry
from notifications.models import (
    Notification,
    NotificationPreference,
    NotificationState,
)
from notifications.selectors import preferences_for

logger = logging.getLogger(__name__)

# The send task (notifications.tasks), queued by name so this module does not import its tasks.
SEND_TASK = "notifications.tasks.send_notification"
# The longest subject line a mail client shows whole; the rest is cut with an ellipsis.
SUBJECT_MAX = 200
# What the outbox keeps of an error (an SMTP server's answer can be long).
ERROR_MAX = 2000

# Errors worth another try: the mail server refused for now, went away, or did not answer.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def site_url(path: str) -> str:
    """An absolute link for an email: SITE_URL and a path of this site, never a request's host."""
    return f"{settings.SITE_URL}{path}"


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(
        render_to_string(f"notifications/email/{template}_subject.txt", context).split()
    )
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    body = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return subject, body, html


def notification_queue(
    *,
    user: AbstractBaseUser,
    kind: str,
    dedupe_key: str,
    template: str,
    context: dict[str, Any],
    preference: NotificationPreference | None = None,
) -> Notification | None:
    """Write one email to the outbox and queue its sending after commit; idempotent.

    Returns None when the user does not get it: inactive, no address, or the kind switched
    off in their preferences. The same ``dedupe_key`` twice (a replayed event, a second digest
    run on one day) writes nothing and queues nothing.
    """
    if not user.is_active or not getattr(user, "email", ""):
        return None
    preference = preference or preferences_for(user)
    if not preference.wants(kind):
        return None
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    subject, body, html = _render(template, {"user": user, **context})
    now = timezone.now()
    # A savepoint: losing a race on the dedupe key leaves the caller's transaction usable.
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "user": user,
            "kind": kind,
            "to_email": user.email,
            "subject": subject,
            "body": body,
            "html_body": html,
            "next_attempt_at": now,
        },
    )
    if not created:
        return None
    notification_id = notification.pk
    transaction.on_commit(lambda: publish_notifications([notification_id]), robust=True)
    return notification


def publish_notifications(notification_ids: list[int]) -> None:
    """Queue a send task for each id; a broker failure is left to the sweep."""
    for notification_id in notification_ids:
        try:
            # A signature of a registered task still runs eagerly in the embedded mode.
            current_app.signature(SEND_TASK, args=(notification_id,)).delay()
        except Exception:  # broker down: the sweep finds the queued row later
            logger.warning("could not enqueue notification %s; sweep will retry", notification_id)


def backoff_seconds(attempt: int) -> int:
    """Wait before retry number ``attempt`` (1-based): base * 2**(attempt-1), capped."""
    wait = retry.backoff_seconds(
        base=settings.NOTIFICATION_RETRY_BASE_SECONDS,
        retry=attempt - 1,
        cap=settings.NOTIFICATION_RETRY_MAX_SECONDS,
    )
    return int(wait)


def _lease_seconds() -> int:
    return (settings.EMAIL_TIMEOUT or 30) + 30


def notification_send(*, notification_id: int) -> int | None:
    """Send one queued email; return seconds until the next try, or None when done.

    The conditional UPDATE is the lease: of two tasks for the same row (the sweep re-queued
    it while the first message was still waiting), one sends and the other returns.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(state=NotificationState.QUEUED)
            | Q(state=NotificationState.SENDING, locked_until__lt=now)  # its worker died
        )
        .update(
            state=NotificationState.SENDING,
            locked_until=now + timedelta(seconds=_lease_seconds()),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
    )
    if notification.html_body:
        message.attach_alternative(notification.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except TRANSIENT_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _finish(notification_id, NotificationState.FAILED, error=error)
            logger.warning(
                "notification %s failed after %s attempts: %s",
                notification_id,
                notification.attempts,
                error,
            )
            return None
        wait = backoff_seconds(notification.attempts)
        _finish(
            notification_id,
            NotificationState.QUEUED,
            error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=wait),
        )
        return wait
    except Exception as exc:  # a bad address or message: another try would fail the same way
        _finish(notification_id, NotificationState.FAILED, error=f"{type(exc).__name__}: {exc}")
        logger.exception("notification %s could not be sent", notification_id)
        return None
    _finish(notification_id, NotificationState.SENT)
    logger.info("notification %s sent (%s)", notification_id, notification.kind)
    return None


def _finish(notification_id: int, state: str, *, error: str = "", next_attempt_at=None) -> None:
    fields: dict[str, Any] = {"state": state, "locked_until": None, "last_error": error[:ERROR_MAX]}
    if state == NotificationState.SENT:
        fields["sent_at"] = timezone.now()
    if next_attempt_at is not None:
        fields["next_attempt_at"] = next_attempt_at
    Notification.objects.filter(pk=notification_id).update(**fields)


def notifications_due() -> list[int]:
    """Queued rows older than the grace period and leases of dead workers: for the sweep.

    The grace period leaves a freshly queued row to the message queued with it.
    """
    now = timezone.now()
    settled = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS)
    return list(
        Notification.objects.filter(
            Q(state=NotificationState.QUEUED, next_attempt_at__lte=settled)
            | Q(state=NotificationState.SENDING, locked_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def notification_resend(*, notification_id: int) -> bool:
    """Queue a failed email again with fresh attempts (admin action); False if not failed.

    Only failed rows: a sent email is never sent twice.
    """
    updated = Notification.objects.filter(
        pk=notification_id, state=NotificationState.FAILED
    ).update(
        state=NotificationState.QUEUED,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
    )
    if updated:
        transaction.on_commit(lambda: publish_notifications([notification_id]), robust=True)
    return bool(updated)


def preferences_ensure(*, user: AbstractBaseUser) -> NotificationPreference:
    """The user's preferences row, created with every email on the first time it is needed."""
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def preferences_update(*, user: AbstractBaseUser, **choices: bool) -> NotificationPreference:
    """Save which emails ``user`` gets (only the preference fields; others are refused)."""
    allowed = {"assigned", "verdict_decided", "source_changed", "daily_digest"}
    unknown = set(choices) - allowed
    if unknown:
        raise ValueError(f"Unknown notification preference(s): {', '.join(sorted(unknown))}")
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        for name, value in choices.items():
            setattr(preference, name, bool(value))
        preference.save()
    return preference
