"""Writes for publishing: publish, update and withdraw a fact-check, record corrections and
close the corrections to make.

Public text is only ever what a person wrote or chose for readers: the rationale given at
publish time (prefilled from the reviewer's own note, never from text the app wrote such as
an inherited verdict's provenance), and a correction's note taken from the next rationale.
"""

from __future__ import annotations

import logging
import re

from celery import current_app
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatusChange
from claims.services import VERDICTS
from claims.signals import claim_correction
from publishing.models import (
    Correction,
    CorrectionTask,
    CorrectionTaskState,
    Publication,
    PublicationAction,
    PublicationChange,
    PublicationState,
)
from publishing.selectors import affected_articles

logger = logging.getLogger(__name__)

EMAIL_TASK = "publishing.tasks.send_correction_email"
RATIONALE_MAX_CHARS = 5000
CORRECTION_NOTE_MAX_CHARS = 5000

# matching.verdicts writes an inherited verdict's note as provenance for reviewers
# ('Verdict inherited from claim #47 in “…” (verified on … by alice). Their note: …'):
# only the source reviewer's own note after "Their note:" may be offered to readers.
_INHERITED_NOTE = re.compile(
    r"^Verdict inherited from claim #\d+\b.*?(?:Their note: (?P<own>.*))?$", re.S
)


class PublishingError(Exception):
    """Base class of the errors a publishing write can raise."""


class NotPublishable(PublishingError):
    """Only a claim with a verdict (verified, disputed, unconfirmed) can be published."""

    def __init__(self, claim: Claim):
        self.claim = claim
        super().__init__(
            f"Claim {claim.pk} has no verdict to publish (it is {claim.status}); "
            "only verified, disputed or unconfirmed claims can be published."
        )


class InvalidRationale(PublishingError):
    """A public rationale that is empty or too long."""


class NotPublished(PublishingError):
    """Withdrawing a fact-check that is not published."""


class TaskClosed(PublishingError):
    """A correction to make that someone already closed."""


def reviewer_note(note: str) -> str:
    """The part of a status-change note a reviewer wrote: without an inherited verdict's
    provenance line (claim ids, reviewer names), which is internal."""
    match = _INHERITED_NOTE.match(note.strip())
    if match:
        return (match.group("own") or "").strip()
    return note.strip()


def default_rationale(*, claim: Claim) -> str:
    """What the publish form offers: the note of the change that set the current verdict."""
    change = (
        ClaimStatusChange.objects.filter(claim_id=claim.pk, to_status=claim.status)
        .order_by("-version", "-id")
        .first()
    )
    return reviewer_note(change.note) if change else ""


def _clean_rationale(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidRationale(
            "A public rationale is required: say in a sentence or two why the claim is rated so."
        )
    if len(text) > RATIONALE_MAX_CHARS:
        raise InvalidRationale(
            f"The rationale is {len(text)} characters long; at most {RATIONALE_MAX_CHARS}."
        )
    return text


def publication_publish(
    *, claim_id: int, user: AbstractBaseUser | None, rationale: str | None = None
) -> Publication:
    """Publish a claim's verdict (or update a published rationale, or publish again after a
    withdrawal), writing one PublicationChange; a no-op when nothing changes."""
    with transaction.atomic():
        # The claim's lock orders this against claim_set_status: the verdict published is the
        # one stored, not one a concurrent review is replacing.
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim_id)
        if claim.status not in VERDICTS:
            raise NotPublishable(claim)
        text = _clean_rationale(default_rationale(claim=claim) if rationale is None else rationale)
        now = timezone.now()
        publication = Publication.objects.select_for_update().filter(claim=claim).first()
        if publication is None:
            publication = Publication.objects.create(
                claim=claim,
                rationale=text,
                first_published_at=now,
                published_at=now,
                published_by=user,
            )
            action = PublicationAction.PUBLISHED
        elif publication.state == PublicationState.WITHDRAWN:
            publication.state = PublicationState.PUBLISHED
            publication.rationale = text
            publication.published_at, publication.published_by = now, user
            publication.withdrawn_at, publication.withdrawn_by = None, None
            publication.save()
            action = PublicationAction.PUBLISHED
        elif publication.rationale == text:
            return publication
        else:
            publication.rationale = text
            publication.save(update_fields=["rationale", "updated_at"])
            action = PublicationAction.UPDATED
        # The first explanation written after a correction is that correction's public note.
        Correction.objects.filter(claim=claim, public_note="").filter(
            pk__in=Correction.objects.filter(claim=claim).order_by("-created_at", "-id")[:1]
        ).update(public_note=text[:CORRECTION_NOTE_MAX_CHARS])
        PublicationChange.objects.create(
            claim=claim, action=action, status=claim.status, user=user, note=text
        )
    logger.info("claim %s: publication %s", claim_id, action)
    return publication


