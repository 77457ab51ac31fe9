"""The admin's "Re-run claim proposal" action."""

import pytest
from django.urls import reverse

from articles.models import Article
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

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _rerun(client, article)

    assert len(callbacks) == 1
    assert response.status_code == 200
    assert "Queued claim proposal for 1 article(s)." in response.content.decode()
    article.refresh_from_db()
    # Tasks run eagerly here: the re-run has already happened.
    assert article.proposal_state == "done"
    assert article.proposal_attempts >= 1
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.version) == ("verified", 2)
    assert article.claims.count() >= 1


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
