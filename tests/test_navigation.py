"""factcheck.navigation: registered entries, cached badge counts, a failing count, visibility;
and the apps' real badges (overdue, due for re-check, verdict changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from claims.services import claim_set_status
from factcheck import navigation
from factcheck.navigation import NavItem, invalidate_nav_counts, nav_items, register_nav_item
from matching.models import ClaimRereview
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registry():
    saved = dict(navigation._REGISTRY)
    cache.clear()
    yield
    navigation._REGISTRY.clear()
    navigation._REGISTRY.update(saved)
    cache.clear()


def _request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _only(*keys):
    for key in list(navigation._REGISTRY):
        if key not in keys:
            del navigation._REGISTRY[key]


def test_entries_come_in_order_with_their_counts(reviewer):
    _only()
    register_nav_item("b", label="Second", url_name="claims:queue", order=20, count=lambda u: 3)
    register_nav_item(
        "a", label="First", url_name="claims:queue", url_query="due=overdue", order=10
    )

    items = nav_items(_request(reviewer))

    assert [(i.key, i.label, i.url, i.count) for i in items] == [
        ("a", "First", "/?due=overdue", None),
        ("b", "Second", "/", 3),
    ]


def test_counts_are_cached_per_user_until_invalidated(reviewer, other_reviewer, settings):
    settings.NAV_BADGE_CACHE_SECONDS = 30
    _only()
    calls = []

    def count(user):
        calls.append(user.pk)
        return len(calls)

    register_nav_item("n", label="N", url_name="claims:queue", count=count)

    assert nav_items(_request(reviewer))[0].count == 1
    assert nav_items(_request(reviewer))[0].count == 1  # cached
    assert nav_items(_request(other_reviewer))[0].count == 2  # per user
    invalidate_nav_counts(reviewer.pk)
    assert nav_items(_request(reviewer))[0].count == 3
    assert calls == [reviewer.pk, other_reviewer.pk, reviewer.pk]


def test_no_caching_when_the_ttl_is_zero(reviewer, settings):
    settings.NAV_BADGE_CACHE_SECONDS = 0
    _only()
    calls = []
    register_nav_item("n", label="N", url_name="claims:queue", count=lambda u: calls.append(1))

    nav_items(_request(reviewer))
    nav_items(_request(reviewer))

    assert len(calls) == 2


def test_a_failing_count_shows_the_entry_without_a_badge_and_the_page_still_renders(
    reviewer_client, caplog
):
    def broken(user):
        raise RuntimeError("database hiccup")

    register_nav_item("broken", label="Broken", url_name="claims:queue", count=broken)

    response = reviewer_client.get(reverse("claims:queue"))

    assert response.status_code == 200
    (item,) = [i for i in response.context["nav_items"] if i.key == "broken"]
    assert item.count is None and item.badge == ""
    assert 'data-nav="broken">Broken</a>' in response.content.decode()
    assert "navigation badge broken failed" in caplog.text


def test_invisible_entries_and_anonymous_users_get_nothing(reviewer, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    _only()
    register_nav_item("staff", label="Staff", url_name="claims:queue", visible=lambda u: u.is_staff)
    register_nav_item("all", label="All", url_name="claims:queue")
    hidden_count = []
    register_nav_item(
        "hidden",
        label="Hidden",
        url_name="claims:queue",
        visible=lambda u: False,
        count=lambda u: hidden_count.append(1) or 1,
    )

    assert [i.key for i in nav_items(_request(reviewer))] == ["all"]
    assert hidden_count == []  # an invisible entry's count is never run
    assert nav_items(_request(AnonymousUser())) == []


def test_the_current_page_is_marked(reviewer_client):
    response = reviewer_client.get(reverse("claims:recheck"))

    current = [i.key for i in response.context["nav_items"] if i.current]
    assert current == ["recheck"]


def test_a_provider_adds_its_own_entries(reviewer):
    _only()
    register_nav_item(
        "views",
        order=5,
        provider=lambda user: [NavItem(key="view-1", label="Mine", url="/?q=x", count=2)],
    )
    register_nav_item("z", label="Z", url_name="claims:queue", order=50)

    assert [i.key for i in nav_items(_request(reviewer))] == ["view-1", "z"]


@pytest.mark.parametrize(
    ("count", "badge"), [(None, ""), (0, ""), (7, "7"), (1000, "1,000"), (1001, "1,000+")]
)
def test_badge_text(count, badge):
    assert NavItem(key="k", label="L", url="/", count=count).badge == badge


# --- the apps' badges -------------------------------------------------------------------------


def test_overdue_recheck_and_verdict_changed_badges(reviewer_client):
    for hours in (-3, -1, 2):
        claim = ClaimFactory(article=ArticleFactory())
        Claim.objects.filter(pk=claim.pk).update(due_at=timezone.now() + dt.timedelta(hours=hours))
    expired = ClaimFactory(article=ArticleFactory())
    claim_set_status(claim_id=expired.pk, to_status="verified", user=None)
    Claim.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    source = ClaimFactory(article=ArticleFactory())
    for _ in range(2):
        flagged = ClaimFactory(article=ArticleFactory())
        ClaimRereview.objects.create(
            claim=flagged, source=source, from_status="verified", to_status="disputed"
        )
    ClaimRereview.objects.create(
        claim=ClaimFactory(article=ArticleFactory()),
        source=source,
        from_status="verified",
        to_status="disputed",
        resolved_at=timezone.now(),
    )

    response = reviewer_client.get(reverse("claims:queue"))

    counts = {i.key: i.count for i in response.context["nav_items"]}
    assert counts["overdue"] == 2
    assert counts["recheck"] == 1
    assert counts["verdict_changed"] == 2
    html = response.content.decode()
    assert 'href="/?due=overdue&amp;sort=due"' in html
    assert 'aria-label="2 overdue">2</span>' in html


def test_badges_are_not_shown_to_users_outside_the_workspace(client, django_user_model):
    user = django_user_model.objects.create_user("outsider", password="x")
    client.force_login(user)
    keys = [i.key for i in nav_items(_request(user))]
    assert "overdue" not in keys and "recheck" not in keys
