"""The daily digest: one email per reviewer a day, with what waits for them.

Run by beat at ``NOTIFICATION_DIGEST_HOUR`` (``notifications.tasks.send_daily_digests``) or
``manage.py send_digests``. Idempotent per user and day: the dedupe key names both, so a second
run (beat restarted, cron and beat both set) sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from claims.models import ApprovalState, Claim, ClaimStatus, VerdictApproval
from notifications.models import NotificationKind, NotificationPreference
from notifications.services import notification_queue, site_url

logger = logging.getLogger(__name__)

# Claims listed by name in the email; the counts cover all of them.
DIGEST_LIST_LIMIT = 20


@dataclass
class Digest:
    """What one reviewer's digest says; ``empty`` when there is nothing to tell them."""

    open_count: int = 0
    overdue_count: int = 0
    open_claims: list[dict] = field(default_factory=list)
    awaiting_approval: int = 0  # the reviewer's verdicts waiting for a second reviewer
    rereview_count: int = 0
    rereview_claims: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.open_count or self.awaiting_approval or self.rereview_count)


def awaiting_approval_count(user: AbstractBaseUser) -> int:
    """Verdicts ``user`` submitted that still wait for a second reviewer (verdict policy)."""
    return VerdictApproval.objects.filter(submitted_by=user, state=ApprovalState.PENDING).count()


def _rereview_claims(user: AbstractBaseUser):
    # The re-review flags belong to matching, which this app does not import: follow the
    # relation by name, and leave the line out if matching is not installed.
    if not apps.is_installed("matching"):
        return Claim.objects.none()
    return Claim.objects.filter(
        Q(assignee=user) | Q(reviewed_by=user) | Q(inherited_by=user),
        # Both in one filter(): one join, to flags that exist (flagged_at is never null) and
        # are still open; a claim without flags would match "resolved_at is null" alone.
        rereviews__flagged_at__isnull=False,
        rereviews__resolved_at__isnull=True,
    ).distinct()


def _rows(queryset) -> list[dict]:
    return [
        {**row, "url": site_url(reverse("claims:claim", args=[row["pk"]]))}
        for row in queryset.values("pk", "text", "due_at")[:DIGEST_LIST_LIMIT]
    ]


def digest_for(user: AbstractBaseUser, *, now: dt.datetime | None = None) -> Digest:
    """Collect one reviewer's digest (a few counts over indexed columns)."""
    now = now or timezone.now()
    open_claims = Claim.objects.filter(assignee=user, status=ClaimStatus.PROPOSED)
    rereview = _rereview_claims(user)
    return Digest(
        open_count=open_claims.count(),
        overdue_count=open_claims.filter(due_at__lt=now).count(),
        open_claims=_rows(open_claims.order_by(F("due_at").asc(nulls_last=True), "-score", "pk")),
        awaiting_approval=awaiting_approval_count(user),
        rereview_count=rereview.count(),
        rereview_claims=_rows(rereview.order_by("pk")),
    )


def digest_recipients():
    """Active users with an address who may review claims and did not turn the digest off."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    reviewers = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="review_claim")
        | Q(user_permissions__codename="review_claim")
    )
    opted_out = NotificationPreference.objects.filter(daily_digest=False).values("user_id")
    return users.filter(reviewers).exclude(pk__in=opted_out).distinct().order_by("pk")


def digest_queue(*, user: AbstractBaseUser, day: dt.date, now: dt.datetime | None = None) -> bool:
    """Queue ``user``'s digest for ``day`` unless it is empty or already queued."""
    digest = digest_for(user, now=now)
    if digest.empty:
        return False
    with transaction.atomic():
        queued = notification_queue(
            user=user,
            kind=NotificationKind.DIGEST,
            dedupe_key=f"digest:{user.pk}:{day.isoformat()}",
            template="digest",
            context={
                "digest": digest,
                "day": day,
                "queue_url": site_url(reverse("claims:queue") + "?assignee=me"),
                "rereview_url": site_url(reverse("matching:verdict_changed"))
                if apps.is_installed("matching")
                else "",
                "preferences_url": site_url(reverse("notifications:preferences")),
            },
        )
    return queued is not None


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Queue today's digest for every reviewer who has something waiting; returns how many."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = 0
    for user in digest_recipients().iterator():
        try:
            sent += digest_queue(user=user, day=day, now=now)
        except Exception:  # one reviewer's digest must not stop the others'
            logger.exception("digest for user %s failed", user.pk)
    logger.info("queued %d daily digest(s) for %s", sent, day)
    return sent
