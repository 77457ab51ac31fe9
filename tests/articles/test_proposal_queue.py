"""articles.proposal_queue: proposal requests, sent to the claims task by name."""

import pytest

from articles import proposal_queue
from articles.models import ArticleProposalChange
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_batch_request_marks_every_article_pending_and_publishes_in_the_callers_order(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(proposal_queue, "_CHUNK", 2)  # several chunks with five articles
    published = []
    monkeypatch.setattr(proposal_queue, "publish_proposal", lambda pk: published.append(pk) or True)
    states = ["pending", "done", "failed", "pending", "unsupported"]
    articles = [ArticleFactory(proposal_state=s, proposal_requests=1) for s in states]
    ids = [a.pk for a in reversed(articles)]

    with django_capture_on_commit_callbacks(execute=True):
        proposal_queue.articles_request_proposal(article_ids=ids, actor="user eddie")

    assert published == ids
    for article in articles:
        article.refresh_from_db()
        assert (article.proposal_state, article.proposal_requests) == ("pending", 2)
    moved = set(ArticleProposalChange.objects.values_list("article_id", "from_state", "actor"))
    assert moved == {
        (articles[1].pk, "done", "user eddie"),
        (articles[2].pk, "failed", "user eddie"),
        (articles[4].pk, "unsupported", "user eddie"),
    }


def test_proposal_is_sent_by_task_name(monkeypatch):
    sent = []

    class Signature:
        def __init__(self, name, args):
            sent.append((name, args))

        def delay(self):
            return None

    monkeypatch.setattr(proposal_queue, "_broker_down_until", 0.0)
    monkeypatch.setattr(proposal_queue.current_app, "signature", Signature)

    assert proposal_queue.publish_proposal(42) is True
    assert sent == [("claims.tasks.propose_claims", (42,))]
