"""Reviewers' decisions on matches: confirm or reject a suggestion, "not a conflict".

Every decision writes one ``ClaimMatchDecision`` row (pair, decision, reason, user, time): the
audit log and the matcher's memory. A pair rejected, unlinked or called "not a conflict" is
never proposed again (``decided_pairs``, read by the matcher's write step). Unlinking a
confirmed match is ``matching.verdicts.claim_unlink_match`` (it also re-flags the claims that
inherited a verdict through it) and writes its row here too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimCluster
from claims.services import ClaimError
from matching.clusters import cluster_union
from matching.models import (
    FIGURE_RELATIONS,
    ClaimMatch,
    ClaimMatchDecision,
    Decision,
    MatchRelation,
    MatchState,
)

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 2000


class ReasonRequired(ClaimError):
    """A reject, unlink or "not a conflict" needs a reason (remembered with the decision)."""

    field = "reason"


class MatchNotOpen(ClaimError):
    """The action does not apply to this match (already decided, or another kind of match)."""


def clean_reason(reason: object, *, action: str, required: bool = True) -> str:
    """The reason as stored: stripped text of at most MAX_REASON_LENGTH characters."""
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise ReasonRequired(f"The reason to {action} must be text.")
    reason = reason.strip()
    if required and not reason:
        raise ReasonRequired(f"Give a reason to {action} (it is remembered with the decision).")
    if len(reason) > MAX_REASON_LENGTH:
        raise ReasonRequired(
            f"The reason is {len(reason):,} characters long; at most {MAX_REASON_LENGTH:,}."
        )
    if "\x00" in reason:
        raise ReasonRequired("The reason contains a NUL character.")
    return reason


def decided_pairs(
    *, pairs: Sequence[tuple[int, int]], decisions: Iterable[str]
) -> set[tuple[int, int]]:
    """Of the (low, high) claim-id pairs, those with a decision among ``decisions``."""
    if not pairs:
        return set()
    wanted = set(pairs)
    found = ClaimMatchDecision.objects.filter(
        claim_id__in=sorted({a for a, _ in pairs}), decision__in=list(decisions)
    ).values_list("claim_id", "other_id")
    return {pair for pair in found if pair in wanted}


def record_decision(
    *, match: ClaimMatch, decision: str, reason: str, user: AbstractBaseUser | None
) -> ClaimMatchDecision:
    """Write the decision row for a match (the caller's transaction)."""
    return ClaimMatchDecision.objects.create(
        claim_id=match.claim_id,
        other_id=match.other_id,
        match=match,
        decision=decision,
        reason=reason,
        decided_by=user if user is not None and user.is_authenticated else None,
    )


def _locked_match(match_id: int) -> ClaimMatch:
    return ClaimMatch.objects.select_for_update().get(pk=match_id)


def match_confirm(*, match_id: int, user: AbstractBaseUser | None, reason: str = "") -> ClaimMatch:
    """Confirm a suggested "same" match: it joins the cluster and passes verdicts on."""
    reason = clean_reason(reason, action="confirm a match", required=False)
    with transaction.atomic():
        match = _locked_match(match_id)
        if match.relation != MatchRelation.SAME or match.unlinked_at is not None:
            raise MatchNotOpen(f"Match {match_id} is not an open same-claim match.")
        if match.state == MatchState.CONFIRMED:
            return match  # a second click: nothing to do, no second row
        # Lock order as in matching.services._write_matches: claims, then their clusters.
        claims = list(
            Claim.objects.select_for_update()
            .filter(pk__in=(match.claim_id, match.other_id))
            .order_by("pk")
            .values_list("cluster_id", flat=True)
        )
        clusters = sorted({c for c in claims if c is not None})
        if clusters:
            list(ClaimCluster.objects.select_for_update().filter(pk__in=clusters).order_by("pk"))
        match.state = MatchState.CONFIRMED
        match.confirmed_by = user if user is not None and user.is_authenticated else None
        match.confirmed_at = timezone.now()
        match.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        cluster_union(match.claim_id, match.other_id)
        record_decision(match=match, decision=Decision.CONFIRMED, reason=reason, user=user)
    logger.info("match %s confirmed by %s", match_id, user)
    return match


def _close(match: ClaimMatch, *, user: AbstractBaseUser | None, reason: str) -> None:
    match.unlinked_at = timezone.now()
    match.unlinked_by = user if user is not None and user.is_authenticated else None
    match.unlink_note = reason
    match.save(update_fields=["unlinked_at", "unlinked_by", "unlink_note"])


def match_reject(*, match_id: int, user: AbstractBaseUser | None, reason: str) -> ClaimMatch:
    """Reject a suggested match with a reason: it leaves the page and is never proposed again."""
    reason = clean_reason(reason, action="reject a match")
    with transaction.atomic():
        match = _locked_match(match_id)
        if match.relation != MatchRelation.SAME or match.unlinked_at is not None:
            raise MatchNotOpen(f"Match {match_id} is not an open suggestion.")
        if match.state != MatchState.SUGGESTED:
            raise MatchNotOpen(
                f"Match {match_id} is confirmed: use “Wrong match: unlink” to undo it."
            )
        _close(match, user=user, reason=reason)
        record_decision(match=match, decision=Decision.REJECTED, reason=reason, user=user)
    logger.info("match %s rejected by %s", match_id, user)
    return match


def conflict_dismiss(*, match_id: int, user: AbstractBaseUser | None, reason: str) -> ClaimMatch:
    """Mark differing figures "not a conflict" with a reason; never flagged again for the pair."""
    reason = clean_reason(reason, action="mark this not a conflict")
    with transaction.atomic():
        match = _locked_match(match_id)
        if match.relation not in FIGURE_RELATIONS or match.unlinked_at is not None:
            raise MatchNotOpen(f"Match {match_id} is not an open conflict.")
        _close(match, user=user, reason=reason)
        record_decision(match=match, decision=Decision.NOT_CONFLICT, reason=reason, user=user)
    logger.info("conflict %s dismissed by %s", match_id, user)
    return match
