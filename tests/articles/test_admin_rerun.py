"""The admin's "Re-run claim proposal" action."""

import pytest
from django.urls import reverse

from articles.models import Article
from claims.proposal import article_propose_claims
from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def _rerun(client, *articles):
    return client.post(
        CHANGELIST,
        {"action": "rerun_proposal", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_editor_reruns_proposal_and_reviewed_claims_survive(
    client, editor, reviewer, django_capture_on_commit_callbacks
):
    editor.is_staff = True
    editor.save()
    article = ArticleFactory(proposal_state="done")
    reviewed = ClaimFactory(article=article)
    claim_set_status(claim_id=reviewed.pk, to_status="verified", user=reviewer)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _rerun(client, article)

    assert response.status_code == 200
    assert "Queued claim proposal for 1 article(s)." in response.content.decode()
    # One publish waits for the commit; until a worker runs it the article is pending.
    assert len(callbacks) == 1
    article.refresh_from_db()
    assert article.proposal_state == "pending"
    assert article.proposal_queued_at is not None

    # What the worker then does: the reviewed claim survives the re-run.
    article_propose_claims(article_id=article.pk)
    article.refresh_from_db()
    assert article.proposal_state == "done"
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.version) == ("verified", 2)


def test_reviewer_has_no_rerun_action(client, reviewer):
    reviewer.is_staff = True
    reviewer.save()
    article = ArticleFactory(proposal_state="done")
    client.force_login(reviewer)

    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert b'value="rerun_proposal"' not in response.content

    _rerun(client, article)
    assert Article.objects.get(pk=article.pk).proposal_attempts == 0
