"""The desk's side: publish and withdraw from the claim page, the corrections queue."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.services import claim_set_status
from publishing.models import (
    Correction,
    CorrectionTask,
    Publication,
    PublicationChange,
)
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_reviewer_publishes_from_the_claim_page_and_it_is_recorded(
    reviewer_client, reviewer, verified_claim
):
    page = reviewer_client.get(f"/claims/{verified_claim.pk}/").content.decode()
    assert f'action="/claims/{verified_claim.pk}/publish/"' in page

    response = reviewer_client.post(
        f"/claims/{verified_claim.pk}/publish/", {"rationale": "  Minutes confirm it.  "}
    )

    assert response.status_code == 302
    publication = Publication.objects.get(claim=verified_claim)
    assert (publication.state, publication.rationale, publication.published_by) == (
        "published",
        "Minutes confirm it.",
        reviewer,
    )
    change = PublicationChange.objects.get(claim=verified_claim)
    assert (change.action, change.status, change.user) == ("published", "verified", reviewer)
    page = reviewer_client.get(f"/claims/{verified_claim.pk}/").content.decode()
    assert "Publishing history" in page and "Published" in page
    assert f"https://facts.example.org/fact-checks/{verified_claim.pk}/" in page


def test_publishing_again_with_the_same_text_is_a_no_op_and_new_text_an_update(
    reviewer_client, published_claim
):
    url = f"/claims/{published_claim.pk}/publish/"
    same = Publication.objects.get().rationale

    reviewer_client.post(url, {"rationale": same})
    reviewer_client.post(url, {"rationale": "A clearer rationale."})

    actions = list(PublicationChange.objects.values_list("action", flat=True))
    assert actions == ["published", "updated"]
    assert Publication.objects.get().rationale == "A clearer rationale."


@pytest.mark.parametrize(
    ("rationale", "error"),
    [("   ", "A public rationale is required."), ("x" * 5001, "at most 5000 characters")],
)
def test_publishing_without_a_usable_rationale_is_refused_and_writes_nothing(
    reviewer_client, verified_claim, rationale, error
):
    response = reviewer_client.post(
        f"/claims/{verified_claim.pk}/publish/", {"rationale": rationale}
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Publication.objects.exists() and not PublicationChange.objects.exists()


def test_a_claim_without_a_verdict_cannot_be_published(reviewer_client):
    claim = ClaimFactory()

    response = reviewer_client.post(f"/claims/{claim.pk}/publish/", {"rationale": "Because."})

    assert response.status_code == 409
    assert "has no verdict to publish (it is proposed)" in response.content.decode()
    assert not Publication.objects.exists()


def test_editors_cannot_publish_and_anonymous_users_are_sent_to_log_in(
    editor_client, verified_claim
):
    assert (
        editor_client.post(f"/claims/{verified_claim.pk}/publish/", {"rationale": "x"}).status_code
        == 403
    )
    response = Client().post(f"/claims/{verified_claim.pk}/publish/", {"rationale": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Publication.objects.exists()


def test_withdrawing_records_who_and_a_second_withdrawal_is_refused(
    reviewer_client, reviewer, published_claim
):
    url = f"/claims/{published_claim.pk}/unpublish/"

    assert reviewer_client.post(url, {"note": "Wrong article"}).status_code == 302
    second = reviewer_client.post(url)

    assert second.status_code == 409
    publication = Publication.objects.get()
    assert (publication.state, publication.withdrawn_by) == ("withdrawn", reviewer)
    assert list(PublicationChange.objects.values_list("action", flat=True)) == [
        "published",
        "withdrawn",
    ]


def _task(published_claim, reviewer):
    claim_set_status(claim_id=published_claim.pk, to_status="disputed", user=reviewer, note="x")
    return CorrectionTask.objects.get()


def test_the_corrections_queue_lists_open_items_for_editors_with_a_nav_badge(
    editor_client, published_claim, reviewer
):
    task = _task(published_claim, reviewer)

    response = editor_client.get("/corrections/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="task-{task.pk}"' in html
    assert published_claim.article.title in html
    assert 'data-nav="corrections"' in html
    assert 'aria-label="1 corrections to make"' in html


def test_reviewers_do_not_see_the_corrections_queue(reviewer_client, published_claim):
    assert reviewer_client.get("/corrections/").status_code == 403
    page = reviewer_client.get("/").content.decode()
    assert 'data-nav="corrections"' not in page


def test_an_editor_closes_an_item_once(editor_client, editor, published_claim, reviewer):
    task = _task(published_claim, reviewer)
    url = f"/corrections/{task.pk}/close/"

    assert editor_client.post(url, {"note": "Corrected <b>paragraph 2</b>"}).status_code == 302
    task.refresh_from_db()
    assert (task.state, task.closed_by, task.note) == (
        "done",
        editor,
        "Corrected <b>paragraph 2</b>",
    )
    closed_at = task.closed_at

    editor_client.post(url, {"note": "again"})

    task.refresh_from_db()
    assert (task.closed_at, task.note) == (closed_at, "Corrected <b>paragraph 2</b>")
    html = editor_client.get("/corrections/").content.decode()
    assert "No corrections to make." in html
    assert "Corrected &lt;b&gt;paragraph 2&lt;/b&gt;" in html
    assert Correction.objects.count() == 1


def test_the_workspace_footer_links_the_api_docs(reviewer_client):
    html = reviewer_client.get("/").content.decode()

    assert '<a href="/api/v1/docs/">API docs</a>' in html
