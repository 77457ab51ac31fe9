"""Sending from the outbox: one attempt per task, retries with backoff, failed after the last."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.models import Notification
from notifications.services import (
    backoff_seconds,
    notification_queue,
    notification_resend,
    notification_send,
    notifications_due,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _queue(user, key="k1") -> Notification:
    return notification_queue(
        user=user,
        kind="assigned",
        dedupe_key=key,
        template="assigned",
        context={"claim": ClaimFactory(), "claim_url": "https://x.example/c/1", "by": None},
    )


@pytest.fixture
def closed_port():
    """A local port nothing listens on: the SMTP connection is refused, as a dead server's."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_smtp(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    settings.EMAIL_TIMEOUT = 2


def test_sending_marks_the_row_sent_and_a_second_task_sends_nothing(reviewer, settings):
    settings.DEFAULT_FROM_EMAIL = "desk@newsroom.example"
    note = _queue(reviewer)

    assert notification_send(notification_id=note.pk) is None
    assert notification_send(notification_id=note.pk) is None  # the sweep's duplicate

    note.refresh_from_db()
    assert (note.state, note.attempts, note.last_error) == ("sent", 1, "")
    assert note.sent_at is not None
    (message,) = mail.outbox
    assert (message.from_email, message.to, message.subject) == (
        "desk@newsroom.example",
        ["rita@newsroom.example"],
        note.subject,
    )
    assert message.body == note.body


def test_a_refused_smtp_connection_is_retried_with_backoff(reviewer, dead_smtp, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    note = _queue(reviewer)

    wait = notification_send(notification_id=note.pk)

    note.refresh_from_db()
    assert wait == 30
    assert (note.state, note.attempts) == ("queued", 1)
    assert note.last_error.startswith("ConnectionRefusedError:")
    assert note.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert note.locked_until is None
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]


def test_the_last_failed_try_marks_the_email_failed_and_resend_queues_it_again(
    reviewer, dead_smtp, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    note = _queue(reviewer)

    assert notification_send(notification_id=note.pk) is not None
    assert notification_send(notification_id=note.pk) is None

    note.refresh_from_db()
    assert (note.state, note.attempts) == ("failed", 2)
    assert "ConnectionRefusedError" in note.last_error

    assert notification_resend(notification_id=note.pk) is True
    note.refresh_from_db()
    assert (note.state, note.attempts, note.last_error) == ("queued", 0, "")


def test_a_sent_email_is_never_resent(reviewer):
    note = _queue(reviewer)
    notification_send(notification_id=note.pk)
    assert notification_resend(notification_id=note.pk) is False
    note.refresh_from_db()
    assert note.state == "sent"


def test_the_task_retries_through_celery_until_the_last_try(
    reviewer, dead_smtp, settings, monkeypatch
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    note = _queue(reviewer)
    retries = []
    original = tasks.send_notification.retry

    def counting_retry(*args, **kwargs):
        retries.append(kwargs.get("countdown"))
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks.send_notification, "retry", counting_retry)
    # Applied in-process, Celery runs each retry at once instead of after its countdown.
    tasks.send_notification.apply(args=(note.pk,))

    note.refresh_from_db()
    assert retries == [30, 60]
    assert (note.state, note.attempts) == ("failed", 3)


def test_the_sweep_picks_old_queued_rows_and_dead_leases_only(reviewer, settings):
    settings.NOTIFICATION_SWEEP_GRACE_SECONDS = 60
    now = timezone.now()
    fresh = _queue(reviewer, "fresh")
    old = _queue(reviewer, "old")
    waiting = _queue(reviewer, "waiting-for-retry")
    dead = _queue(reviewer, "dead-worker")
    live = _queue(reviewer, "live-worker")
    sent = _queue(reviewer, "sent")
    Notification.objects.filter(pk=old.pk).update(next_attempt_at=now - timedelta(minutes=2))
    Notification.objects.filter(pk=waiting.pk).update(next_attempt_at=now + timedelta(minutes=5))
    Notification.objects.filter(pk=dead.pk).update(
        state="sending", locked_until=now - timedelta(seconds=1)
    )
    Notification.objects.filter(pk=live.pk).update(
        state="sending", locked_until=now + timedelta(seconds=30)
    )
    Notification.objects.filter(pk=sent.pk).update(
        state="sent", next_attempt_at=now - timedelta(hours=1)
    )

    assert sorted(notifications_due()) == sorted([old.pk, dead.pk])
    assert fresh.pk not in notifications_due()

    # The sweep task sends them (eagerly here).
    assert tasks.sweep_notifications.apply().get() == 2
    assert Notification.objects.get(pk=old.pk).state == "sent"
    assert Notification.objects.get(pk=dead.pk).state == "sent"
    assert Notification.objects.get(pk=live.pk).state == "sending"
    assert len(mail.outbox) == 2


def test_the_same_dedupe_key_queues_one_email(reviewer):
    assert _queue(reviewer, "same") is not None
    assert _queue(reviewer, "same") is None
    assert Notification.objects.filter(dedupe_key="same").count() == 1


def test_admin_lists_emails_and_resends_only_failed_ones(admin_client, reviewer):
    failed = _queue(reviewer, "failed")
    sent = _queue(reviewer, "sent")
    Notification.objects.filter(pk=failed.pk).update(
        state="failed", attempts=5, last_error="SMTPServerDisconnected: gone"
    )
    Notification.objects.filter(pk=sent.pk).update(state="sent")

    page = admin_client.get("/admin/notifications/notification/?state__exact=failed")
    assert page.status_code == 200
    assert b"SMTPServerDisconnected: gone" in page.content

    response = admin_client.post(
        "/admin/notifications/notification/",
        {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert b"Queued 1 email(s) again; 1 not failed, left alone." in response.content
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.state, failed.attempts, sent.state) == ("queued", 0, "sent")
