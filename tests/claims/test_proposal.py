"""claims.proposal: idempotent claim proposal, re-runs that keep reviewed claims, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.db.models import NOT_PROVIDED
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.proposal_queue import (
    article_mark_queued,
    article_rerun_proposal,
    articles_requeue_stale,
)
from claims.desk_model import active_model_version
from claims.models import Claim
from claims.proposal import ProposalError, article_propose_claims
from claims.services import claim_add_evidence, claim_assign, claim_set_status
from extraction.types import ProposalResult, SentenceProposal
from matching.models import ClaimMatch, ClaimMatchKey
from tests.factories import ArticleFactory
from tests.worker.pipelines import digits

pytestmark = pytest.mark.django_db

BODY = (
    "The council approved 48 million dollars for flood defences.\n\n"
    "Residents were pleased.\n\n"
    "The plan protects 12,000 homes by 2028.\n\n"
    "What happens to the old pier?"
)


@pytest.fixture(autouse=True)
def digits_pipeline(settings):
    settings.CLAIM_PIPELINE = "tests.worker.pipelines.digits"
    settings.CLAIM_SCORER = "rules"


def _new_article(body: str = BODY, **kwargs) -> Article:
    article = ArticleFactory(body=body, proposal_state="pending", **kwargs)
    article_mark_queued(article_id=article.pk)
    return article


def _spans(article: Article) -> list[tuple[int, int, str]]:
    return list(
        Claim.objects.filter(article=article).order_by("start").values_list("start", "end", "text")
    )


def _expected(body: str) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.text) for c in digits(body).claims]


def test_proposal_stores_the_pipeline_claims_with_timing_and_count():
    article = _new_article()

    returned = article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert _spans(article) == _expected(BODY)
    assert len(_expected(BODY)) == 2
    for start, end, text in _spans(article):
        assert BODY[start:end] == text
    assert (article.proposal_state, article.proposal_attempts) == ("done", 1)
    assert article.proposed_claim_count == 2
    assert article.proposal_scorer == "digits"
    assert article.proposal_error == ""
    assert article.proposal_started_at <= article.proposal_finished_at
    assert article.proposal_duration_ms >= 0
    assert len(article.sentence_scores) == 4
    assert (returned.proposal_state, returned.proposed_claim_count) == ("done", 2)
    assert returned.proposal_finished_at == article.proposal_finished_at


def test_running_twice_changes_nothing_the_second_time():
    article = _new_article()
    article_propose_claims(article_id=article.pk)
    before = list(Claim.objects.filter(article=article).values("pk", "updated_at", "score"))

    article_propose_claims(article_id=article.pk, force=True)

    after = list(Claim.objects.filter(article=article).values("pk", "updated_at", "score"))
    assert after == before
    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_attempts) == ("done", 2)


def test_duplicate_delivery_of_a_served_request_is_skipped():
    article = _new_article()
    article_propose_claims(article_id=article.pk)
    article.refresh_from_db()
    finished = article.proposal_finished_at

    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert (article.proposal_attempts, article.proposal_finished_at) == (1, finished)


def test_a_new_request_after_a_served_one_runs_again():
    article = _new_article()
    article_propose_claims(article_id=article.pk)

    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_attempts) == ("done", 1)
    assert article.proposal_started_at >= article.proposal_queued_at


def test_rerun_on_an_edited_article_keeps_touched_claims_and_replaces_untouched_ones(
    reviewer,
):
    old_body = (
        "Sales rose 5 percent in May.\n\n"
        "Profits fell 3 percent.\n\n"
        "The board met 2 times.\n\n"
        "It hired 40 people."
    )
    article = _new_article(body=old_body)
    article_propose_claims(article_id=article.pk)
    by_text = {c.text: c for c in Claim.objects.filter(article=article)}
    verified = by_text["Sales rose 5 percent in May."]
    assigned = by_text["Profits fell 3 percent."]
    with_evidence = by_text["The board met 2 times."]
    untouched = by_text["It hired 40 people."]
    claim_set_status(claim_id=verified.pk, to_status="verified", user=reviewer)
    claim_assign(claim_id=assigned.pk, assignee=reviewer, user=reviewer)
    claim_add_evidence(claim_id=with_evidence.pk, url="https://stats.example/board", user=reviewer)

    # The edit drops every old sentence but keeps the offsets of the first one.
    new_body = "Sales rose 5 percent in May.\n\nCosts fell.\n\nExports hit 9 billion."
    Article.objects.filter(pk=article.pk).update(body=new_body)
    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)

    remaining = {c.pk: c for c in Claim.objects.filter(article=article)}
    assert verified.pk in remaining and remaining[verified.pk].status == "verified"
    assert assigned.pk in remaining and remaining[assigned.pk].assignee == reviewer
    assert with_evidence.pk in remaining
    assert untouched.pk not in remaining
    new_texts = {c.text for c in remaining.values() if c.pk not in {verified.pk, assigned.pk}}
    assert "Exports hit 9 billion." in new_texts
    assert Claim.objects.filter(article=article, text="Sales rose 5 percent in May.").count() == 1
    article.refresh_from_db()
    assert article.proposed_claim_count == 2


def test_rerun_deletes_a_stale_proposal_with_what_matching_attached_to_it():
    old_body = "Sales rose 5 percent in May.\n\nIt hired 40 people."
    article = _new_article(body=old_body)
    other = _new_article(body="Rivals hired 40 people.")
    article_propose_claims(article_id=article.pk)
    article_propose_claims(article_id=other.pk)
    stale = Claim.objects.get(article=article, text="It hired 40 people.")
    elsewhere = Claim.objects.get(article=other)
    ClaimMatchKey.objects.create(key="hired 40", claim=stale)
    low, high = sorted([stale, elsewhere], key=lambda c: c.pk)
    ClaimMatch.objects.create(claim=low, other=high, similarity=0.9, relation="same")

    Article.objects.filter(pk=article.pk).update(body="Sales rose 5 percent in May.")
    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)

    assert _spans(article) == _expected("Sales rose 5 percent in May.")
    assert not Claim.objects.filter(pk=stale.pk).exists()
    assert not ClaimMatchKey.objects.filter(claim_id=stale.pk).exists()
    assert not ClaimMatch.objects.exists()
    assert Claim.objects.filter(pk=elsewhere.pk).exists()
    article.refresh_from_db()
    assert (article.proposal_state, article.proposed_claim_count) == ("done", 1)


def test_rerun_never_rescores_a_touched_claim_but_updates_untouched_ones(reviewer, settings):
    article = _new_article()
    article_propose_claims(article_id=article.pk)
    first, second = Claim.objects.filter(article=article).order_by("start")
    claim_set_status(claim_id=first.pk, to_status="verified", user=reviewer)
    first.refresh_from_db()
    settings.CLAIM_PIPELINE = "tests.claims.test_proposal.rescoring"

    article_propose_claims(article_id=article.pk, force=True)

    kept, rescored = Claim.objects.filter(article=article).order_by("start")
    assert (kept.pk, kept.score, kept.updated_at, kept.version) == (
        first.pk,
        first.score,
        first.updated_at,
        2,
    )
    assert (rescored.pk, rescored.score, rescored.claim_type) == (second.pk, 0.5, "event")


def rescoring(body, **kwargs):
    result = digits(body, **kwargs)
    result.sentences = [
        SentenceProposal(
            start=s.start,
            end=s.end,
            text=s.text,
            score=0.5,
            checkworthy=s.checkworthy,
            claim_type="event",
        )
        for s in result.sentences
    ]
    return result


def test_unsupported_language_proposes_nothing_and_removes_untouched_proposals(reviewer):
    article = _new_article()
    article_propose_claims(article_id=article.pk)
    kept = Claim.objects.filter(article=article).first()
    claim_set_status(claim_id=kept.pk, to_status="dismissed", user=reviewer)
    Article.objects.filter(pk=article.pk).update(language="xx")
    article_mark_queued(article_id=article.pk)

    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert article.proposal_state == "unsupported"
    assert "'xx'" in article.proposal_error
    assert (article.proposed_claim_count, article.sentence_scores) == (0, [])
    assert list(Claim.objects.filter(article=article).values_list("pk", flat=True)) == [kept.pk]


def test_a_span_that_does_not_match_the_text_is_rejected_and_nothing_is_written(settings):
    settings.CLAIM_PIPELINE = "tests.claims.test_proposal.misaligned"
    article = _new_article()

    with pytest.raises(ProposalError, match="does not match"):
        article_propose_claims(article_id=article.pk)

    assert not Claim.objects.filter(article=article).exists()


def misaligned(body, **kwargs):
    return ProposalResult(
        language="en",
        supported=True,
        scorer="bad",
        sentences=[SentenceProposal(1, 10, body[0:9], 0.9, True)],
    )


def test_text_edited_while_the_pipeline_runs_is_proposed_from_the_new_text(settings):
    article = _new_article()
    new_body = "Only 7 ships docked.\n\nNothing else happened."
    calls = []

    def editing_pipeline(body, **kwargs):
        if not calls:  # an editor saves a new text while the first run is scoring
            Article.objects.filter(pk=article.pk).update(body=new_body)
        calls.append(body)
        return digits(body, **kwargs)

    settings.CLAIM_PIPELINE = "tests.claims.test_proposal.current_pipeline"
    _CURRENT["fn"] = editing_pipeline

    article_propose_claims(article_id=article.pk)

    assert calls == [BODY, new_body]
    assert _spans(article) == _expected(new_body)


def test_a_request_queued_while_running_leaves_the_article_pending(settings):
    article = _new_article()

    def requeueing_pipeline(body, **kwargs):
        article_mark_queued(article_id=article.pk)  # an editor clicks "re-run" meanwhile
        return digits(body, **kwargs)

    settings.CLAIM_PIPELINE = "tests.claims.test_proposal.current_pipeline"
    _CURRENT["fn"] = requeueing_pipeline

    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert article.proposal_state == "pending"
    assert _spans(article) == _expected(BODY)


def test_every_request_is_counted_and_a_run_records_the_count_it_finished_under(settings):
    article = _new_article()
    article_mark_queued(article_id=article.pk)
    article.refresh_from_db()
    assert article.proposal_requests == 2

    def requeueing_pipeline(body, **kwargs):
        article_mark_queued(article_id=article.pk)
        return digits(body, **kwargs)

    settings.CLAIM_PIPELINE = "tests.claims.test_proposal.current_pipeline"
    _CURRENT["fn"] = requeueing_pipeline

    returned = article_propose_claims(article_id=article.pk)

    assert (returned.proposal_state, returned.proposal_requests) == ("pending", 3)
    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_requests) == ("pending", 3)
    # The request made during the run is still owed: its message runs again.
    settings.CLAIM_PIPELINE = "tests.worker.pipelines.digits"
    assert article_propose_claims(article_id=article.pk).proposal_state == "done"


_CURRENT: dict = {}


def current_pipeline(body, **kwargs):
    return _CURRENT["fn"](body, **kwargs)


def test_proposal_gives_up_after_max_attempts(settings):
    settings.PROPOSAL_MAX_ATTEMPTS = 2
    article = _new_article()
    Article.objects.filter(pk=article.pk).update(proposal_state="running", proposal_attempts=2)

    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert (article.proposal_state, article.proposal_attempts) == ("failed", 3)
    assert article.proposal_error.startswith("Gave up after 2 attempts")
    assert not Claim.objects.filter(article=article).exists()


def test_proposal_of_a_deleted_article_raises_does_not_exist():
    with pytest.raises(Article.DoesNotExist):
        article_propose_claims(article_id=987654)


def test_proposal_of_a_fresh_article_is_a_fixed_number_of_statements_whatever_its_size():
    body = "\n\n".join(f"Sentence {i} has {i} numbers." for i in range(60))
    article = _new_article(body=body)
    active_model_version()  # the shipped version's row exists, as after the first proposal

    with CaptureQueriesContext(connection) as captured:
        article_propose_claims(article_id=article.pk)

    statements = [
        q["sql"].split()[0]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    if connection.vendor == "postgresql":
        # Mark running (returning the article, writing its history row), read the active
        # model version, lock, then one statement that upserts all 60, records the outcome and
        # its history row and lists the stale claims; read the deadline rules and set the
        # claims' due times in one statement; then clear an old claim-cap note.
        assert statements == ["WITH", "SELECT", "SELECT", "WITH", "SELECT", "UPDATE", "UPDATE"]
    else:
        # Read the state, mark running, its history row, read the active model version, lock,
        # read untouched claims, upsert all 60, record the outcome, its history row, read the
        # deadline rules, set the due times, clear a cap note.
        assert statements == [
            "SELECT", "UPDATE", "INSERT", "SELECT", "SELECT", "SELECT", "INSERT", "UPDATE",
            "INSERT", "SELECT", "UPDATE", "UPDATE",
        ]  # fmt: skip
    assert Claim.objects.filter(article=article).count() == 60
    article.refresh_from_db()
    assert (article.proposal_state, article.proposed_claim_count) == ("done", 60)


# --- re-run -----------------------------------------------------------------------------------


def test_rerun_by_an_editor_resets_the_request_and_publishes_after_commit(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr("articles.proposal_queue.publish_proposal", published.append)
    article = ArticleFactory(proposal_state="failed", proposal_attempts=4, proposal_error="boom")

    with django_capture_on_commit_callbacks(execute=True):
        returned = article_rerun_proposal(article_id=article.pk, user=editor)

    assert published == [article.pk]
    assert (returned.proposal_state, returned.proposal_attempts, returned.proposal_error) == (
        "pending",
        0,
        "",
    )
    assert returned.proposal_queued_at is not None


def test_rerun_by_a_reviewer_is_denied(reviewer, monkeypatch):
    monkeypatch.setattr("articles.proposal_queue.publish_proposal", pytest.fail)
    article = ArticleFactory(proposal_state="done")

    with pytest.raises(PermissionDenied):
        article_rerun_proposal(article_id=article.pk, user=reviewer)

    article.refresh_from_db()
    assert article.proposal_state == "done"


# --- stale sweep ------------------------------------------------------------------------------

NOW_MINUS = lambda seconds: timezone.now() - timedelta(seconds=seconds)  # noqa: E731


@pytest.mark.parametrize(
    ("state", "queued_ago", "started_ago", "attempts", "expected"),
    [
        ("pending", 700, None, 0, "requeued"),
        ("pending", 100, None, 0, "left"),
        ("pending", None, None, 0, "requeued"),
        # Running past the stale age but not past the hard time limit + margin: maybe alive.
        ("running", 700, 150, 1, "left"),
        ("running", 900, 700, 1, "requeued"),
        ("running", 900, 700, 8, "gave_up"),
        ("done", 900, 800, 1, "left"),
        ("failed", 900, 800, 4, "left"),
        ("unsupported", 900, 800, 1, "left"),
    ],
)
def test_sweep_requeues_only_stale_pending_or_running_articles(
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
    state,
    queued_ago,
    started_ago,
    attempts,
    expected,
):
    settings.PROPOSAL_STALE_AFTER_SECONDS = 600
    settings.CELERY_TASK_TIME_LIMIT = 180
    settings.PROPOSAL_MAX_ATTEMPTS = 8
    published = []
    monkeypatch.setattr(
        "articles.proposal_queue.publish_proposal", lambda pk: published.append(pk) or True
    )
    article = ArticleFactory(
        proposal_state=state,
        proposal_attempts=attempts,
        proposal_queued_at=NOW_MINUS(queued_ago) if queued_ago else None,
        proposal_started_at=NOW_MINUS(started_ago) if started_ago else None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = articles_requeue_stale()

    article.refresh_from_db()
    if expected == "requeued":
        assert (result.requeued, result.gave_up, published) == ([article.pk], [], [article.pk])
        assert article.proposal_state == "pending"
        assert article.proposal_queued_at > NOW_MINUS(5)
        assert article.proposal_attempts == attempts
        assert article.proposal_requests == 1
    elif expected == "gave_up":
        assert (result.requeued, result.gave_up, published) == ([], [article.pk], [])
        assert article.proposal_state == "failed"
        assert article.proposal_error.startswith("Gave up after 8 attempts")
    else:
        assert (result.requeued, result.gave_up, published) == ([], [], [])
        assert article.proposal_state == state


def test_sweep_stops_publishing_at_the_first_broker_failure(
    monkeypatch, django_capture_on_commit_callbacks
):
    tried = []
    monkeypatch.setattr(
        "articles.proposal_queue.publish_proposal", lambda pk: tried.append(pk) and False
    )
    for _ in range(3):
        ArticleFactory(proposal_state="pending", proposal_queued_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        result = articles_requeue_stale(older_than_seconds=0)

    assert len(result.requeued) == 3
    assert len(tried) == 1
    assert Article.objects.filter(proposal_state="pending").count() == 3


def test_requeue_command_uses_older_than_and_reports(
    monkeypatch, capsys, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(
        "articles.proposal_queue.publish_proposal", lambda pk: published.append(pk) or True
    )
    fresh = ArticleFactory(proposal_state="pending", proposal_queued_at=NOW_MINUS(30))
    ArticleFactory(proposal_state="pending", proposal_queued_at=NOW_MINUS(5))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_stale_articles", "--older-than", "20")

    assert published == [fresh.pk]
    assert "Requeued 1 article(s); marked 0 failed" in capsys.readouterr().out


def test_requeue_command_rejects_a_negative_age():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="zero or more"):
        call_command("requeue_stale_articles", "--older-than", "-1")


def test_every_claim_column_the_upsert_leaves_out_can_be_null():
    # The upsert is raw SQL with an explicit column list: a new NOT NULL column on Claim
    # must be added to it (claims.proposal._CLAIM_COLUMNS), or every proposal would fail.
    written = {
        "id",
        "article_id",
        "text",
        "start",
        "end",
        "score",
        "claim_type",
        "claimer",
        "status",
        "version",
        "created_at",
        "updated_at",
    }
    left_out = [
        f.column
        for f in Claim._meta.concrete_fields
        if f.column not in written and not f.null and f.db_default is NOT_PROVIDED
    ]
    assert left_out == []


def test_a_worker_whose_clock_lags_the_web_servers_still_finishes_the_article(monkeypatch):
    article = _new_article()  # queued by the "web server"
    real_now = timezone.now
    # The worker host's clock is an hour behind: its timestamps must not be compared with
    # the queued_at the web server wrote, or this run would look older than its request.
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(hours=1))

    article_propose_claims(article_id=article.pk)

    article.refresh_from_db()
    assert article.proposal_state == "done"
    assert article.proposal_queued_at <= article.proposal_started_at
    assert article.proposal_started_at <= article.proposal_finished_at
