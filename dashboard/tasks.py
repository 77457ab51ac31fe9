"""Celery tasks of the dashboard: refresh the aggregate tables (beat runs them)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from dashboard import services


@shared_task(bind=True, max_retries=2, default_retry_delay=30)
def refresh_dashboard_stats(self, days: int | None = None) -> int:
    """Recompute the last DASHBOARD_STATS_RECENT_DAYS days and the backlog; idempotent."""
    try:
        state = services.stats_refresh(days=days or settings.DASHBOARD_STATS_RECENT_DAYS)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc) from exc
    return state.took_ms


@shared_task(bind=True, max_retries=2, default_retry_delay=300)
def rebuild_dashboard_stats(self) -> int:
    """Recompute every day's aggregates (drift from deleted claims or rows); idempotent."""
    try:
        state = services.stats_refresh(days=None)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc) from exc
    return state.took_ms
