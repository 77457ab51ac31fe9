"""The sweeps act within seconds on work known lost: an empty queue, a worker that stopped beating.

Without those signs they keep the long PROPOSAL_STALE_AFTER_SECONDS (a backlog is not a loss).
Real workers, a SIGKILL and a Redis restart are in tests/worker/test_recovery.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.tasks import sweep_stale_articles
from factcheck import workers
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _ago(seconds: int):
    return timezone.now() - timedelta(seconds=seconds)


@pytest.fixture
def sweep(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.PROPOSAL_STALE_AFTER_SECONDS = 600
    settings.PROPOSAL_LOST_AFTER_SECONDS = 30
    settings.CELERY_TASK_TIME_LIMIT = 180
    published: list[int] = []
    monkeypatch.setattr(
        "articles.proposal_queue.publish_proposal", lambda pk: published.append(pk) or True
    )
    lengths: dict[str, int | None] = {}
    monkeypatch.setattr(workers, "queue_length", lambda name: lengths.get(name))

    def run(**queues):
        lengths.clear()
        lengths.update(queues)
        published.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sweep_stale_articles()
        return list(published)

    return run


@pytest.mark.parametrize(
    ("proposals_waiting", "requeued"),
    [(0, True), (4, False), (None, False)],  # None: the broker could not be asked
)
def test_a_pending_article_is_requeued_soon_only_when_the_proposals_queue_is_empty(
    sweep, proposals_waiting, requeued
):
    article = ArticleFactory(proposal_state="pending", proposal_queued_at=_ago(60))

    published = sweep(proposals=proposals_waiting)

    article.refresh_from_db()
    assert published == ([article.pk] if requeued else [])
    assert article.proposal_state == "pending"
    assert article.proposal_requests == (1 if requeued else 0)


def test_a_running_article_is_requeued_once_its_workers_heartbeat_stopped(sweep):
    lost = ArticleFactory(proposal_state="running", proposal_started_at=_ago(60))
    live = ArticleFactory(proposal_state="running", proposal_started_at=_ago(60))
    unknown = ArticleFactory(proposal_state="running", proposal_started_at=_ago(60))
    workers.worker_alive(hostname="alive@host", queues=["proposals"])
    workers.run_started(kind="proposal", key=lost.pk, hostname="killed@host")
    workers.run_started(kind="proposal", key=live.pk, hostname="alive@host")

    published = sweep(proposals=3)

    assert published == [lost.pk]
    for article, state in ((lost, "pending"), (live, "running"), (unknown, "running")):
        article.refresh_from_db()
        assert article.proposal_state == state
    workers.worker_gone(hostname="alive@host")


def test_a_run_younger_than_the_lost_age_is_left_to_its_worker(sweep):
    # Its worker may not have written its first heartbeat yet.
    article = ArticleFactory(proposal_state="running", proposal_started_at=_ago(5))
    workers.run_started(kind="proposal", key=article.pk, hostname="starting@host")

    assert sweep(proposals=0) == []
