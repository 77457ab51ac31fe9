"""Two reviewers acting on one claim at the same moment, on a real database."""

import threading

import pytest
from django.db import connection

from claims.models import ClaimStatusChange
from claims.services import StaleVersion, claim_set_status
from tests.factories import ClaimFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_on_the_same_version_one_wins_one_gets_a_conflict(reviewer, other_reviewer):
    claim = ClaimFactory()
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def review(user, status, note):
        barrier.wait()
        try:
            claim_set_status(
                claim_id=claim.pk, to_status=status, user=user, expected_version=1, note=note
            )
            outcomes[user.username] = "ok"
        except StaleVersion as exc:
            outcomes[user.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=review, args=(reviewer, "verified", "")),
        threading.Thread(target=review, args=(other_reviewer, "disputed", "wrong figure")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes.values()) == ["StaleVersion", "str"]
    claim.refresh_from_db()
    assert claim.version == 2
    history = list(ClaimStatusChange.objects.filter(claim=claim))
    assert len(history) == 1
    winner = next(name for name, o in outcomes.items() if o == "ok")
    assert history[0].changed_by.username == winner
    assert claim.status == history[0].to_status
