"""The editors' email about a correction to make in their article (sent by publishing.tasks)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from claims.roles import EDITORS
from publishing.models import CorrectionTask
from publishing.selectors import fact_check_url, public_label, public_url

logger = logging.getLogger(__name__)


def article_editors(*, article: Article) -> list[str]:
    """Who edits an article: its importer; else the group named for its source
    (CORRECTION_EDITOR_GROUPS); else everyone in Editors. Active users with an email only."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if article.imported_by_id:
        emails = list(users.filter(pk=article.imported_by_id).values_list("email", flat=True))
        if emails:
            return emails
    group = settings.CORRECTION_EDITOR_GROUPS.get(article.source, EDITORS)
    return sorted(set(users.filter(groups__name=group).values_list("email", flat=True)))


def correction_task_email(*, task_id: int) -> bool:
    """Email one correction to make to its article's editors; at most once per task.

    Returns whether an email went out. The row lock makes two workers handed the same task
    send one email: the second finds ``emailed_at`` set.
    """
    with transaction.atomic():
        task = (
            CorrectionTask.objects.select_for_update(of=("self",))
            .select_related("article", "claim", "correction__claim__article")
            .get(pk=task_id)
        )
        if task.emailed_at is not None:
            return False
        recipients = article_editors(article=task.article)
        correction = task.correction
        claim = correction.claim
        context = {
            "task": task,
            "article": task.article,
            "claim": claim,
            "repeat": task.claim if task.claim_id and task.claim_id != claim.pk else None,
            "correction": correction,
            "old_label": public_label(correction.old_status),
            "new_label": public_label(correction.new_status),
            "fact_check_url": fact_check_url(claim.pk),
            "queue_url": public_url(reverse("publishing:corrections")),
            "site_name": settings.PUBLISHER_NAME,
        }
        if recipients:
            send_mail(
                subject=f"Correction to make: “{task.article.title[:120]}”",
                message=render_to_string("publishing/email/correction.txt", context),
                from_email=None,
                recipient_list=recipients,
            )
        else:
            logger.warning(
                "correction task %s: article %s has no editor with an email",
                task.pk,
                task.article_id,
            )
        task.emailed_at, task.emailed_to = timezone.now(), recipients
        task.save(update_fields=["emailed_at", "emailed_to"])
    return bool(recipients)
