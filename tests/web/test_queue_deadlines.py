"""The queue by due time: "due soonest" sort, the overdue filter, due labels, desk figures, and the
"due for re-check" page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims import desk_selectors, selectors
from claims.models import Claim
from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("claims:queue")
RECHECK = reverse("claims:recheck")


@pytest.fixture(autouse=True)
def _no_cached_figures():
    cache.clear()
    yield
    cache.clear()


def _listed_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'name="claim" value="(\d+)"', response.content.decode())]


def _due(claim: Claim, hours: float) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(due_at=timezone.now() + dt.timedelta(hours=hours))
    claim.refresh_from_db()
    return claim


def _claims_with_due_times():
    soon = _due(ClaimFactory(score=0.3, article=ArticleFactory()), 1)
    late = _due(ClaimFactory(score=0.9, article=ArticleFactory()), -5)
    later = _due(ClaimFactory(score=0.95, article=ArticleFactory()), -2)
    far = _due(ClaimFactory(score=0.99, article=ArticleFactory()), 30)
    undated = ClaimFactory(score=0.5, article=ArticleFactory())
    Claim.objects.filter(pk=undated.pk).update(due_at=None)
    return soon, late, later, far, undated


def test_due_soonest_sorts_by_due_time_and_leaves_out_claims_without_one(reviewer_client):
    soon, late, later, far, _undated = _claims_with_due_times()

    response = reviewer_client.get(QUEUE, {"sort": "due"})

    assert response.status_code == 200
    assert _listed_ids(response) == [late.pk, later.pk, soon.pk, far.pk]


def test_overdue_filter_lists_only_claims_to_review_past_their_due_time(reviewer_client):
    _soon, late, later, _far, _undated = _claims_with_due_times()
    answered = _due(ClaimFactory(score=0.99, article=ArticleFactory()), -9)
    claim_set_status(claim_id=answered.pk, to_status="verified", user=None)

    by_score = reviewer_client.get(QUEUE, {"due": "overdue"})
    by_due = reviewer_client.get(QUEUE, {"due": "overdue", "sort": "due", "status": "all"})

    assert _listed_ids(by_score) == [later.pk, late.pk]
    assert _listed_ids(by_due) == [late.pk, later.pk]
    counts = {status: n for status, _, n, _, _ in by_due.context["counts"]}
    assert counts == {"proposed": 2, "verified": 0, "disputed": 0, "unconfirmed": 0, "dismissed": 0}


def test_rows_show_the_due_time_or_how_long_overdue(reviewer_client):
    _soon, _late, *_ = _claims_with_due_times()

    html = reviewer_client.get(QUEUE, {"sort": "due"}).content.decode()

    assert re.search(r'class="overdue" data-due>overdue by 5 h</time>', html)
    assert re.search(r"data-due>due in (59 min|1 h)</time>", html)


def test_due_sorted_pages_follow_each_other_without_gaps(reviewer_client):
    article = ArticleFactory()
    body = article.body
    claims = []
    sentence_ends = [m.end() for m in re.finditer(r"[.?]", body)]
    start = 0
    for end in sentence_ends[:4]:
        claims.append(ClaimFactory(article=article, start=start, end=end))
        start = end
    now = timezone.now()
    for i, claim in enumerate(claims):
        # Two share a due time: the id breaks the tie.
        Claim.objects.filter(pk=claim.pk).update(due_at=now + dt.timedelta(hours=min(i, 2)))
        claim.refresh_from_db()
    user = reviewer_client.get(QUEUE).wsgi_request.user
    filters = selectors.QueueFilters(sort="due")

    first = selectors.claim_queue_page(filters=filters, user=user, size=2)
    second = selectors.claim_queue_page(
        filters=filters, user=user, after_id=first.next_cursor, size=2
    )
    back = selectors.claim_queue_page(
        filters=filters, user=user, before_id=second.claims[0].pk, size=2
    )

    ids = [c.pk for c in claims]
    assert [c.pk for c in first.claims] == ids[:2]
    assert [c.pk for c in second.claims] == ids[2:]
    assert [c.pk for c in back.claims] == ids[:2]
    previous, following = selectors.claim_queue_neighbours(
        claim=claims[2], filters=filters, user=user
    )
    assert (previous, following) == (ids[1], ids[3])


def test_bad_sort_and_due_values_are_ignored_and_named(reviewer_client):
    response = reviewer_client.get(
        QUEUE, {"sort": "<script>alert(1)</script>", "due": "'; DROP TABLE claims_claim; --"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Some filters were ignored" in html
    assert set(response.context["form"].errors) == {"sort", "due"}


def test_the_csv_link_keeps_the_overdue_filter(reviewer_client):
    response = reviewer_client.get(QUEUE, {"due": "overdue", "sort": "due"})

    assert "overdue=true" in response.context["csv_url"]
    assert "sort=" not in response.context["csv_url"]


def test_queue_shows_the_desk_figures(reviewer_client):
    _claims_with_due_times()
    done = ClaimFactory(score=0.9, article=ArticleFactory())
    Claim.objects.filter(pk=done.pk).update(created_at=timezone.now() - dt.timedelta(hours=6))
    claim_set_status(claim_id=done.pk, to_status="verified", user=None)

    response = reviewer_client.get(QUEUE)

    figures = response.context["figures"]
    assert figures.median_hours_to_verdict == pytest.approx(6.0, abs=0.1)
    assert (figures.overdue, figures.proposed) == (2, 5)
    assert figures.share_overdue == pytest.approx(0.4)
    html = response.content.decode()
    assert "median time to verdict <strong>6.0 h</strong>" in html
    assert "<strong>40%</strong> of the claims to review (2 of 5)" in html


def test_desk_figures_are_cached_and_empty_when_there_is_nothing():
    figures = desk_selectors.desk_figures()
    assert figures.median_hours_to_verdict is None
    assert figures.share_overdue is None
    ClaimFactory()
    assert desk_selectors.desk_figures().proposed == 0  # cached
    assert desk_selectors.desk_figures(fresh=True).proposed == 1


# --- due for re-check -------------------------------------------------------------------------


def _expired(days_ago: float, **kwargs) -> Claim:
    claim = ClaimFactory(article=ArticleFactory(), **kwargs)
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    Claim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return claim


def test_recheck_page_lists_expired_verdicts_longest_expired_first(reviewer_client):
    newer = _expired(1)
    older = _expired(10)
    not_yet = _expired(-3)

    response = reviewer_client.get(RECHECK)

    assert response.status_code == 200
    ids = [c.pk for c in response.context["page"].claims]
    assert ids == [older.pk, newer.pk]
    assert not_yet.pk not in ids
    assert "10 days ago" in response.content.decode()


def test_recheck_page_is_keyset_paged(reviewer_client):
    claims = [_expired(d) for d in (5, 4, 3)]

    first = desk_selectors.recheck_page(size=2)
    second = desk_selectors.recheck_page(after_id=first.next_cursor, size=2)

    assert [c.pk for c in first.claims] == [claims[0].pk, claims[1].pk]
    assert [c.pk for c in second.claims] == [claims[2].pk]
    assert not second.has_next
    assert reviewer_client.get(RECHECK, {"after": "x' OR 1=1"}).status_code == 200


def test_recheck_page_runs_a_constant_number_of_queries(
    client, reviewer, django_assert_max_num_queries
):
    for days in range(5):
        _expired(days + 1)
    client.force_login(reviewer)
    client.get(RECHECK)  # fills the navigation badge cache

    # session, user, permissions (2), page rows
    with django_assert_max_num_queries(6):
        response = client.get(RECHECK)
    assert len(response.context["page"].claims) == 5


def test_recheck_page_needs_a_workspace_user(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    assert client.get(RECHECK).status_code == 403
    client.logout()
    assert client.get(RECHECK).status_code == 302
