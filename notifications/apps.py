from django.apps import AppConfig

from claims.signals import (
    claim_assigned,
    claim_status_changed,
    verdict_approved,
    verdict_sent_back,
)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Email notifications"

    def ready(self) -> None:
        # The tasks are queued by name; importing them registers them with Celery, so the
        # embedded mode (no broker) runs them in-process instead of publishing nowhere.
        from notifications import receivers, tasks  # noqa: F401

        # Connected here so claims never imports notifications. Each receiver writes its
        # outbox rows inside the event's transaction; the email is sent after the commit.
        for signal, receiver in (
            (claim_assigned, receivers.on_claim_assigned),
            (verdict_approved, receivers.on_verdict_approved),
            (verdict_sent_back, receivers.on_verdict_sent_back),
            (claim_status_changed, receivers.on_claim_status_changed),
        ):
            signal.connect(receiver, dispatch_uid=f"notifications.receivers.{receiver.__name__}")
