"""The reviewer-facing verdict flow: the desk's verdict policy, second-reviewer approval, undo.

The reviewer page and the API call these; every status change they make still goes through
``claims.services.claim_set_status`` (the one low-level status service, which writes the
history row). ``claim_set_status`` itself applies no policy: tests, sweeps and matching's
inheritance use it directly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import (
    ApprovalState,
    Claim,
    ClaimStatus,
    ClaimStatusChange,
    Evidence,
    VerdictApproval,
    VerdictPolicy,
)
from claims.services import (
    ALLOWED_TRANSITIONS,
    NOTE_REQUIRED,
    VERDICTS,
    ClaimError,
    EvidenceLink,
    IllegalTransition,
    NoteRequired,
    StaleVersion,
    _clean_evidence,
    claim_set_status,
)
from claims.signals import verdict_approved, verdict_sent_back, verdict_submitted

logger = logging.getLogger(__name__)

S = ClaimStatus
# A send-back note and an approval note are plain text of at most this many characters.
DECISION_NOTE_MAX = 5000


def _name(user) -> str:
    return user.get_username() if user is not None else "someone"


# --- errors ---------------------------------------------------------------------------------


class PolicyUnmet(ClaimError):
    """The verdict lacks what the desk's policy asks for; ``missing`` maps field -> message."""

    def __init__(self, to_status: str, missing: dict[str, str]):
        self.to_status = to_status
        self.missing = missing
        super().__init__(" ".join(missing.values()))


class ApprovalPending(ClaimError):
    """The claim already has a verdict awaiting approval: decide that one first."""

    def __init__(self, approval: VerdictApproval):
        self.approval = approval
        super().__init__(
            f"Claim {approval.claim_id} already has a verdict awaiting approval "
            f"({approval.to_status}, submitted by {_name(approval.submitted_by)}): "
            "approve it or send it back first."
        )


class NoPendingApproval(ClaimError):
    """Approve or send back, but nothing awaits approval (or not the approval named)."""

    def __init__(self, claim_id: int):
        self.claim_id = claim_id
        super().__init__(f"Claim {claim_id} has no verdict awaiting approval.")


class ApprovalDecided(ClaimError):
    """Someone decided the approval first (two approvers at once: one wins)."""

    def __init__(self, approval: VerdictApproval):
        self.approval = approval
        label = "approved" if approval.state == ApprovalState.APPROVED else "sent back"
        super().__init__(
            f"This verdict was already {label} by {_name(approval.decided_by)}; "
            "nothing was changed."
        )


class ApprovalOutdated(ClaimError):
    """The claim's status moved since the verdict was submitted: approving it would be blind."""

    def __init__(self, approval: VerdictApproval, claim: Claim):
        self.approval = approval
        self.claim = claim
        super().__init__(
            f"Claim {claim.pk} is now {claim.status} (it was {approval.from_status} when the "
            f"verdict was submitted); send the verdict back instead."
        )


class SelfApproval(ClaimError):
    """Nobody approves their own verdict."""

    def __init__(self):
        super().__init__("You cannot approve your own verdict: another reviewer must approve it.")


class DecisionNoteRequired(ClaimError):
    """A verdict is sent back with a note saying why."""

    def __init__(self):
        super().__init__("A note is required to send a verdict back: say what is missing.")


class UndoRefused(ClaimError):
    """The change cannot be undone (not yours, too late, the claim moved on, already undone)."""


# --- policy ---------------------------------------------------------------------------------


def verdict_policy() -> VerdictPolicy:
    """The desk's verdict policy (the singleton row, created with its defaults if missing)."""
    return VerdictPolicy.current()


def policy_missing(
    *, policy: VerdictPolicy, to_status: str, note: str, has_evidence: bool
) -> dict[str, str]:
    """What a verdict lacks under the policy: field ("note", "evidence") -> message."""
    missing: dict[str, str] = {}
    if to_status not in VERDICTS:
        return missing
    label = S(to_status).label
    length = len(note.strip())
    if policy.needs_rationale(to_status) and length < policy.rationale_min_chars:
        missing["note"] = (
            f"A {label} verdict needs a rationale of at least {policy.rationale_min_chars} "
            f"characters in the note (it has {length})."
        )
    if policy.needs_evidence(to_status) and not has_evidence:
        missing["evidence"] = f"A {label} verdict needs at least one evidence link."
    return missing


def _has_evidence(claim_id: int, links: Sequence[EvidenceLink]) -> bool:
    # Links sent with the verdict, or added to the claim with "Add evidence" beforehand.
    return (
        bool(links)
        or Evidence.objects.filter(claim_id=claim_id, status_change__isnull=True).exists()
    )


