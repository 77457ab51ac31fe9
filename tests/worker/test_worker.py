"""Real `celery -A factcheck worker` processes against a real Redis, on PostgreSQL.

Each test runs its own redis-server on a free port, so its messages (and Redis's
`unacked` bookkeeping, which is global to a Redis database) are never shared with anyone.
The worker processes use the test database through DATABASE_URL.
"""

from __future__ import annotations

import os
import signal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from articles.models import Article
from articles.proposal_queue import article_mark_queued
from articles.services import article_create
from claims.models import Claim
from claims.tasks import propose_claims
from extraction.pipeline import propose
from extraction.scoring import load_scorer
from integrations.services import api_token_create
from tests.worker.helpers import run_manage, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# Project-written text.
BODY = (
    "Harbour City will spend $48 million on flood defences over the next five years, "
    "the council said on Tuesday.\n\n"
    "Mayor Dana Whitfield said the new walls would protect 12,000 homes by 2028.\n\n"
    "Unemployment in the city fell to 4.2 percent in March, down from 5.1 percent a year "
    "earlier, according to the regional statistics office.\n\n"
    "Residents have long complained about the smell of the river.\n\n"
    "What will happen to the old pier?"
)
STARTUP = 60  # seconds a worker may take to start and finish a short task on a busy machine


def _import(title: str = "Flood budget", body: str = BODY) -> Article:
    result = article_create(title=title, body=body, source="Harbour Herald", language="en")
    assert result.created
    return result.article


def _expected_spans(body: str = BODY) -> list[tuple[int, int]]:
    scorer = load_scorer("rules")
    result = propose(
        body, language="en", outlet="Harbour Herald", threshold=scorer.threshold, scorer=scorer
    )
    return sorted((c.start, c.end) for c in result.claims)


def _spans(article: Article) -> list[tuple[int, int]]:
    return sorted(Claim.objects.filter(article=article).values_list("start", "end"))


def _wait_state(article: Article, states: set[str], workers, timeout: float = STARTUP):
    def reached():
        article.refresh_from_db()
        return article.proposal_state in states

    try:
        wait_for(reached, timeout=timeout, what=f"article {article.pk} to reach {states}")
    except pytest.fail.Exception:
        logs = "\n".join(f"--- {w.name}\n{w.output()[-4000:]}" for w in workers)
        pytest.fail(f"article stuck in {article.proposal_state!r}; worker logs:\n{logs}")
    return article


def _assert_proposed_once(article: Article, *, attempts: int) -> None:
    expected = _expected_spans(article.body)
    assert expected, "the sample text must yield claims, or this test proves nothing"
    assert article.proposal_state == "done"
    assert _spans(article) == expected  # one row per span: no duplicates
    assert article.proposed_claim_count == len(expected)
    assert article.proposal_attempts == attempts
    assert article.proposal_error == ""
    assert article.proposal_started_at <= article.proposal_finished_at


def test_article_imported_through_the_api_is_proposed_by_a_real_worker(broker, start_worker):
    worker = start_worker(broker.url)
    client = APIClient()
    token = api_token_create(name="CMS", scope="import")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(
        "/api/v1/articles/",
        {"title": "Flood budget", "body": BODY, "source": "Harbour Herald", "language": "en"},
        format="json",
    )

    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    _wait_state(article, {"done"}, [worker])
    _assert_proposed_once(article, attempts=1)
    assert article.proposal_scorer
    assert len(article.sentence_scores) >= len(_expected_spans())
    assert article.proposal_duration_ms is not None
    # Acknowledged after it finished: nothing is left in the queue or in Redis's unacked set.
    client = broker.client()
    wait_for(lambda: client.hlen("unacked") == 0, timeout=10, what="the ack")
    assert client.llen("proposals") == 0


def test_worker_sigkilled_mid_task_loses_nothing_and_duplicates_nothing(
    broker, start_worker, tmp_path
):
    # The first run sleeps in the pipeline (tests/worker/pipelines.py: slow_once) after the
    # article is marked running, which is when the whole worker is SIGKILLed.
    slow = {
        "CLAIM_PIPELINE": "tests.worker.pipelines.slow_once",
        "FACTCHECK_TEST_SLOW_MARKER": str(tmp_path / "slept"),
        "FACTCHECK_TEST_SLEEP": "120",
    }
    first = start_worker(broker.url, env=slow)
    article = _import()
    _wait_state(article, {"running"}, [first])
    wait_for((tmp_path / "slept").exists, timeout=STARTUP, what="the pipeline to start sleeping")
    assert broker.client().hlen("unacked") == 1  # delivered, not acknowledged

    first.kill()

    # Redis hands an unacknowledged message to another worker once it is older than the
    # visibility timeout; CELERY_VISIBILITY_TIMEOUT is one hour in production, 1 s here.
    second = start_worker(broker.url, env={**slow, "CELERY_VISIBILITY_TIMEOUT": "1"})
    _wait_state(article, {"done"}, [first, second])
    _assert_proposed_once(article, attempts=2)


def test_pool_process_killed_mid_task_is_rejected_back_to_the_queue(broker, start_worker, tmp_path):
    # Only the pool child dies: the parent sees the worker lost and, with
    # reject_on_worker_lost, puts the message back at once (no visibility timeout involved).
    worker = start_worker(
        broker.url,
        env={
            "CLAIM_PIPELINE": "tests.worker.pipelines.slow_once",
            "FACTCHECK_TEST_SLOW_MARKER": str(tmp_path / "slept"),
            "FACTCHECK_TEST_SLEEP": "120",
        },
    )
    article = _import()
    _wait_state(article, {"running"}, [worker])
    wait_for((tmp_path / "slept").exists, timeout=STARTUP, what="the pipeline to start sleeping")
    (child,) = worker.children()

    os.kill(child, signal.SIGKILL)

    _wait_state(article, {"done"}, [worker])
    _assert_proposed_once(article, attempts=2)