def publication_withdraw(
    *, claim_id: int, user: AbstractBaseUser | None, note: str = ""
) -> Publication:
    """Withdraw a published fact-check: its page stays, with a notice; one PublicationChange."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim_id)
        publication = Publication.objects.select_for_update().filter(claim=claim).first()
        if publication is None or publication.state != PublicationState.PUBLISHED:
            raise NotPublished(f"Claim {claim_id} has no published fact-check to withdraw.")
        publication.state = PublicationState.WITHDRAWN
        publication.withdrawn_at, publication.withdrawn_by = timezone.now(), user
        publication.save()
        PublicationChange.objects.create(
            claim=claim,
            action=PublicationAction.WITHDRAWN,
            status=claim.status,
            user=user,
            note=note.strip()[:RATIONALE_MAX_CHARS],
        )
    logger.info("claim %s: publication withdrawn", claim_id)
    return publication


def correction_record(*, claim: Claim, change: ClaimStatusChange) -> Correction | None:
    """Record the correction of a published verdict: the log entry, a correction to make per
    affected article, the ``claim_correction`` signal and (after commit) the editors' emails.

    Runs inside the status change's transaction; one correction per status change.
    """
    publication = (
        Publication.objects.select_for_update()
        .filter(claim_id=claim.pk, state=PublicationState.PUBLISHED)
        .first()
    )
    if publication is None or change.from_status not in VERDICTS:
        return None
    correction, created = Correction.objects.get_or_create(
        status_change=change,
        defaults={
            "claim": claim,
            "old_status": change.from_status,
            "new_status": change.to_status,
            "created_by": change.changed_by,
        },
    )
    if not created:
        return correction
    articles = affected_articles(claim=claim)
    CorrectionTask.objects.bulk_create(
        [
            CorrectionTask(correction=correction, article_id=article_id, claim_id=claim_id)
            for article_id, claim_id in sorted(articles.items())
        ],
        ignore_conflicts=True,
    )
    PublicationChange.objects.create(
        claim=claim,
        action=PublicationAction.CORRECTED,
        status=change.to_status,
        user=change.changed_by,
        note=f"{change.from_status} → {change.to_status}",
    )
    article_ids = sorted(articles)
    claim_correction.send(
        sender=Correction, claim=claim, correction=correction, article_ids=article_ids
    )
    task_ids = list(correction.tasks.values_list("pk", flat=True))
    transaction.on_commit(lambda: enqueue_correction_emails(task_ids), robust=True)
    logger.info("claim %s corrected: %d articles to correct", claim.pk, len(article_ids))
    return correction


def on_claim_status_changed(sender, *, claim: Claim, change: ClaimStatusChange, **kwargs) -> None:
    """Receiver of ``claims.signals.claim_status_changed`` (see ``PublishingConfig.ready``)."""
    correction_record(claim=claim, change=change)


def enqueue_correction_emails(task_ids: list[int]) -> None:
    """Queue the editors' email of each correction to make (by name, on "notifications")."""
    for task_id in task_ids:
        try:
            current_app.signature(EMAIL_TASK, args=(task_id,)).delay()
        except Exception:  # broker down: the task row keeps emailed_at empty for a resend
            logger.warning("could not enqueue correction email %s", task_id)


def correction_task_close(
    *, task_id: int, user: AbstractBaseUser | None, note: str = ""
) -> CorrectionTask:
    """Close a correction to make: the article was corrected (or needs nothing), by ``user``."""
    with transaction.atomic():
        task = CorrectionTask.objects.select_for_update().get(pk=task_id)
        if task.state == CorrectionTaskState.DONE:
            who = task.closed_by.get_username() if task.closed_by else "someone"
            raise TaskClosed(f"This correction was already closed by {who}.")
        task.state = CorrectionTaskState.DONE
        task.closed_by, task.closed_at = user, timezone.now()
        task.note = note.strip()[:CORRECTION_NOTE_MAX_CHARS]
        task.save(update_fields=["state", "closed_by", "closed_at", "note"])
    return task
