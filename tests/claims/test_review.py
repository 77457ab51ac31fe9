"""claims.review: the verdict policy, the second reviewer, and undo."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import review
from claims.models import (
    ApprovalState,
    ClaimStatusChange,
    Evidence,
    VerdictApproval,
    VerdictPolicy,
)
from claims.services import NoteRequired, StaleVersion, claim_add_evidence, claim_assign
from claims.signals import verdict_approved, verdict_sent_back, verdict_submitted
from tests.conftest import EVIDENCE, RATIONALE
from tests.factories import ClaimFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caught():
    """Records the second-reviewer signals sent during a test."""
    seen = []

    def receiver(signal_name):
        def receive(sender, **kwargs):
            seen.append((signal_name, kwargs))

        return receive

    receivers = {
        verdict_submitted: receiver("submitted"),
        verdict_approved: receiver("approved"),
        verdict_sent_back: receiver("sent_back"),
    }
    for signal, fn in receivers.items():
        signal.connect(fn)
    yield seen
    for signal, fn in receivers.items():
        signal.disconnect(fn)


def test_default_policy_is_created_by_the_migration_with_documented_defaults():
    policy = VerdictPolicy.objects.get(pk=1)
    assert (policy.rationale_min_chars,) == (40,)
    assert [policy.needs_approval(s) for s in ("verified", "disputed", "unconfirmed")] == [
        False,
        True,
        False,
    ]
    assert [policy.needs_rationale(s) for s in ("verified", "disputed", "unconfirmed")] == [
        True,
        True,
        False,
    ]
    assert [policy.needs_evidence(s) for s in ("verified", "disputed", "unconfirmed")] == [
        True,
        True,
        False,
    ]
    assert not any(
        rule("dismissed")
        for rule in (policy.needs_approval, policy.needs_rationale, policy.needs_evidence)
    )


def test_a_second_policy_row_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        VerdictPolicy.objects.create(pk=2)


def test_verified_without_rationale_or_evidence_names_both_and_writes_nothing(reviewer):
    claim = ClaimFactory()

    with pytest.raises(review.PolicyUnmet) as excinfo:
        review.claim_review(claim_id=claim.pk, to_status="verified", user=reviewer, note="ok")

    assert excinfo.value.missing == {
        "note": "A Verified verdict needs a rationale of at least 40 characters in the note "
        "(it has 2).",
        "evidence": "A Verified verdict needs at least one evidence link.",
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)
    assert not ClaimStatusChange.objects.exists()
    assert not Evidence.objects.exists()


def test_rationale_counts_characters_after_trimming(reviewer):
    claim = ClaimFactory()
    note = "   " + "x" * 39 + "   "

    with pytest.raises(review.PolicyUnmet) as excinfo:
        review.claim_review(
            claim_id=claim.pk, to_status="verified", user=reviewer, note=note, evidence=EVIDENCE
        )

    assert set(excinfo.value.missing) == {"note"}


def test_evidence_added_to_the_claim_before_the_verdict_counts(reviewer):
    claim = ClaimFactory()
    claim_add_evidence(claim_id=claim.pk, url="https://stats.example/t1", user=reviewer)

    result = review.claim_review(
        claim_id=claim.pk, to_status="verified", user=reviewer, note=RATIONALE
    )

    assert result.claim.status == "verified"
    assert not result.awaiting_approval


def test_verified_with_rationale_and_evidence_is_applied_at_once(reviewer, caught):
    claim = ClaimFactory()

    result = review.claim_review(
        claim_id=claim.pk,
        to_status="verified",
        user=reviewer,
        expected_version=1,
        note=RATIONALE,
        evidence=EVIDENCE,
    )

    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("verified", 2, reviewer)
    change = ClaimStatusChange.objects.get(claim=claim)
    assert result.change == change
    assert (change.changed_by, change.submitted_by, change.note) == (reviewer, None, RATIONALE)
    assert [e.url for e in change.evidence.all()] == [EVIDENCE[0]["url"]]
    assert caught == []


def test_unconfirmed_still_needs_a_note_but_no_rationale_length(reviewer):
    claim = ClaimFactory()
    with pytest.raises(NoteRequired):
        review.claim_review(claim_id=claim.pk, to_status="unconfirmed", user=reviewer)

    result = review.claim_review(
        claim_id=claim.pk, to_status="unconfirmed", user=reviewer, note="No source found."
    )

    assert result.claim.status == "unconfirmed"


def test_dismissing_never_needs_anything(reviewer):
    policy = VerdictPolicy.current()
    policy.rationale_min_chars = 500
    policy.save()
    claim = ClaimFactory()

    result = review.claim_review(claim_id=claim.pk, to_status="dismissed", user=reviewer)

    assert result.claim.status == "dismissed"


def test_disputed_awaits_approval_and_the_claim_is_unchanged(reviewer, caught):
    claim = ClaimFactory()

    result = review.claim_review(
        claim_id=claim.pk,
        to_status="disputed",
        user=reviewer,
        expected_version=1,
        note=RATIONALE,
        evidence=EVIDENCE,
    )

    assert result.awaiting_approval
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("proposed", 1, None)
    assert not ClaimStatusChange.objects.exists()
    approval = VerdictApproval.objects.get(claim=claim)
    assert (approval.state, approval.to_status, approval.from_status) == (
        "pending",
        "disputed",
        "proposed",
    )
    assert (approval.submitted_by, approval.note, approval.evidence) == (
        reviewer,
        RATIONALE,
        EVIDENCE,
    )
    assert [name for name, _ in caught] == ["submitted"]
    assert caught[0][1]["approval"] == approval


def _submit_disputed(claim, user):
    return review.claim_review(
        claim_id=claim.pk, to_status="disputed", user=user, note=RATIONALE, evidence=EVIDENCE
    ).approval


def test_another_reviewer_approves_and_history_names_both(reviewer, other_reviewer, caught):
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)

    result = review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=other_reviewer)

    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("disputed", 2, other_reviewer)
    change = ClaimStatusChange.objects.get(claim=claim)
    assert (change.changed_by, change.submitted_by, change.to_status, change.note) == (
        other_reviewer,
        reviewer,
        "disputed",
        RATIONALE,
    )
    assert [e.url for e in change.evidence.all()] == [EVIDENCE[0]["url"]]
    approval.refresh_from_db()
    assert (approval.state, approval.decided_by, approval.status_change) == (
        "approved",
        other_reviewer,
        change,
    )
    assert approval.decided_at is not None
    assert result.change == change
    assert [name for name, _ in caught] == ["submitted", "approved"]
    assert caught[1][1]["change"] == change


def test_nobody_approves_their_own_verdict(reviewer):
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)

    with pytest.raises(review.SelfApproval):
        review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=reviewer)

    claim.refresh_from_db()
    approval.refresh_from_db()
    assert (claim.status, approval.state) == ("proposed", "pending")


def test_send_back_needs_a_note_and_leaves_the_claim(reviewer, other_reviewer, caught):
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)
    with pytest.raises(review.DecisionNoteRequired):
        review.verdict_send_back(claim_id=claim.pk, user=other_reviewer, note="   ")

    review.verdict_send_back(claim_id=claim.pk, user=other_reviewer, note="Cite the 2023 audit.")

    approval.refresh_from_db()
    claim.refresh_from_db()
    assert (approval.state, approval.decided_by, approval.decision_note) == (
        "sent_back",
        other_reviewer,
        "Cite the 2023 audit.",
    )
    assert (claim.status, claim.version) == ("proposed", 1)
    assert [name for name, _ in caught] == ["submitted", "sent_back"]
    assert caught[1][1]["note"] == "Cite the 2023 audit."
    # Sent back: the reviewer may submit again.
    assert _submit_disputed(claim, reviewer).state == "pending"


def test_one_pending_approval_per_claim(reviewer, other_reviewer):
    claim = ClaimFactory()
    _submit_disputed(claim, reviewer)

    with pytest.raises(review.ApprovalPending):
        review.claim_review(
            claim_id=claim.pk,
            to_status="verified",
            user=other_reviewer,
            note=RATIONALE,
            evidence=EVIDENCE,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        VerdictApproval.objects.create(
            claim=claim, to_status="disputed", from_status="proposed", submitted_by=other_reviewer
        )
    assert VerdictApproval.objects.filter(claim=claim).count() == 1


def test_second_approver_finds_it_decided(reviewer, other_reviewer):
    third = ReviewerFactory(username="tess")
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)
    review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=other_reviewer)

    with pytest.raises(review.ApprovalDecided) as by_id:
        review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=third)
    with pytest.raises(review.ApprovalDecided) as by_claim:
        review.verdict_send_back(claim_id=claim.pk, user=third, note="too late")

    assert "already approved by omar" in str(by_id.value)
    assert "already approved by omar" in str(by_claim.value)
    assert ClaimStatusChange.objects.filter(claim=claim).count() == 1


def test_approval_is_refused_when_the_claim_moved_on(reviewer, other_reviewer):
    from claims.services import claim_set_status

    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)
    claim_set_status(claim_id=claim.pk, to_status="dismissed", user=other_reviewer)

    with pytest.raises(review.ApprovalOutdated):
        review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=other_reviewer)
    approval.refresh_from_db()
    assert approval.state == "pending"


def test_assignment_does_not_outdate_an_approval(reviewer, other_reviewer):
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=other_reviewer)

    review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=other_reviewer)

    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("disputed", 3)


def test_no_pending_approval(other_reviewer):
    claim = ClaimFactory()
    with pytest.raises(review.NoPendingApproval):
        review.verdict_approve(claim_id=claim.pk, user=other_reviewer)


# --- undo -----------------------------------------------------------------------------------


def _verify(claim, user):
    return review.claim_review(
        claim_id=claim.pk, to_status="verified", user=user, note=RATIONALE, evidence=EVIDENCE
    ).change


def test_undo_restores_the_previous_status_with_its_own_row(reviewer):
    claim = ClaimFactory()
    change = _verify(claim, reviewer)

    result = review.claim_undo(change_id=change.pk, user=reviewer)

    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 3)
    rows = list(ClaimStatusChange.objects.filter(claim=claim).order_by("version"))
    assert [(r.from_status, r.to_status, r.undoes_id) for r in rows] == [
        ("proposed", "verified", None),
        ("verified", "proposed", change.pk),
    ]
    assert result.change == rows[1]
    # Nothing erased: the undone verdict's evidence is still on the claim.
    assert Evidence.objects.filter(claim=claim, status_change=change).count() == 1


def test_undo_works_once(reviewer):
    claim = ClaimFactory()
    change = _verify(claim, reviewer)
    review.claim_undo(change_id=change.pk, user=reviewer)

    with pytest.raises(review.UndoRefused):
        review.claim_undo(change_id=change.pk, user=reviewer)

    assert ClaimStatusChange.objects.filter(claim=claim).count() == 2


def test_an_undo_cannot_be_undone(reviewer):
    claim = ClaimFactory()
    undo = review.claim_undo(change_id=_verify(claim, reviewer).pk, user=reviewer).change

    with pytest.raises(review.UndoRefused, match="cannot itself be undone"):
        review.claim_undo(change_id=undo.pk, user=reviewer)


def test_only_the_reviewer_who_set_it_may_undo(reviewer, other_reviewer):
    claim = ClaimFactory()
    change = _verify(claim, reviewer)

    with pytest.raises(review.UndoRefused, match="Only the reviewer who set this verdict"):
        review.claim_undo(change_id=change.pk, user=other_reviewer)
    claim.refresh_from_db()
    assert claim.status == "verified"


def test_undo_refused_after_the_window(reviewer, settings):
    settings.UNDO_WINDOW_SECONDS = 600
    claim = ClaimFactory()
    change = _verify(claim, reviewer)
    ClaimStatusChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - timedelta(seconds=601)
    )

    with pytest.raises(review.UndoRefused, match="Too late to undo"):
        review.claim_undo(change_id=change.pk, user=reviewer)


def test_undo_refused_when_the_claim_changed_since(reviewer, other_reviewer):
    claim = ClaimFactory()
    change = _verify(claim, reviewer)
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=other_reviewer)

    with pytest.raises(review.UndoRefused, match="changed since"):
        review.claim_undo(change_id=change.pk, user=reviewer)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("verified", 3)


def test_the_approver_may_undo_an_approved_verdict(reviewer, other_reviewer):
    claim = ClaimFactory()
    approval = _submit_disputed(claim, reviewer)
    change = review.verdict_approve(
        claim_id=claim.pk, approval_id=approval.pk, user=other_reviewer
    ).change

    with pytest.raises(review.UndoRefused):
        review.claim_undo(change_id=change.pk, user=reviewer)
    review.claim_undo(change_id=change.pk, user=other_reviewer)

    claim.refresh_from_db()
    assert claim.status == "proposed"


def test_stale_version_is_checked_before_the_policy(reviewer):
    claim = ClaimFactory()
    with pytest.raises(StaleVersion):
        review.claim_review(
            claim_id=claim.pk, to_status="verified", user=reviewer, expected_version=7
        )


def test_hostile_note_and_evidence_are_stored_as_text_or_refused(reviewer):
    from claims.services import InvalidEvidence

    claim = ClaimFactory()
    with pytest.raises(InvalidEvidence):
        review.claim_review(
            claim_id=claim.pk,
            to_status="disputed",
            user=reviewer,
            note=RATIONALE,
            evidence=[{"url": "javascript:alert(1)"}],
        )
    assert not VerdictApproval.objects.exists()

    note = "<script>alert(1)</script>'; DROP TABLE claims_claim; -- " + RATIONALE
    approval = review.claim_review(
        claim_id=claim.pk, to_status="disputed", user=reviewer, note=note, evidence=EVIDENCE
    ).approval
    approval.refresh_from_db()
    assert approval.note == note
    assert approval.state == ApprovalState.PENDING
