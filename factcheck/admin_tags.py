"""Template tags for the admin index (registered in settings.TEMPLATES as ``factcheck_ops``)."""

from __future__ import annotations

import logging

from django import template
from django.conf import settings

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def stuck_queues() -> str:
    """A sentence naming each queue with waiting work and no worker consuming it, or ""."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ""
    from factcheck import workers

    try:
        stuck = workers.queues_without_consumer()
    except Exception as exc:  # the health cache is down: say so rather than nothing
        logger.warning("could not check the queues for the admin", exc_info=True)
        return f"Could not check the task queues: {exc.__class__.__name__}: {exc}"
    return workers.describe_stuck_queues(stuck) if stuck else ""
