"""claim_set_status: the only way a claim's status changes."""

import pytest

from claims.models import ClaimStatusChange, Evidence
from claims.services import (
    ALLOWED_TRANSITIONS,
    IllegalTransition,
    InvalidEvidence,
    NoteRequired,
    StaleVersion,
    claim_assign,
    claim_set_status,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_status_change_writes_exactly_one_history_row_and_bumps_version(reviewer):
    claim = ClaimFactory()

    claim_set_status(
        claim_id=claim.pk, to_status="verified", user=reviewer, expected_version=1, note="ok"
    )

    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("verified", 2, reviewer)
    assert claim.reviewed_at is not None
    rows = list(ClaimStatusChange.objects.filter(claim=claim))
    assert len(rows) == 1
    assert (rows[0].from_status, rows[0].to_status, rows[0].changed_by, rows[0].note) == (
        "proposed",
        "verified",
        reviewer,
        "ok",
    )
    assert rows[0].version == 2


def test_review_with_stale_version_is_rejected_and_changes_nothing(reviewer, other_reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer, expected_version=1)

    with pytest.raises(StaleVersion) as excinfo:
        claim_set_status(
            claim_id=claim.pk,
            to_status="disputed",
            user=other_reviewer,
            expected_version=1,
            note="numbers are off",
        )

    assert excinfo.value.claim.status == "verified"
    assert "rita" in str(excinfo.value)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("verified", 2)
    assert ClaimStatusChange.objects.filter(claim=claim).count() == 1


def test_unchanged_status_is_a_no_op(reviewer):
    claim = ClaimFactory()

    claim_set_status(claim_id=claim.pk, to_status="proposed", user=reviewer)

    claim.refresh_from_db()
    assert claim.version == 1
    assert not ClaimStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [("dismissed", "verified"), ("verified", "dismissed"), ("disputed", "dismissed")],
)
def test_illegal_transition_is_refused(reviewer, start, to):
    claim = ClaimFactory(status=start)

    with pytest.raises(IllegalTransition):
        claim_set_status(claim_id=claim.pk, to_status=to, user=reviewer, note="n")

    claim.refresh_from_db()
    assert claim.status == start
    assert not ClaimStatusChange.objects.exists()


def test_unknown_status_is_refused(reviewer):
    claim = ClaimFactory()
    with pytest.raises(IllegalTransition):
        claim_set_status(claim_id=claim.pk, to_status="true-ish", user=reviewer)


def test_every_status_has_a_transitions_entry():
    from claims.models import ClaimStatus

    assert set(ALLOWED_TRANSITIONS) == set(ClaimStatus.values)


@pytest.mark.parametrize("to", ["disputed", "unconfirmed"])
def test_disputed_and_unconfirmed_need_a_note(reviewer, to):
    claim = ClaimFactory()
    with pytest.raises(NoteRequired):
        claim_set_status(claim_id=claim.pk, to_status=to, user=reviewer, note="   ")
    claim.refresh_from_db()
    assert claim.status == "proposed"


def test_evidence_is_stored_with_the_history_row(reviewer):
    claim = ClaimFactory()

    claim_set_status(
        claim_id=claim.pk,
        to_status="disputed",
        user=reviewer,
        note="budget was $40m",
        evidence=[{"url": "https://council.example/budget.pdf", "title": "Budget"}],
    )

    change = ClaimStatusChange.objects.get(claim=claim)
    assert [(e.url, e.title, e.status_change_id) for e in Evidence.objects.all()] == [
        ("https://council.example/budget.pdf", "Budget", change.pk)
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example/a", ""]
)
def test_evidence_must_be_http_and_nothing_is_written_otherwise(reviewer, url):
    claim = ClaimFactory()
    with pytest.raises(InvalidEvidence):
        claim_set_status(
            claim_id=claim.pk, to_status="verified", user=reviewer, evidence=[{"url": url}]
        )
    claim.refresh_from_db()
    assert claim.status == "proposed"
    assert not Evidence.objects.exists()


def test_assignment_bumps_version_and_checks_it(reviewer, other_reviewer):
    claim = ClaimFactory()

    claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer, expected_version=1)
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (reviewer, 2)

    with pytest.raises(StaleVersion):
        claim_assign(
            claim_id=claim.pk, assignee=other_reviewer, user=other_reviewer, expected_version=1
        )
