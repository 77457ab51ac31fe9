"""Inherited verdicts and their re-review: apply, unlink, keep, and the status-change receiver.

A verdict is carried over through ``claims.services.claim_set_status`` (matching calls claims,
never the reverse); claims announces every status change with ``claim_status_changed``, and
``on_claim_status_changed`` (connected in ``MatchingConfig.ready``) flags the claims that had
inherited the changed verdict, inside the change's transaction.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatusChange, Evidence
from claims.services import VERDICTS, ClaimError, claim_set_status
from matching.clusters import cluster_recompute
from matching.decisions import clean_reason, record_decision
from matching.models import (
    ClaimMatch,
    ClaimRereview,
    Decision,
    MatchRelation,
    MatchState,
    RereviewReason,
)

logger = logging.getLogger(__name__)


class NotMatched(ClaimError):
    """The two claims are not linked as the same claim, so no verdict can be carried over."""


class NothingToInherit(ClaimError):
    """The source claim has no verdict (verified, disputed or unconfirmed) to carry over."""


def claim_unlink_match(*, match_id: int, user: AbstractBaseUser | None, reason: str) -> ClaimMatch:
    """Mark a match as wrong with a reason (recorded, not deleted; never proposed again) and
    split the cluster if it held it."""
    reason = clean_reason(reason, action="unlink a match")
    with transaction.atomic():
        match = ClaimMatch.objects.select_for_update().get(pk=match_id)
        if match.unlinked_at is not None:
            return match
        match.unlinked_at = timezone.now()
        match.unlinked_by = user if user is not None and user.is_authenticated else None
        match.unlink_note = reason
        match.save(update_fields=["unlinked_at", "unlinked_by", "unlink_note"])
        record_decision(match=match, decision=Decision.UNLINKED, reason=reason, user=user)
        if match.relation == MatchRelation.SAME:
            cluster_ids = set(
                Claim.objects.filter(pk__in=(match.claim_id, match.other_id))
                .exclude(cluster=None)
                .values_list("cluster_id", flat=True)
            )
            members = {match.claim_id, match.other_id}
            members.update(
                Claim.objects.filter(cluster_id__in=cluster_ids).values_list("pk", flat=True)
            )
            for cluster_id in cluster_ids:
                cluster_recompute(cluster_id)
            _flag_orphaned_inheritors(members)
    logger.info("match %s unlinked by %s", match_id, user)
    return match


def _flag_orphaned_inheritors(claim_ids: set[int]) -> int:
    """Flag the claims an unlink cut off from the claim their verdict came from.

    Of ``claim_ids`` (the match's claims and their former clusters), each whose verdict source
    is no longer linked to it (no shared cluster, no active "same" match) stops inheriting it
    and goes on the "verdict changed" queue. Its status is left for a reviewer to decide.
    """
    inheritors = Claim.objects.select_for_update().filter(
        pk__in=claim_ids, inherited_from__isnull=False
    )
    flagged = 0
    for claim in inheritors:
        source = Claim.objects.get(pk=claim.inherited_from_id)
        if _linked(claim, source):
            continue  # still the same claim through the rest of its cluster
        Claim.objects.filter(pk=claim.pk).update(
            inherited_from=None, inherited_by=None, inherited_at=None
        )
        flag = {
            "source": source,
            "source_change": None,
            "from_status": claim.status,
            "to_status": claim.status,
            "reason": RereviewReason.UNLINKED,
            "flagged_at": timezone.now(),
        }
        open_flag = ClaimRereview.objects.filter(claim=claim, resolved_at__isnull=True)
        if not open_flag.update(**flag):
            ClaimRereview.objects.create(claim=claim, **flag)
        flagged += 1
    return flagged


# --- Inherited verdicts -----------------------------------------------------------------------


def _linked(claim: Claim, source: Claim) -> bool:
    if claim.cluster_id is not None and claim.cluster_id == source.cluster_id:
        return True
    low, high = sorted((claim.pk, source.pk))
    # Only a confirmed link passes a verdict on: a suggestion waits for a reviewer.
    return ClaimMatch.objects.filter(
        claim_id=low,
        other_id=high,
        relation=MatchRelation.SAME,
        state=MatchState.CONFIRMED,
        unlinked_at__isnull=True,
    ).exists()


def claim_apply_inherited_verdict(
    *,
    claim_id: int,
    source_claim_id: int,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Give a claim the verdict of a linked claim via claim_set_status, recorded as inherited."""
    source = Claim.objects.select_related("article", "reviewed_by").get(pk=source_claim_id)
    if source.status not in VERDICTS:
        raise NothingToInherit(f"Claim {source.pk} has no verdict to carry over ({source.status}).")
    last = (
        ClaimStatusChange.objects.filter(claim=source, to_status=source.status)
        .order_by("-version")
        .first()
    )
    who = source.reviewed_by.get_username() if source.reviewed_by else "unknown"
    when = f"{source.reviewed_at:%Y-%m-%d}" if source.reviewed_at else "an unknown date"
    note = (
        f"Verdict inherited from claim #{source.pk} in “{source.article.title}” "
        f"({source.status} on {when} by {who})."
    )
    if last and last.note:
        note += f" Their note: {last.note}"
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        if claim.pk == source.pk or not _linked(claim, source):
            raise NotMatched(f"Claim {claim_id} is not linked to claim {source_claim_id}.")
        claim = claim_set_status(
            claim_id=claim_id,
            to_status=source.status,
            user=user,
            expected_version=expected_version,
            note=note,
        )
        # After claim_set_status: its verdict-changed hook clears an older inheritance.
        now = timezone.now()
        Claim.objects.filter(pk=claim_id).update(
            inherited_from=source, inherited_by=user, inherited_at=now
        )
        _copy_evidence(claim=claim, source=source, user=user)
        _resolve_rereviews(claim_id=claim_id, user=user)
        claim.inherited_from, claim.inherited_by, claim.inherited_at = source, user, now
    logger.info("claim %s inherited %s from claim %s", claim_id, source.status, source.pk)
    return claim


def _copy_evidence(*, claim: Claim, source: Claim, user: AbstractBaseUser | None) -> int:
    """Copy the source's evidence links to the inheriting claim, marked inherited.

    Attached to the inheriting claim's new status change; a link the claim already cites is
    not copied twice. Returns the number of links copied.
    """
    change = claim.history.order_by("-version").first()
    have = set(Evidence.objects.filter(claim=claim).values_list("url", flat=True))
    copies = []
    for evidence in Evidence.objects.filter(claim=source).order_by("added_at", "id"):
        if evidence.url in have:
            continue
        have.add(evidence.url)
        copies.append(
            Evidence(
                claim=claim,
                status_change=change,
                url=evidence.url,
                title=evidence.title,
                added_by=user if user is not None and user.is_authenticated else None,
                inherited_from=evidence,
            )
        )
    Evidence.objects.bulk_create(copies)
    return len(copies)


def _resolve_rereviews(*, claim_id: int, user: AbstractBaseUser | None) -> int:
    return ClaimRereview.objects.filter(claim_id=claim_id, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def claim_resolve_rereview(*, claim_id: int, user: AbstractBaseUser | None) -> int:
    """Take a claim off the "verdict changed" queue: the reviewer keeps its verdict."""
    return _resolve_rereviews(claim_id=claim_id, user=user)


def on_claim_verdict_changed(claim: Claim, *, change: ClaimStatusChange | None = None) -> int:
    """Hook for ``claim_set_status``: flag every claim that inherited this claim's verdict.

    Runs inside the status change's transaction, so the flags commit with it. The claim's own
    open flags are resolved (a reviewer just set its status), and a verdict it had inherited
    is no longer inherited. Returns the number of claims flagged.
    """
    if change is None:
        change = claim.history.order_by("-version").first()
    if claim.inherited_from_id is not None:
        Claim.objects.filter(pk=claim.pk).update(
            inherited_from=None, inherited_by=None, inherited_at=None
        )
        claim.inherited_from, claim.inherited_by, claim.inherited_at = None, None, None
    _resolve_rereviews(claim_id=claim.pk, user=change.changed_by if change else None)
    inheritors = list(
        Claim.objects.filter(inherited_from_id=claim.pk)
        .exclude(pk=claim.pk)
        .values_list("pk", flat=True)
    )
    if not inheritors:
        return 0
    from_status = change.from_status if change else ""
    open_flags = set(
        ClaimRereview.objects.filter(claim_id__in=inheritors, resolved_at__isnull=True).values_list(
            "claim_id", flat=True
        )
    )
    # A second change at the source before anyone looked: update the open flag in place.
    ClaimRereview.objects.filter(claim_id__in=open_flags, resolved_at__isnull=True).update(
        source=claim,
        source_change=change,
        to_status=claim.status,
        reason=RereviewReason.VERDICT_CHANGED,
        flagged_at=timezone.now(),
    )
    ClaimRereview.objects.bulk_create(
        ClaimRereview(
            claim_id=pk,
            source=claim,
            source_change=change,
            from_status=from_status,
            to_status=claim.status,
        )
        for pk in inheritors
        if pk not in open_flags
    )
    logger.info("claim %s verdict changed: %d inheritors flagged", claim.pk, len(inheritors))
    return len(inheritors)


def on_claim_status_changed(sender, *, claim: Claim, change: ClaimStatusChange, **kwargs) -> None:
    """Receiver of ``claims.signals.claim_status_changed`` (see ``MatchingConfig.ready``)."""
    on_claim_verdict_changed(claim, change=change)
