"""Celery tasks for webhooks: thin wrappers over integrations.webhooks."""

from __future__ import annotations

from celery import shared_task

from integrations import webhooks


@shared_task(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)
def deliver_webhook(self, delivery_id: int) -> None:
    """Attempt one webhook delivery; retry with backoff while the receiver fails."""
    retry_in = webhooks.webhook_deliver(delivery_id=delivery_id)
    if retry_in is not None:
        # The attempt count lives in the row, not in Celery: WEBHOOK_MAX_ATTEMPTS bounds it.
        raise self.retry(countdown=retry_in)


@shared_task
def sweep_webhook_deliveries() -> int:
    """Re-enqueue deliveries whose retry is due (lost broker messages, dead workers)."""
    due = webhooks.webhook_deliveries_due()
    webhooks.publish_deliveries(due)
    return len(due)
