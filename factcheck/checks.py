"""Deployment checks (`manage.py check --deploy`) for the opt-outs of production defaults."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_plain_http(app_configs=None, **kwargs) -> list[Warning]:
    """Warn, naming the opt-out, when HTTPS was turned off on purpose."""
    if not settings.FACTCHECK_PLAIN_HTTP or settings.DEBUG:
        return []
    return [
        Warning(
            "FACTCHECK_PLAIN_HTTP=1: the site is served over plain HTTP (no HTTPS redirect, "
            "no HSTS, session and CSRF cookies without Secure); passwords and session cookies "
            "cross the network readable.",
            hint="Serve the site over HTTPS and unset FACTCHECK_PLAIN_HTTP.",
            id="factcheck.W001",
        )
    ]


@register(Tags.database, deploy=True)
def check_embedded(app_configs=None, **kwargs) -> list[Warning]:
    """Warn when a production server runs on SQLite with in-process tasks."""
    if settings.DEBUG or not settings.FACTCHECK_EMBEDDED:
        return []
    effects = []
    if not settings.DATABASE_URL:
        effects.append("DATABASE_URL is unset: data goes to a local SQLite file")
    if not settings.CELERY_BROKER_URL:
        effects.append("CELERY_BROKER_URL is unset: tasks run inside web requests")
    if not effects:
        return []
    return [
        Warning(
            f"FACTCHECK_EMBEDDED=1 and {'; '.join(effects)}. Fit for a demo, not a newsroom.",
            hint="Set DATABASE_URL and CELERY_BROKER_URL and unset FACTCHECK_EMBEDDED.",
            id="factcheck.W002",
        )
    ]