def pending_approval(*, claim_id: int) -> VerdictApproval | None:
    """The claim's verdict awaiting approval, with its submitter, or None."""
    return (
        VerdictApproval.objects.filter(claim_id=claim_id, state=ApprovalState.PENDING)
        .select_related("submitted_by")
        .first()
    )


# --- review ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """What a review did: changed the claim (``change``) or queued it for approval."""

    claim: Claim
    change: ClaimStatusChange | None = None
    approval: VerdictApproval | None = None

    @property
    def awaiting_approval(self) -> bool:
        return self.approval is not None


def _latest_change(claim: Claim) -> ClaimStatusChange | None:
    return ClaimStatusChange.objects.filter(claim_id=claim.pk, version=claim.version).first()


def claim_review(
    *,
    claim_id: int,
    to_status: str,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
    note: str = "",
    evidence: Sequence[EvidenceLink | dict] = (),
) -> ReviewResult:
    """A reviewer's verdict under the desk's policy: applied, or queued for a second reviewer.

    Raises PolicyUnmet (naming what is missing), ApprovalPending, and claim_set_status's errors.
    """
    if to_status not in S.values:
        raise IllegalTransition(Claim(status="?"), to_status)
    note = note.strip()
    links = _clean_evidence(evidence)
    policy = verdict_policy()
    with transaction.atomic():
        # The claim's row lock serialises reviews of one claim, as in claim_set_status.
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        if claim.status == to_status:
            return ReviewResult(claim=claim)
        pending = pending_approval(claim_id=claim.pk)
        if pending is not None:
            raise ApprovalPending(pending)
        if to_status not in ALLOWED_TRANSITIONS[claim.status]:
            raise IllegalTransition(claim, to_status)
        missing = policy_missing(
            policy=policy,
            to_status=to_status,
            note=note,
            has_evidence=_has_evidence(claim.pk, links),
        )
        if missing:
            raise PolicyUnmet(to_status, missing)
        if to_status in NOTE_REQUIRED and not note:
            raise NoteRequired(to_status)
        if policy.needs_approval(to_status):
            try:
                # The partial unique index backs the check above: a second pending row for
                # the claim cannot be written even by a path that skipped the claim's lock.
                with transaction.atomic():
                    approval = VerdictApproval.objects.create(
                        claim=claim,
                        to_status=to_status,
                        from_status=claim.status,
                        note=note,
                        evidence=[{"url": e.url, "title": e.title} for e in links],
                        submitted_by=user,
                    )
            except IntegrityError:
                raise ApprovalPending(pending_approval(claim_id=claim.pk)) from None
            verdict_submitted.send(sender=VerdictApproval, claim=claim, approval=approval)
            logger.info("claim %s: %s awaits approval (#%s)", claim.pk, to_status, approval.pk)
            return ReviewResult(claim=claim, approval=approval)
        updated = claim_set_status(
            claim_id=claim.pk,
            to_status=to_status,
            user=user,
            expected_version=claim.version,
            note=note,
            evidence=links,
        )
        return ReviewResult(claim=updated, change=_latest_change(updated))


def _locked_pending(claim_id: int, approval_id: int | None) -> tuple[Claim, VerdictApproval]:
    """Lock the claim, then its approval (always in that order: no deadlock with a review)."""
    claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim_id)
    rows = VerdictApproval.objects.select_for_update(of=("self",)).select_related(
        "submitted_by", "decided_by"
    )
    if approval_id is not None:
        approval = rows.filter(pk=approval_id, claim_id=claim_id).first()
        if approval is None:
            raise NoPendingApproval(claim_id)
        if approval.state != ApprovalState.PENDING:
            # Two approvers at once: the second one waited on the lock and finds it decided.
            raise ApprovalDecided(approval)
        return claim, approval
    approval = rows.filter(claim_id=claim_id, state=ApprovalState.PENDING).first()
    if approval is None:
        decided = rows.filter(claim_id=claim_id).order_by("-decided_at", "-id").first()
        if decided is not None:
            # Two approvers at once without naming the approval: the second one waited on the
            # claim's lock and finds the verdict decided; tell them by whom.
            raise ApprovalDecided(decided)
        raise NoPendingApproval(claim_id)
    return claim, approval


