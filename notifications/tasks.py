"""Celery tasks for notifications: thin wrappers over notifications.services and .digest."""

from __future__ import annotations

from celery import shared_task

from notifications import digest, services


@shared_task(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)
def send_notification(self, notification_id: int) -> None:
    """Send one email; retry with backoff while the mail server fails."""
    retry_in = services.notification_send(notification_id=notification_id)
    if retry_in is not None:
        # The attempt count lives in the row, not in Celery: NOTIFICATION_MAX_ATTEMPTS bounds it.
        raise self.retry(countdown=retry_in)


@shared_task
def sweep_notifications() -> int:
    """Re-enqueue emails left unsent (broker down when queued, lost retries, dead workers)."""
    due = services.notifications_due()
    services.publish_notifications(due)
    return len(due)


@shared_task
def send_daily_digests() -> int:
    """Queue today's digest for every reviewer (safe to run twice a day)."""
    return digest.digests_send()
