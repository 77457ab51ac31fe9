"""Two approvers deciding one verdict at the same moment, on a real database."""

import threading

import pytest
from django.db import connection

from claims import review
from claims.models import ClaimStatusChange, VerdictApproval
from tests.conftest import EVIDENCE, RATIONALE
from tests.factories import ClaimFactory, ReviewerFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins_the_other_gets_a_conflict(reviewer, other_reviewer):
    third = ReviewerFactory(username="tess")
    claim = ClaimFactory()
    approval = review.claim_review(
        claim_id=claim.pk, to_status="disputed", user=reviewer, note=RATIONALE, evidence=EVIDENCE
    ).approval
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(user, approve: bool):
        barrier.wait()
        try:
            if approve:
                review.verdict_approve(claim_id=claim.pk, approval_id=approval.pk, user=user)
            else:
                review.verdict_send_back(
                    claim_id=claim.pk, approval_id=approval.pk, user=user, note="Needs a source."
                )
            outcomes[user.username] = "ok"
        except review.ApprovalDecided as exc:
            outcomes[user.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(other_reviewer, True)),
        threading.Thread(target=decide, args=(third, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes.values()) == ["ApprovalDecided", "str"]
    approval.refresh_from_db()
    winner = next(name for name, o in outcomes.items() if o == "ok")
    assert approval.decided_by.username == winner
    claim.refresh_from_db()
    changes = ClaimStatusChange.objects.filter(claim=claim).count()
    if approval.state == "approved":
        assert (claim.status, changes) == ("disputed", 1)
    else:
        assert (approval.state, claim.status, changes) == ("sent_back", "proposed", 0)
    assert VerdictApproval.objects.filter(claim=claim).count() == 1