def verdict_approve(
    *,
    claim_id: int,
    user: AbstractBaseUser,
    approval_id: int | None = None,
    note: str = "",
) -> ReviewResult:
    """A second reviewer approves the verdict awaiting approval: the claim's status changes."""
    note = note.strip()
    if len(note) > DECISION_NOTE_MAX:
        raise ValueError(f"The note is longer than {DECISION_NOTE_MAX} characters.")
    with transaction.atomic():
        claim, approval = _locked_pending(claim_id, approval_id)
        if approval.submitted_by_id == user.pk:
            raise SelfApproval()
        if claim.status != approval.from_status:
            raise ApprovalOutdated(approval, claim)
        history_note = approval.note
        if note:
            history_note = f"{history_note}\n\nApproved: {note}" if history_note else note
        updated = claim_set_status(
            claim_id=claim.pk,
            to_status=approval.to_status,
            user=user,
            expected_version=claim.version,
            note=history_note,
            evidence=approval.evidence,
            submitted_by=approval.submitted_by,
        )
        change = _latest_change(updated)
        approval.state = ApprovalState.APPROVED
        approval.decided_by = user
        approval.decided_at = timezone.now()
        approval.decision_note = note
        approval.status_change = change
        approval.save(
            update_fields=["state", "decided_by", "decided_at", "decision_note", "status_change"]
        )
        verdict_approved.send(
            sender=VerdictApproval, claim=updated, approval=approval, change=change
        )
    logger.info("claim %s: approval #%s approved", claim_id, approval.pk)
    return ReviewResult(claim=updated, change=change, approval=approval)


def verdict_send_back(
    *,
    claim_id: int,
    user: AbstractBaseUser,
    note: str,
    approval_id: int | None = None,
) -> VerdictApproval:
    """Send the verdict awaiting approval back to its reviewer with a note; the claim is unchanged.

    The submitter may send back (withdraw) their own verdict; only approval needs another person.
    """
    note = note.strip()
    if not note:
        raise DecisionNoteRequired()
    if len(note) > DECISION_NOTE_MAX:
        raise ValueError(f"The note is longer than {DECISION_NOTE_MAX} characters.")
    with transaction.atomic():
        claim, approval = _locked_pending(claim_id, approval_id)
        approval.state = ApprovalState.SENT_BACK
        approval.decided_by = user
        approval.decided_at = timezone.now()
        approval.decision_note = note
        approval.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        verdict_sent_back.send(sender=VerdictApproval, claim=claim, approval=approval, note=note)
    logger.info("claim %s: approval #%s sent back", claim_id, approval.pk)
    return approval


# --- undo -----------------------------------------------------------------------------------


def undo_window() -> timedelta:
    return timedelta(seconds=settings.UNDO_WINDOW_SECONDS)


def undo_refusal(change: ClaimStatusChange, *, user, claim_version: int, now=None) -> str:
    """Why ``user`` may not undo ``change`` now ("" when they may); no query."""
    now = now or timezone.now()
    if settings.UNDO_WINDOW_SECONDS <= 0:
        return "Undo is turned off on this desk."
    if change.undoes_id is not None:
        return "An undo cannot itself be undone; set the verdict again instead."
    if user is None or change.changed_by_id != user.pk:
        return "Only the reviewer who set this verdict can undo it."
    if now - change.changed_at > undo_window():
        minutes = settings.UNDO_WINDOW_SECONDS // 60 or 1
        return f"Too late to undo: a verdict can be undone for {minutes} minutes after it is set."
    if claim_version != change.version:
        return (
            "The claim changed since this verdict (it is now version "
            f"{claim_version}, the verdict made version {change.version}); nothing was undone."
        )
    return ""


def claim_undo(*, change_id: int, user: AbstractBaseUser) -> ReviewResult:
    """Undo one's own latest change within UNDO_WINDOW_SECONDS: a new change back to before."""
    with transaction.atomic():
        change = ClaimStatusChange.objects.select_related("claim").get(pk=change_id)
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=change.claim_id)
        )
        reason = undo_refusal(change, user=user, claim_version=claim.version)
        if not reason and ClaimStatusChange.objects.filter(undoes_id=change.pk).exists():
            reason = "This change was already undone."
        if reason:
            raise UndoRefused(reason)
        label = S(change.to_status).label
        try:
            updated = claim_set_status(
                claim_id=claim.pk,
                to_status=change.from_status,
                user=user,
                expected_version=change.version,
                note=f"Undo of “{label}” (version {change.version}).",
                undoes=change,
            )
        except StaleVersion:
            raise UndoRefused("The claim changed since this verdict; nothing was undone.") from None
        undo = _latest_change(updated)
    logger.info("claim %s: change %s undone by %s", claim.pk, change.pk, user.pk)
    return ReviewResult(claim=updated, change=undo)
