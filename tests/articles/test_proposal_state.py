"""articles.proposal_state: the only writer of Article.proposal_state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleProposalChange
from articles.proposal_queue import (
    article_mark_failed,
    article_request_proposal,
    articles_requeue_stale,
)
from articles.proposal_state import (
    TRANSITIONS,
    IllegalProposalTransition,
    article_claim_run,
    article_set_proposal_state,
    check_transition,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

STATES = ("pending", "running", "done", "failed", "unsupported")
ALLOWED = [
    ("pending", "running"),
    ("pending", "failed"),
    ("pending", "done"),
    ("pending", "unsupported"),
    ("running", "running"),
    ("running", "pending"),
    ("running", "done"),
    ("running", "unsupported"),
    ("running", "failed"),
    ("done", "pending"),
    ("done", "running"),
    ("done", "unsupported"),
    ("unsupported", "pending"),
    ("unsupported", "running"),
    ("unsupported", "done"),
    ("failed", "pending"),
    ("failed", "running"),
    ("failed", "done"),
    ("failed", "unsupported"),
]
ILLEGAL = [("done", "failed"), ("unsupported", "failed")]
UNCHANGED = [(s, s) for s in STATES if s != "running"]


def test_the_table_is_exactly_the_documented_moves():
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets if a != b}
    assert table | {("running", "running")} == set(ALLOWED)
    assert set(ALLOWED).isdisjoint(ILLEGAL)
    assert {(a, b) for a in STATES for b in STATES} == set(ALLOWED) | set(ILLEGAL) | set(UNCHANGED)


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_an_allowed_move_writes_the_state_and_one_history_row(from_state, to_state):
    article = ArticleFactory(proposal_state=from_state, proposal_attempts=2)

    left = article_set_proposal_state(
        article_id=article.pk, to_state=to_state, error="boom", actor="worker@a"
    )

    assert left == from_state
    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_error) == (to_state, "boom")
    change = ArticleProposalChange.objects.get(article=article)
    assert (change.from_state, change.to_state, change.error, change.attempt, change.actor) == (
        from_state,
        to_state,
        "boom",
        2,
        "worker@a",
    )


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_an_illegal_move_raises_and_writes_nothing(from_state, to_state):
    article = ArticleFactory(proposal_state=from_state)

    with pytest.raises(IllegalProposalTransition, match=f"from {from_state} to {to_state}"):
        article_set_proposal_state(article_id=article.pk, to_state=to_state, error="late")

    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_error) == (from_state, "")
    assert not ArticleProposalChange.objects.exists()


@pytest.mark.parametrize(("from_state", "to_state"), UNCHANGED)
def test_an_unchanged_state_writes_no_history_row(from_state, to_state):
    assert check_transition(from_state, to_state) is False
    article = ArticleFactory(proposal_state=from_state)

    article_set_proposal_state(article_id=article.pk, to_state=to_state)

    article.refresh_from_db()
    assert article.proposal_state == from_state
    assert not ArticleProposalChange.objects.exists()


def test_expected_from_guards_the_move_without_raising():
    article = ArticleFactory(proposal_state="done")

    left = article_set_proposal_state(
        article_id=article.pk, to_state="running", expected_from=("pending",)
    )

    assert left is None
    article.refresh_from_db()
    assert article.proposal_state == "done"
    assert not ArticleProposalChange.objects.exists()


def test_a_second_request_for_a_pending_article_is_counted_without_a_history_row(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(proposal_state="pending", proposal_requests=1)

    with django_capture_on_commit_callbacks(execute=False):
        article_request_proposal(article_id=article.pk)

    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_requests) == ("pending", 2)
    assert not ArticleProposalChange.objects.exists()


def test_claiming_a_run_records_the_attempt_and_the_worker():
    article = ArticleFactory(proposal_state="pending", proposal_attempts=0)

    claimed = article_claim_run(article_id=article.pk, actor="celery@w1")

    assert (claimed.pk, claimed.proposal_state, claimed.proposal_attempts) == (
        article.pk,
        "running",
        1,
    )
    change = ArticleProposalChange.objects.get(article=article)
    assert (change.from_state, change.to_state, change.attempt, change.actor) == (
        "pending",
        "running",
        1,
        "celery@w1",
    )


def test_a_settled_article_is_not_claimed_unless_forced():
    article = ArticleFactory(proposal_state="done")

    assert article_claim_run(article_id=article.pk) is None
    assert not ArticleProposalChange.objects.exists()

    forced = article_claim_run(article_id=article.pk, force=True)
    assert forced.proposal_state == "running"
    assert ArticleProposalChange.objects.get().from_state == "done"


@pytest.mark.postgres
def test_claiming_a_run_on_postgresql_is_one_statement():
    article = ArticleFactory(proposal_state="pending")

    with CaptureQueriesContext(connection) as captured:
        article_claim_run(article_id=article.pk)

    assert len(captured.captured_queries) == 1
    assert ArticleProposalChange.objects.filter(article=article).count() == 1


def test_a_late_failure_does_not_unsettle_a_done_article():
    # A duplicate message meets a database outage after the article was proposed: the
    # article's latest request was served, so it stays done (it used to turn failed).
    article = ArticleFactory(proposal_state="done")

    assert article_mark_failed(article_id=article.pk, error="OperationalError: gone") is False

    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_error) == ("done", "")
    assert not ArticleProposalChange.objects.exists()


def test_the_sweep_writes_a_history_row_for_each_article_it_moves(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PROPOSAL_MAX_ATTEMPTS = 3
    monkeypatch.setattr("articles.proposal_queue.publish_proposal", lambda pk: True)
    lost = ArticleFactory(proposal_state="running", proposal_started_at=None, proposal_attempts=1)
    hopeless = ArticleFactory(
        proposal_state="running", proposal_started_at=None, proposal_attempts=3
    )
    waiting = ArticleFactory(proposal_state="pending", proposal_queued_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        result = articles_requeue_stale()

    assert sorted(result.requeued) == sorted([lost.pk, waiting.pk])
    assert result.gave_up == [hopeless.pk]
    rows = {
        (c.article_id, c.from_state, c.to_state, c.actor)
        for c in ArticleProposalChange.objects.all()
    }
    # The pending article stays pending (a requeue, no change of state): no row.
    assert rows == {
        (lost.pk, "running", "pending", "sweep"),
        (hopeless.pk, "running", "failed", "sweep"),
    }
