"""Writes for claims: status changes, assignment and evidence (proposal: claims.proposal).

Nothing else assigns ``Claim.status``: every change goes through ``claim_set_status``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatus, ClaimStatusChange, Evidence
from claims.signals import claim_assigned, claim_status_changed

logger = logging.getLogger(__name__)

S = ClaimStatus
# from -> the statuses it may move to. A verdict can be changed or reopened; a dismissed
# proposal must be reopened (back to proposed) before it can get a verdict.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.VERIFIED, S.DISPUTED, S.UNCONFIRMED, S.DISMISSED}),
    S.VERIFIED: frozenset({S.DISPUTED, S.UNCONFIRMED, S.PROPOSED}),
    S.DISPUTED: frozenset({S.VERIFIED, S.UNCONFIRMED, S.PROPOSED}),
    S.UNCONFIRMED: frozenset({S.VERIFIED, S.DISPUTED, S.PROPOSED}),
    S.DISMISSED: frozenset({S.PROPOSED}),
}
# A reviewer must say why a claim is disputed or could not be confirmed.
NOTE_REQUIRED = frozenset({S.DISPUTED, S.UNCONFIRMED})
VERDICTS = frozenset({S.VERIFIED, S.DISPUTED, S.UNCONFIRMED})


class ClaimError(Exception):
    """Base class of the errors a claim write can raise."""


class StaleVersion(ClaimError):
    """The caller acted on an older version of the claim than the one stored."""

    def __init__(self, claim: Claim, expected_version: int):
        self.claim = claim
        self.expected_version = expected_version
        who = claim.reviewed_by.get_username() if claim.reviewed_by else "nobody"
        super().__init__(
            f"Claim {claim.pk} changed since you loaded it (you had version {expected_version}, "
            f"it is now version {claim.version}: {claim.status}, last set by {who})."
        )


class IllegalTransition(ClaimError):
    """The transitions table does not allow this move."""

    def __init__(self, claim: Claim, to_status: str):
        self.claim = claim
        self.from_status = claim.status
        self.to_status = to_status
        super().__init__(f"A claim cannot go from {claim.status} to {to_status}.")


class NoteRequired(ClaimError):
    """Disputed and unconfirmed verdicts need a note."""

    def __init__(self, to_status: str):
        self.to_status = to_status
        super().__init__(f"A note is required to mark a claim {to_status}.")


class InvalidEvidence(ClaimError):
    """An evidence link that is not an http(s) URL."""


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    url: str
    title: str = ""


def _clean_evidence(evidence: Iterable[EvidenceLink | dict]) -> list[EvidenceLink]:
    links = []
    for item in evidence:
        link = item if isinstance(item, EvidenceLink) else EvidenceLink(**item)
        parts = urlsplit(link.url.strip())
        # Only http(s): javascript:, data: and friends would run in a reviewer's browser.
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidEvidence(f"Evidence URL must be an http(s) URL, got {link.url!r}.")
        links.append(EvidenceLink(url=link.url.strip(), title=link.title.strip()[:500]))
    return links


def claim_set_status(
    *,
    claim_id: int,
    to_status: str,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
    note: str = "",
    evidence: Sequence[EvidenceLink | dict] = (),
    submitted_by: AbstractBaseUser | None = None,
    undoes: ClaimStatusChange | None = None,
) -> Claim:
    """Move a claim to ``to_status``, writing exactly one history row; a no-op if unchanged.

    The verdict policy (claims.review) passes ``submitted_by`` when ``user`` approves another
    reviewer's verdict, and ``undoes`` when a change reverses an earlier one.
    """
    if to_status not in S.values:
        raise IllegalTransition(Claim(status="?"), to_status)
    note = note.strip()
    links = _clean_evidence(evidence)
    with transaction.atomic():
        # Lock the row: two reviewers acting at once are serialised here, and the second
        # one sees the first one's version.
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        if claim.status == to_status:
            return claim
        if to_status not in ALLOWED_TRANSITIONS[claim.status]:
            raise IllegalTransition(claim, to_status)
        if to_status in NOTE_REQUIRED and not note:
            raise NoteRequired(to_status)

        from_status = claim.status
        claim.status = to_status
        claim.version += 1
        claim.reviewed_by = user
        claim.reviewed_at = timezone.now()
        claim.save(update_fields=["status", "version", "reviewed_by", "reviewed_at", "updated_at"])
        change = ClaimStatusChange.objects.create(
            claim=claim,
            from_status=from_status,
            to_status=to_status,
            changed_by=user,
            note=note,
            version=claim.version,
            submitted_by=submitted_by,
            undoes=undoes,
        )
        Evidence.objects.bulk_create(
            Evidence(claim=claim, status_change=change, url=e.url, title=e.title, added_by=user)
            for e in links
        )
        # The apps that react registered their receivers in AppConfig.ready(), and run in
        # INSTALLED_APPS order inside this transaction: matching's re-review flags (they commit
        # with this change), then webhooks (which wait for the commit themselves).
        claim_status_changed.send(sender=Claim, claim=claim, change=change)
    logger.info("claim %s: %s -> %s (v%s)", claim.pk, from_status, to_status, claim.version)
    return claim


def claim_assign(
    *,
    claim_id: int,
    assignee: AbstractBaseUser | None,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Assign a claim to a reviewer (or unassign with None); bumps the version."""
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        if claim.assignee_id == (assignee.pk if assignee else None):
            return claim
        claim.assignee = assignee
        claim.version += 1
        claim.save(update_fields=["assignee", "version", "updated_at"])
        claim_assigned.send(sender=Claim, claim=claim, assignee=assignee, by=user)
    return claim


def claim_add_evidence(
    *, claim_id: int, url: str, title: str = "", user: AbstractBaseUser | None
) -> Evidence:
    """Attach an evidence link to a claim outside a status change."""
    (link,) = _clean_evidence([EvidenceLink(url=url, title=title)])
    return Evidence.objects.create(claim_id=claim_id, url=link.url, title=link.title, added_by=user)