def test_import_while_redis_is_down_is_proposed_after_redis_returns_and_the_sweep_runs(
    broker, start_worker
):
    queued_before_outage = _import(title="Before", body=BODY)
    broker.stop()  # no persistence: the queued message is lost with it

    during_outage = _import(title="During", body=BODY.replace("Tuesday", "Wednesday"))

    for article in (queued_before_outage, during_outage):
        article.refresh_from_db()
        assert (article.proposal_state, article.proposal_attempts) == ("pending", 0)
    broker.start()
    worker = start_worker(broker.url)
    assert broker.client().llen("proposals") == 0  # nothing would ever propose them

    # As cron runs it: its own process (so nothing of this one's broker state carries over).
    output = run_manage("requeue_stale_articles", "--older-than", "0", broker_url=broker.url)
    assert "Requeued 2 article(s)" in output

    for article in (queued_before_outage, during_outage):
        _wait_state(article, {"done"}, [worker])
        _assert_proposed_once(article, attempts=1)


def test_task_twice_at_once_on_one_article_yields_one_set_of_claims(broker, start_worker):
    worker = start_worker(
        broker.url,
        concurrency=2,
        env={"CLAIM_PIPELINE": "tests.worker.pipelines.slow", "FACTCHECK_TEST_SLEEP": "1"},
    )
    article = _import()  # first message
    propose_claims.delay(article.pk)  # second message, in flight at the same time

    _wait_state(article, {"done"}, [worker])
    # Both runs started before either finished (the pipeline sleeps 1 s): both count.
    wait_for(
        lambda: Article.objects.get(pk=article.pk).proposal_attempts == 2,
        timeout=STARTUP,
        what="the second run",
    )
    wait_for(lambda: broker.client().hlen("unacked") == 0, timeout=STARTUP, what="both acks")
    article.refresh_from_db()
    _assert_proposed_once(article, attempts=2)


def test_task_failing_on_every_try_leaves_the_article_failed_with_error_and_attempts(
    broker, start_worker
):
    worker = start_worker(
        broker.url,
        env={
            "CLAIM_PIPELINE": "tests.worker.pipelines.database_down",
            "PROPOSAL_MAX_RETRIES": "2",
            "PROPOSAL_RETRY_BACKOFF_SECONDS": "0.1",
        },
    )

    article = _import()

    _wait_state(article, {"failed"}, [worker])
    assert article.proposal_error == (
        "OperationalError: server closed the connection unexpectedly (simulated)"
    )
    assert article.proposal_attempts == 3
    assert not Claim.objects.filter(article=article).exists()


def test_beat_schedule_runs_the_sweep_that_requeues_a_lost_article(broker, start_worker):
    fast_sweep = {"PROPOSAL_SWEEP_INTERVAL_SECONDS": "1", "PROPOSAL_STALE_AFTER_SECONDS": "1"}
    # Imported without a message at all, as if it had been lost.
    article = article_create(
        title="Lost", body=BODY, source="Harbour Herald", language="en", propose=False
    ).article
    worker = start_worker(broker.url, env=fast_sweep)
    beat = start_worker(broker.url, env=fast_sweep, beat=True)

    _wait_state(article, {"done"}, [worker, beat])
    _assert_proposed_once(article, attempts=1)


def test_run_cut_short_by_the_soft_time_limit_is_retried_and_finishes(
    broker, start_worker, tmp_path
):
    worker = start_worker(
        broker.url,
        env={
            "CLAIM_PIPELINE": "tests.worker.pipelines.slow_once",
            "FACTCHECK_TEST_SLOW_MARKER": str(tmp_path / "slept"),
            "FACTCHECK_TEST_SLEEP": "60",
            "PROPOSAL_RETRY_BACKOFF_SECONDS": "0.1",
        },
    )
    article = article_create(
        title="Slow", body=BODY, source="Harbour Herald", language="en", propose=False
    ).article
    article_mark_queued(article_id=article.pk)

    # The publisher stamps the time limits into the message (the worker's own settings only
    # apply to messages without them), so they are set here, where the message is sent.
    propose_claims.apply_async((article.pk,), soft_time_limit=2, time_limit=30)

    _wait_state(article, {"done"}, [worker])
    _assert_proposed_once(article, attempts=2)
    assert "SoftTimeLimitExceeded" in worker.output()


def test_a_worker_keeps_its_database_connection_from_one_task_to_the_next(broker, start_worker):
    # With a connection per task (Celery's default), every article would also pay for a new
    # PostgreSQL backend; here the one pool process's connection outlives both tasks.
    # Only backends opened from now on are the worker's: earlier tests may leave their own
    # connections to this database open.
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (before_worker,) = cursor.fetchone()
    worker = start_worker(broker.url, env={"DB_CONN_MAX_AGE": "60"})
    first = _import(title="First")
    _wait_state(first, {"done"}, [worker])
    second = _import(title="Second", body=BODY.replace("Tuesday", "Friday"))
    _wait_state(second, {"done"}, [worker])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT backend_start FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend' AND backend_start >= %s",
            [before_worker],
        )
        backends = [row[0] for row in cursor.fetchall()]
    assert len(backends) == 1, "the pool process's connection should still be open"
    assert backends[0] <= first.proposal_started_at
