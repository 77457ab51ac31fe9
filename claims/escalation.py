"""The escalation email: the desk's editors are told which claims passed their due time."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from claims.roles import EDITORS

logger = logging.getLogger(__name__)

# Shown in full up to this many claims; the rest are counted.
LISTED = 50


def editor_addresses() -> list[str]:
    """The email addresses of the active users in the Editors group."""
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__name=EDITORS)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _hours(delta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours} h" if hours >= 1 else f"{int(delta.total_seconds() // 60)} min"


def escalation_email_send(*, claim_ids: list[int]) -> int:
    """Email the desk's editors the overdue claims among ``claim_ids``; returns messages sent.

    Claims that got a verdict (or were deleted) since they were escalated are left out; with
    none left, or no editor with an address, nothing is sent.
    """
    claims = list(
        Claim.objects.filter(pk__in=claim_ids, status="proposed")
        .select_related("article", "assignee")
        .order_by("due_at", "id")
    )
    recipients = editor_addresses()
    if not claims or not recipients:
        logger.info(
            "escalation: %d claims still overdue, %d editors: nothing sent",
            len(claims),
            len(recipients),
        )
        return 0
    now = timezone.now()
    base = settings.SITE_URL
    lines = [
        f"{len(claims)} claim{'s' if len(claims) != 1 else ''} passed their due time "
        "without a verdict:",
        "",
    ]
    for claim in claims[:LISTED]:
        who = claim.assignee.get_username() if claim.assignee else "unassigned"
        overdue = _hours(now - claim.due_at) if claim.due_at else "?"
        lines += [
            f"- {claim.text[:200]}",
            f"  {claim.article.source or 'no source'} · {who} · overdue by {overdue}",
            f"  {base}{reverse('claims:claim', args=[claim.pk])}",
        ]
    if len(claims) > LISTED:
        lines.append(f"... and {len(claims) - LISTED} more.")
    lines += ["", f"The overdue queue: {base}{reverse('claims:queue')}?due=overdue&sort=due"]
    subject = f"[factcheck] {len(claims)} overdue claim{'s' if len(claims) != 1 else ''}"
    return send_mail(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        fail_silently=False,
    )
