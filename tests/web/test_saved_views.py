"""Saved views: save the queue filter with a name, share it, see its count in the navigation,
delete your own; hostile and malformed input is refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims.models import SavedView
from claims.saved_views import SavedViewError, clean_query, saved_view_create
from claims.services import claim_assign
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("claims:saved_view_create")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_reviewer_saves_the_current_filter_and_sees_it_with_its_count(reviewer_client, reviewer):
    ClaimFactory(article=ArticleFactory(source="Daily Bugle"), claim_type="quote")
    ClaimFactory(article=ArticleFactory(source="Daily Bugle"), claim_type="quantity")
    ClaimFactory(article=ArticleFactory(source="Harbour Herald"))

    response = reviewer_client.post(
        CREATE,
        {"name": "  Bugle   figures ", "query": "source=Daily+Bugle&after=17", "shared": "on"},
        follow=True,
    )

    view = SavedView.objects.get()
    assert (view.owner, view.name, view.query, view.shared) == (
        reviewer,
        "Bugle figures",
        "source=Daily+Bugle",
        True,
    )
    assert response.redirect_chain[-1][0] == "/?source=Daily+Bugle"
    assert _messages(response) == ["Saved the view “Bugle figures”."]
    (item,) = [i for i in response.context["nav_items"] if i.key == f"saved-view-{view.pk}"]
    assert (item.label, item.url, item.count) == ("Bugle figures", "/?source=Daily+Bugle", 2)


def test_a_shared_view_shows_to_the_desk_and_a_private_one_does_not(
    client, reviewer, other_reviewer
):
    saved_view_create(owner=reviewer, name="Shared one", query="claim_type=quote", shared=True)
    saved_view_create(owner=reviewer, name="Private one", query="claim_type=event")
    client.force_login(other_reviewer)

    response = client.get(reverse("claims:queue"))

    labels = [i.label for i in response.context["nav_items"] if i.key.startswith("saved-view-")]
    assert labels == ["Shared one (shared)"]
    assert response.context["own_views"] == []


def test_mine_counts_per_user(client, reviewer, other_reviewer):
    mine = ClaimFactory()
    claim_assign(claim_id=mine.pk, assignee=reviewer, user=reviewer)
    view = saved_view_create(owner=reviewer, name="Mine", query="assignee=me", shared=True)

    client.force_login(reviewer)
    counts = {i.key: i.count for i in client.get(reverse("claims:queue")).context["nav_items"]}
    client.force_login(other_reviewer)
    other = {i.key: i.count for i in client.get(reverse("claims:queue")).context["nav_items"]}

    assert counts[f"saved-view-{view.pk}"] == 1
    assert other[f"saved-view-{view.pk}"] == 0


def test_counts_are_cached(reviewer_client, reviewer, django_assert_max_num_queries):
    saved_view_create(owner=reviewer, name="Quotes", query="claim_type=quote")
    ClaimFactory(claim_type="quote")
    reviewer_client.get(reverse("claims:queue"))
    ClaimFactory(claim_type="quote", article=ArticleFactory())

    response = reviewer_client.get(reverse("claims:queue"))

    (item,) = [i for i in response.context["nav_items"] if i.key.startswith("saved-view-")]
    assert item.count == 1  # the cached figure, not a recount


def test_a_text_search_view_has_no_badge(reviewer_client, reviewer):
    saved_view_create(owner=reviewer, name="Budget", query="q=budget")

    response = reviewer_client.get(reverse("claims:queue"))

    (item,) = [i for i in response.context["nav_items"] if i.key.startswith("saved-view-")]
    assert item.count is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=bogus", "The filter is not valid (status: Select a valid choice."),
        ("created_from=2024-13-45", "The filter is not valid (created_from: Enter a valid date."),
        ("evil=1", "Unknown filter parameter 'evil'; a view can filter on status, article"),
        (
            "status=proposed&status=verified",
            "Filter parameter 'status' is given more than once.",
        ),
        ("q=" + "x" * 1200, "The filter is too long (1202 characters, at most 1000)."),
        (
            "source=x'%3B+DROP+TABLE+claims_claim%3B--&<script>=1",
            "Unknown filter parameter '<script>'",
        ),
    ],
)
def test_bad_queries_are_refused_naming_the_problem(reviewer_client, query, message):
    response = reviewer_client.post(CREATE, {"name": "View", "query": query}, follow=True)

    assert SavedView.objects.count() == 0
    (text,) = _messages(response)
    assert text.startswith("The view was not saved: " + message), text
    html = response.content.decode()
    assert "<script>=1" not in html
    assert response.redirect_chain[-1][0] == "/"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the view a name."),
        ("   ", "Give the view a name."),
        ("x" * 61, "The name is too long (61 characters, at most 60)."),
        ("tab\u0000null", "The name contains control characters."),
    ],
)
def test_bad_names_are_refused(reviewer_client, name, message):
    response = reviewer_client.post(CREATE, {"name": name, "query": "status=proposed"}, follow=True)

    assert SavedView.objects.count() == 0
    assert _messages(response) == [f"The view was not saved: {message}"]
    assert response.redirect_chain[-1][0] == "/?status=proposed"


def test_a_script_in_the_name_is_saved_as_text_and_shown_escaped(reviewer_client):
    response = reviewer_client.post(
        CREATE, {"name": "<script>alert(1)</script>", "query": ""}, follow=True
    )

    assert SavedView.objects.get().name == "<script>alert(1)</script>"
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_names_are_unique_per_owner(reviewer, other_reviewer):
    saved_view_create(owner=reviewer, name="Quotes", query="claim_type=quote")
    saved_view_create(owner=other_reviewer, name="Quotes", query="claim_type=quote")

    with pytest.raises(SavedViewError, match="You already have a view named"):
        saved_view_create(owner=reviewer, name="Quotes", query="")
    assert SavedView.objects.count() == 2


def test_there_is_a_limit_per_reviewer(reviewer, settings):
    settings.SAVED_VIEWS_PER_USER = 2
    saved_view_create(owner=reviewer, name="One", query="")
    saved_view_create(owner=reviewer, name="Two", query="")

    with pytest.raises(SavedViewError, match="You have 2 saved views already"):
        saved_view_create(owner=reviewer, name="Three", query="")


def test_clean_query_normalises_the_order_and_drops_empty_values():
    assert clean_query("?q=&claim_type=quote&status=verified") == "status=verified&claim_type=quote"
    assert clean_query("") == ""


def test_a_reviewer_deletes_their_own_view_but_not_anothers(client, reviewer, other_reviewer):
    mine = saved_view_create(owner=reviewer, name="Mine", query="", shared=True)
    client.force_login(other_reviewer)

    refused = client.post(reverse("claims:saved_view_delete", args=[mine.pk]), follow=True)

    assert _messages(refused) == ["No such saved view of yours."]
    assert SavedView.objects.filter(pk=mine.pk).exists()
    client.force_login(reviewer)
    done = client.post(
        reverse("claims:saved_view_delete", args=[mine.pk]),
        {"queue": "status=verified"},
        follow=True,
    )
    assert _messages(done) == ["Deleted the saved view."]
    assert done.redirect_chain[-1][0] == "/?status=verified"
    assert not SavedView.objects.exists()


def test_saving_needs_a_post_and_a_workspace_user(client, django_user_model, reviewer_client):
    assert reviewer_client.get(CREATE).status_code == 405
    outsider = django_user_model.objects.create_user("outsider", password="x")
    client.force_login(outsider)
    assert client.post(CREATE, {"name": "x", "query": ""}).status_code == 403
    assert not SavedView.objects.exists()
