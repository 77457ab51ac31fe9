"""Celery tasks for publishing: thin wrappers over publishing.emails."""

from __future__ import annotations

import smtplib

from celery import shared_task

from factcheck import retry
from publishing.emails import correction_task_email
from publishing.selectors import correction_tasks_unemailed
from publishing.services import enqueue_correction_emails


@shared_task(bind=True, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def send_correction_email(self, task_id: int) -> bool:
    """Email a correction to make to the article's editors; retried while the mail server fails."""
    try:
        return correction_task_email(task_id=task_id)
    except (smtplib.SMTPException, OSError) as exc:
        raise self.retry(
            exc=exc, countdown=retry.backoff_seconds(base=30, retry=self.request.retries)
        ) from exc


@shared_task
def sweep_correction_emails() -> int:
    """Queue the editors' emails that never went out (broker down at commit, lost message)."""
    pending = correction_tasks_unemailed()
    enqueue_correction_emails(pending)
    return len(pending)
