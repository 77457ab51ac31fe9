"""Notification emails through a real worker on the notifications queue to a real SMTP server."""

from __future__ import annotations

import email
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from django.utils import timezone

from claims.services import claim_assign
from notifications.models import Notification
from tests.factories import ClaimFactory, ReviewerFactory
from tests.worker.helpers import SmtpSink, free_port, publishing_to, wait_for
from tests.worker.test_worker import STARTUP

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

SITE = "https://desk.example.org"


@pytest.fixture
def people(settings):
    # Links are written into the email when it is queued, in this process.
    settings.SITE_URL = SITE
    return ReviewerFactory(username="rita"), ReviewerFactory(username="omar")


def _parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=default_policy)


def test_an_assignment_email_is_sent_by_a_worker_on_the_notifications_queue(
    broker, start_worker, smtp_sink, people
):
    rita, omar = people
    claim = ClaimFactory()

    claim_assign(claim_id=claim.pk, assignee=omar, user=rita)

    # Queued on "notifications" after the commit; the web process sent nothing itself.
    client = broker.client()
    assert client.llen("notifications") == 1
    assert client.llen("default") == 0
    assert smtp_sink.messages == []
    start_worker(
        broker.url,
        queues="notifications",
        env={**smtp_sink.env(), "DEFAULT_FROM_EMAIL": "desk@newsroom.example"},
    )
    (envelope,) = wait_for(lambda: smtp_sink.messages, timeout=STARTUP, what="the email")
    note = wait_for(
        lambda: Notification.objects.filter(state="sent").first(),
        timeout=STARTUP,
        what="the email to be recorded as sent",
    )

    assert envelope.mail_from == "desk@newsroom.example"
    assert envelope.rcpt_tos == ["omar@newsroom.example"]
    message = _parse(envelope)
    assert message["To"] == "omar@newsroom.example"
    # A long non-ASCII subject is folded into encoded words (its first line left empty).
    assert str(message["Subject"]).strip() == note.subject
    assert note.subject.startswith(f"Claim #{claim.pk} assigned to you: ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "rita assigned claim" in text
    assert f"{SITE}/claims/{claim.pk}/" in text
    assert f'href="{SITE}/claims/{claim.pk}/"' in html
    assert (note.attempts, note.last_error, note.user) == (1, "", omar)
    assert client.llen("notifications") == 0


def test_an_email_queued_while_the_broker_was_down_is_sent_by_the_sweep(
    redis_server, start_worker, smtp_sink, people
):
    rita, omar = people
    # The broker is unreachable when the assignment commits: the publish fails, the row stays.
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        claim_assign(claim_id=ClaimFactory().pk, assignee=omar, user=rita)
    note = Notification.objects.get()
    assert (note.state, note.attempts) == ("queued", 0)
    Notification.objects.filter(pk=note.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=2)
    )

    env = {**smtp_sink.env(), "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "1"}
    start_worker(redis_server.url, queues="default,notifications", env=env)
    start_worker(redis_server.url, beat=True, env=env)

    (envelope,) = wait_for(lambda: smtp_sink.messages, timeout=STARTUP, what="the swept email")
    assert envelope.rcpt_tos == ["omar@newsroom.example"]
    wait_for(
        lambda: Notification.objects.filter(pk=note.pk, state="sent").exists(),
        timeout=STARTUP,
        what="the swept email to be recorded as sent",
    )


def test_a_worker_retries_while_the_mail_server_is_down_and_sends_once_it_is_up(
    broker, start_worker, people
):
    rita, omar = people
    late = SmtpSink()  # its port is chosen, nothing listens there yet
    claim_assign(claim_id=ClaimFactory().pk, assignee=omar, user=rita)
    worker = start_worker(
        broker.url,
        queues="notifications",
        env={
            **late.env(),
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
            "NOTIFICATION_MAX_ATTEMPTS": "20",
        },
    )
    note = wait_for(
        lambda: (
            Notification.objects.filter(attempts__gte=1, state="queued")
            .exclude(last_error="")
            .first()
        ),
        timeout=STARTUP,
        what="the first failed attempt",
    )
    assert note.last_error.startswith("ConnectionRefusedError"), worker.output()

    late.start()
    try:
        (envelope,) = wait_for(lambda: late.messages, timeout=STARTUP, what="the retried email")
        sent = wait_for(
            lambda: Notification.objects.filter(state="sent").first(),
            timeout=STARTUP,
            what="the email to be recorded as sent",
        )
    finally:
        late.stop()
    assert envelope.rcpt_tos == ["omar@newsroom.example"]
    assert sent.attempts >= 2
    assert sent.last_error == ""
