"""The editors' correction email through a real worker on the notifications queue, to a local
SMTP sink (aiosmtpd)."""

from __future__ import annotations

import socket

import pytest

from claims.services import claim_set_status
from publishing.models import CorrectionTask
from publishing.services import publication_publish
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory
from tests.worker.helpers import wait_for
from tests.worker.test_worker import STARTUP

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


class Sink:
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = aiosmtpd_controller.Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def test_a_corrected_verdict_emails_the_editor_from_the_notifications_queue(
    broker, start_worker, smtp_sink
):
    sink, port = smtp_sink
    editor = EditorFactory(username="ines", email="ines@herald.example")
    article = ArticleFactory(imported_by=editor)
    claim = ClaimFactory(article=article)
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    publication_publish(claim_id=claim.pk, user=None, rationale="Minutes agree.")

    claim_set_status(claim_id=claim.pk, to_status="disputed", user=None, note="New figures.")

    # Queued on "notifications" after the commit; nothing was sent inside the request.
    client = broker.client()
    assert client.llen("notifications") == 1
    assert sink.messages == []
    start_worker(
        broker.url,
        queues="notifications",
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "0",
        },
    )
    wait_for(lambda: sink.messages, timeout=STARTUP, what="the correction email")
    task = wait_for(
        lambda: CorrectionTask.objects.filter(emailed_at__isnull=False).first(),
        timeout=STARTUP,
        what="the email to be recorded",
    )

    (envelope,) = sink.messages
    assert envelope.rcpt_tos == ["ines@herald.example"]
    body = envelope.content.decode()
    assert "your article repeats the claim" in body
    assert f"/fact-checks/{claim.pk}/" in body
    assert task.emailed_to == ["ines@herald.example"]
