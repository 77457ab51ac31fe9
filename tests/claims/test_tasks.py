"""claims.tasks: the proposal task's retries and failure marking, and enqueueing on commit."""

from __future__ import annotations

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from articles import proposal_queue
from articles.models import Article
from articles.proposal_queue import article_mark_queued
from articles.services import article_create
from claims import tasks
from claims.models import Claim
from claims.tasks import propose_claims, requeue_stale_articles
from tests.factories import ArticleFactory
from tests.worker.helpers import free_port, publishing_to

pytestmark = pytest.mark.django_db

_RAISE: dict = {}


def raising(body, **kwargs):
    raise _RAISE["exc"]


@pytest.mark.parametrize(
    ("exc", "attempts"),
    [
        # Transient: retried PROPOSAL_MAX_RETRIES times, then failed.
        (OperationalError("the database system is starting up"), 3),
        (SoftTimeLimitExceeded("soft time limit (120s) exceeded"), 3),
        # Not transient: failed at once.
        (ValueError("unknown scorer 'nope'"), 1),
    ],
)
def test_task_failing_on_every_try_marks_the_article_failed_with_error_and_attempts(
    settings, exc, attempts
):
    settings.CLAIM_PIPELINE = "tests.claims.test_tasks.raising"
    settings.PROPOSAL_MAX_RETRIES = 2
    _RAISE["exc"] = exc
    article = ArticleFactory(proposal_state="pending")
    article_mark_queued(article_id=article.pk)

    result = propose_claims.apply(args=[article.pk])

    assert isinstance(result.result, type(exc))
    article.refresh_from_db()
    assert article.proposal_state == "failed"
    assert article.proposal_error == f"{type(exc).__name__}: {exc}"
    assert article.proposal_attempts == attempts
    assert article.proposal_finished_at is not None
    assert not Claim.objects.filter(article=article).exists()


def test_task_for_a_deleted_article_succeeds_quietly():
    result = propose_claims.apply(args=[424242])

    assert result.successful()


def test_task_proposes_the_article(settings):
    settings.CLAIM_PIPELINE = "tests.worker.pipelines.digits"
    article = ArticleFactory(proposal_state="pending")
    article_mark_queued(article_id=article.pk)

    assert propose_claims.apply(args=[article.pk]).successful()

    article.refresh_from_db()
    assert article.proposal_state == "done"
    assert article.proposed_claim_count == Claim.objects.filter(article=article).count() > 0


def test_import_with_the_broker_down_succeeds_and_leaves_the_article_pending(
    editor, django_capture_on_commit_callbacks
):
    # Nothing listens on this port: publishing fails with "connection refused".
    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
        began = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = article_create(
                title="Ferry fares",
                body="Ferry fares rose 12 percent in March.\n\nCommuters noticed.",
                imported_by=editor,
            )
        elapsed = time.monotonic() - began

    assert result.created
    assert len(callbacks) == 1
    assert elapsed < 10
    article = Article.objects.get(pk=result.article.pk)
    assert (article.proposal_state, article.proposal_attempts) == ("pending", 0)
    assert article.proposal_queued_at is not None


def test_sweep_task_reports_what_it_did(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("articles.proposal_queue.publish_proposal", lambda pk: True)
    ArticleFactory(proposal_state="pending", proposal_queued_at=None)
    ArticleFactory(proposal_state="running", proposal_attempts=99, proposal_started_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stale_articles.apply()

    assert result.get() == {"requeued": 1, "gave_up": 1}


def test_beat_schedule_names_the_registered_sweep_task():
    from factcheck.celery import app

    entry = app.conf.beat_schedule["requeue-stale-articles"]
    assert entry["task"] == requeue_stale_articles.name
    assert entry["task"] in app.tasks


def test_after_a_failed_publish_the_next_ones_do_not_wait_for_the_broker(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(proposal_queue, "_broker_down_until", 0.0)
    tried = []

    def unreachable(args=(), kwargs=None, **options):
        tried.append(args[0])
        raise ConnectionRefusedError("broker down")

    # Sent by name from articles: the signature runs the registered task's apply_async.
    monkeypatch.setattr(propose_claims, "apply_async", unreachable)
    articles = [ArticleFactory(proposal_state="pending") for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        for article in articles:
            tasks.enqueue_proposal(article.pk)

    assert tried == [articles[0].pk]
    assert set(Article.objects.values_list("proposal_state", flat=True)) == {"pending"}
    # Once the pause is over the broker is tried again.
    monkeypatch.setattr(proposal_queue, "_broker_down_until", 0.0)
    assert tasks.publish_proposal(articles[1].pk) is False
    assert tried == [articles[0].pk, articles[1].pk]
