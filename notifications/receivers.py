"""Receivers of claims' signals (connected in ``NotificationsConfig.ready``): outbox rows.

Each runs inside the transaction of the event it reacts to and writes its ``Notification``
rows in a savepoint: the emails commit with the event, and a failure here is logged and
never undoes a review or an assignment.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from claims.models import Claim
from notifications.models import NotificationKind
from notifications.services import notification_queue, site_url

logger = logging.getLogger(__name__)


def _never_raises(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                receiver(*args, **kwargs)
        except Exception:
            logger.exception("notification receiver %s failed", receiver.__name__)

    return wrapper


def claim_link(claim_id: int) -> str:
    return site_url(reverse("claims:claim", args=[claim_id]))


def _claim_context(claim) -> dict:
    article = getattr(claim, "article", None)
    return {
        "claim": claim,
        "claim_url": claim_link(claim.pk),
        "article_title": getattr(article, "title", ""),
        "preferences_url": site_url(reverse("notifications:preferences")),
    }


def _pk(obj) -> object:
    return getattr(obj, "pk", None)


@_never_raises
def on_claim_assigned(sender=None, *, claim, assignee=None, by=None, **kwargs) -> None:
    """Email the new assignee, unless they assigned the claim to themselves."""
    if assignee is None or (by is not None and _pk(by) == _pk(assignee)):
        return
    notification_queue(
        user=assignee,
        kind=NotificationKind.ASSIGNED,
        # The version the assignment wrote: assigned again later is a new email.
        dedupe_key=f"assigned:{claim.pk}:{claim.version}:{assignee.pk}",
        template="assigned",
        context={**_claim_context(claim), "by": by},
    )


def _approval_parties(approval, kwargs) -> tuple[object, object]:
    """(who submitted the verdict, who decided on it), as far as the approval tells."""
    submitter = getattr(approval, "submitted_by", None)
    decider = kwargs.get("by") or kwargs.get("user")
    for name in ("decided_by", "approved_by", "reviewed_by"):
        decider = decider or getattr(approval, name, None)
    return submitter, decider


def _verdict_decided(kind: str, *, claim, approval, kwargs: dict, extra: dict) -> None:
    submitter, decider = _approval_parties(approval, kwargs)
    if submitter is None or (decider is not None and _pk(decider) == _pk(submitter)):
        return
    approval_id = _pk(approval)
    # Without an id (an approval not saved as a row), the claim's version names the step.
    step = approval_id if approval_id is not None else f"claim{claim.pk}v{claim.version}"
    verdict = getattr(approval, "to_status", None) or getattr(approval, "status", None)
    notification_queue(
        user=submitter,
        kind=kind,
        dedupe_key=f"{kind}:{step}:{submitter.pk}",
        template=kind,
        context={**_claim_context(claim), "by": decider, "verdict": verdict, **extra},
    )


@_never_raises
def on_verdict_approved(sender=None, *, claim, approval, change=None, **kwargs) -> None:
    """Email whoever submitted the verdict that a second reviewer approved it."""
    if change is not None and not kwargs.get("by"):
        kwargs["by"] = getattr(change, "changed_by", None)
    verdict = getattr(change, "to_status", None)
    _verdict_decided(
        NotificationKind.VERDICT_APPROVED,
        claim=claim,
        approval=approval,
        kwargs=kwargs,
        extra={"verdict": verdict} if verdict else {},
    )


@_never_raises
def on_verdict_sent_back(sender=None, *, claim, approval, note="", **kwargs) -> None:
    """Email whoever submitted the verdict that it was sent back, with the approver's note."""
    _verdict_decided(
        NotificationKind.VERDICT_SENT_BACK,
        claim=claim,
        approval=approval,
        kwargs=kwargs,
        extra={"note": note or getattr(approval, "note", "")},
    )


@_never_raises
def on_claim_status_changed(sender=None, *, claim, change, **kwargs) -> None:
    """Email the reviewers of the claims that inherited this claim's verdict.

    Matching's receiver (earlier in INSTALLED_APPS) flags those claims for re-review and
    leaves ``inherited_from`` in place; each reviewer gets one email per change, listing
    their claims. Whoever made the change is not told about it.
    """
    inheritors = list(
        Claim.objects.filter(inherited_from_id=claim.pk)
        .exclude(pk=claim.pk)
        .values("pk", "text", "reviewed_by_id", "inherited_by_id")
    )
    if not inheritors:
        return
    claims_by_user: dict[int, list[dict]] = defaultdict(list)
    for row in inheritors:
        for user_id in {row["reviewed_by_id"], row["inherited_by_id"]} - {None}:
            claims_by_user[user_id].append({**row, "url": claim_link(row["pk"])})
    claims_by_user.pop(change.changed_by_id, None)
    users = get_user_model().objects.in_bulk(list(claims_by_user))
    for user_id, rows in sorted(claims_by_user.items()):
        user = users.get(user_id)
        if user is None:
            continue
        notification_queue(
            user=user,
            kind=NotificationKind.SOURCE_CHANGED,
            dedupe_key=f"source_changed:{change.pk}:{user_id}",
            template="source_changed",
            context={
                **_claim_context(claim),
                "change": change,
                "by": change.changed_by,
                "claims": rows,
            },
        )
