"""The triage queue page: ranking, filters, counts, keyset pages, bulk actions, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import selectors
from claims.models import Claim, ClaimStatusChange
from claims.services import claim_assign, claim_set_status
from tests.factories import ArticleFactory, ClaimFactory, ReviewerFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("claims:queue")


def _listed_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'name="claim" value="(\d+)"', response.content.decode())]


def test_queue_lists_claims_to_review_by_score_then_age(reviewer_client):
    low = ClaimFactory(score=0.5)
    high = ClaimFactory(score=0.95)
    tie_old = ClaimFactory(score=0.7)
    tie_new = ClaimFactory(score=0.7)
    Claim.objects.filter(pk=tie_old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    reviewed = ClaimFactory(score=0.99)
    claim_set_status(claim_id=reviewed.pk, to_status="verified", user=None)

    response = reviewer_client.get(QUEUE)

    assert response.status_code == 200
    assert _listed_ids(response) == [high.pk, tie_old.pk, tie_new.pk, low.pk]


def _filter_cases(reviewer, other):
    """(query, ids expected) built on a fixed set of claims."""
    flood = ArticleFactory(source="River Times")
    a = ClaimFactory(article=flood, claim_type="quantity", claimer="Mayor Dana Whitfield")
    b = ClaimFactory(claim_type="event", claimer="Police spokesperson")
    c = ClaimFactory(claim_type="quote", claimer="")
    Claim.objects.filter(pk=c.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    d = ClaimFactory()
    claim_set_status(claim_id=d.pk, to_status="disputed", user=other, note="no source")
    claim_assign(claim_id=a.pk, assignee=reviewer, user=reviewer)
    claim_assign(claim_id=b.pk, assignee=other, user=other)
    ten_days_ago = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    nine_days_ago = (timezone.localdate() - dt.timedelta(days=9)).isoformat()
    return [
        ({}, {a.pk, b.pk, c.pk}),
        ({"status": "disputed"}, {d.pk}),
        ({"status": "all"}, {a.pk, b.pk, c.pk, d.pk}),
        ({"article": flood.pk}, {a.pk}),
        ({"source": "River Times"}, {a.pk}),
        ({"claim_type": "event"}, {b.pk}),
        ({"claimer": "whitfield"}, {a.pk}),
        ({"assignee": "me"}, {a.pk}),
        ({"assignee": "none"}, {c.pk}),
        ({"assignee": str(other.pk)}, {b.pk}),
        ({"created_from": ten_days_ago, "created_to": ten_days_ago}, {c.pk}),
        ({"created_from": nine_days_ago}, {a.pk, b.pk}),
        ({"q": c.text[5:25].upper()}, {a.pk, b.pk, c.pk}),
        ({"q": "no such words anywhere"}, set()),
        # An invalid filter is ignored (and reported), not fatal.
        ({"article": "not-a-number"}, {a.pk, b.pk, c.pk}),
    ]


def test_queue_filters_narrow_the_list(client, reviewer, other_reviewer):
    client.force_login(reviewer)
    for query, expected in _filter_cases(reviewer, other_reviewer):
        response = client.get(QUEUE, query)
        assert response.status_code == 200, query
        assert set(_listed_ids(response)) == expected, query


def test_queue_shows_counts_per_status_under_the_other_filters(reviewer_client, reviewer):
    article = ArticleFactory()
    body = article.body
    claims = []
    for sentence_end in [m.end() for m in re.finditer(r"[.?]", body)][:4]:
        start = body.rfind("\n", 0, sentence_end - 1) + 1
        claims.append(ClaimFactory(article=article, start=start, end=sentence_end))
    claim_set_status(claim_id=claims[0].pk, to_status="verified", user=reviewer)
    claim_set_status(claim_id=claims[1].pk, to_status="disputed", user=reviewer, note="n")
    ClaimFactory()  # another article: outside the article filter

    response = reviewer_client.get(QUEUE, {"article": article.pk})

    counts = {status: n for status, _label, n, _shown, _q in response.context["counts"]}
    assert counts == {
        "proposed": 2,
        "verified": 1,
        "disputed": 1,
        "unconfirmed": 0,
        "dismissed": 0,
    }
    assert response.context["total"] == 4


def test_queue_pages_follow_the_ranking_without_gaps_or_repeats(
    reviewer_client, make_article, monkeypatch
):
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 4)
    _, claims = make_article(10)
    ranked = [c.pk for c in sorted(claims, key=lambda c: -c.score)]

    seen, query, pages = [], {}, 0
    while True:
        response = reviewer_client.get(QUEUE, query)
        seen += _listed_ids(response)
        pages += 1
        page = response.context["page"]
        if not page.has_next:
            break
        query = {"after": page.next_cursor}
    back = reviewer_client.get(QUEUE, {"before": response.context["page"].claims[0].pk})

    assert seen == ranked
    assert pages == 3
    assert _listed_ids(back) == ranked[4:8]
    assert back.context["page"].has_previous is True


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "format=csv&status=proposed"),
        ({"status": "all", "source": "Herald"}, "format=csv&source=Herald"),
        (
            {"status": "verified", "claimer": "Mayor", "q": "homes"},
            "format=csv&claimer=Mayor&q=homes&status=verified",
        ),
        ({"assignee": "me"}, "format=csv&status=proposed&assignee=rita"),
        ({"assignee": "none"}, "format=csv&status=proposed&assignee=none"),
        ({"assignee": "OTHER"}, "format=csv&status=proposed&assignee=omar"),
    ],
)
def test_csv_link_asks_the_api_for_the_same_filter(
    client, reviewer, other_reviewer, query, expected
):
    client.force_login(reviewer)
    if query.get("assignee") == "OTHER":
        query["assignee"] = str(other_reviewer.pk)
    response = client.get(QUEUE, query)
    assert response.context["csv_url"] == f"/api/v1/claims/?{expected}"
    assert f'href="/api/v1/claims/?{expected.replace("&", "&amp;")}"' in response.content.decode()


def test_claim_links_keep_the_queue_filter(reviewer_client):
    claim = ClaimFactory(claim_type="event")
    response = reviewer_client.get(QUEUE, {"claim_type": "event"})
    url = reverse("claims:claim", args=[claim.pk])
    assert f'href="{url}?claim_type=event"' in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_queue_runs_a_constant_number_of_queries(
    client, reviewer, rows, django_assert_max_num_queries
):
    for i in range(rows):
        claim = ClaimFactory(score=0.5 + i / 200)
        claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)
    client.force_login(reviewer)
    client.get(QUEUE, {"assignee": "me"})  # fills the cached badge counts and desk figures

    # session, user, permissions (2), status counts, page rows, reviewer list, saved views
    with django_assert_max_num_queries(8):
        response = client.get(QUEUE, {"assignee": "me"})
    assert len(response.context["page"].claims) == rows


# --- bulk actions ---------------------------------------------------------------------------


def _bulk(client, claims, action, **extra):
    data = {"action": action, "claim": [c.pk for c in claims], "queue": "status=proposed"}
    data.update({f"version_{c.pk}": c.version for c in claims})
    data.update(extra)
    return client.post(reverse("claims:bulk"), data, follow=True)


def test_bulk_assign_to_me_assigns_every_selected_claim(reviewer_client, reviewer):
    claims = [ClaimFactory(), ClaimFactory()]
    response = _bulk(reviewer_client, claims, "assign_me")
    assert response.redirect_chain[-1][0] == f"{QUEUE}?status=proposed"
    assert [c.assignee for c in Claim.objects.filter(pk__in=[c.pk for c in claims])] == [
        reviewer,
        reviewer,
    ]
    assert "2 claims assigned to rita." in response.content.decode()


def test_bulk_assign_to_another_reviewer(reviewer_client, other_reviewer):
    claim = ClaimFactory()
    _bulk(reviewer_client, [claim], "assign", assignee=other_reviewer.pk)
    claim.refresh_from_db()
    assert claim.assignee == other_reviewer


def test_bulk_assign_refuses_a_user_who_is_not_a_reviewer(reviewer_client, editor):
    claim = ClaimFactory()
    response = _bulk(reviewer_client, [claim], "assign", assignee=editor.pk)
    claim.refresh_from_db()
    assert claim.assignee is None
    assert "only be assigned to active reviewers" in response.content.decode()


def test_bulk_dismiss_reports_each_conflict_and_changes_only_the_rest(
    reviewer_client, other_reviewer
):
    fresh, raced, verified = ClaimFactory(), ClaimFactory(), ClaimFactory()
    loaded = {c.pk: c.version for c in (fresh, raced, verified)}
    # Another reviewer acts on two of them after the queue was loaded.
    claim_set_status(claim_id=raced.pk, to_status="verified", user=other_reviewer)
    claim_set_status(claim_id=verified.pk, to_status="verified", user=other_reviewer)
    verified.refresh_from_db()  # this one the reviewer saw already verified

    data = {"action": "dismiss", "claim": [fresh.pk, raced.pk, verified.pk], "queue": ""}
    data.update({f"version_{pk}": v for pk, v in loaded.items()})
    data[f"version_{verified.pk}"] = verified.version
    response = reviewer_client.post(reverse("claims:bulk"), data, follow=True)
    html = response.content.decode()

    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {fresh.pk: "dismissed", raced.pk: "verified", verified.pk: "verified"}
    assert "1 claim dismissed." in html
    assert f"Claim #{raced.pk} was not changed" in html
    assert "now “Verified”, last set by omar" in html
    assert f"Claim #{verified.pk} was not changed: a verified claim cannot be dismissed" in html
    assert ClaimStatusChange.objects.filter(claim=fresh, to_status="dismissed").count() == 1


def test_bulk_without_a_selection_says_so(reviewer_client):
    response = reviewer_client.post(
        reverse("claims:bulk"), {"action": "assign_me", "queue": ""}, follow=True
    )
    assert "Select at least one claim." in response.content.decode()


def test_reviewer_choices_lists_only_reviewers(reviewer, editor):
    ReviewerFactory(username="zed", is_active=False)
    assert [u.username for u in selectors.reviewer_choices()] == ["rita"]


def test_all_statuses_are_ranked_together_across_pages(reviewer_client, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 2)
    scores = {"verified": 0.95, "proposed": 0.9, "disputed": 0.8, "dismissed": 0.7}
    by_score = []
    for status, score in scores.items():
        claim = ClaimFactory(score=score)
        if status != "proposed":
            claim_set_status(claim_id=claim.pk, to_status=status, user=None, note="n")
        by_score.append(claim.pk)
    ClaimFactory(score=0.6)  # and one more proposed
    by_score.append(Claim.objects.latest("pk").pk)

    first = reviewer_client.get(QUEUE, {"status": "all"})
    second = reviewer_client.get(
        QUEUE, {"status": "all", "after": first.context["page"].next_cursor}
    )
    third = reviewer_client.get(
        QUEUE, {"status": "all", "after": second.context["page"].next_cursor}
    )
    back = reviewer_client.get(
        QUEUE, {"status": "all", "before": third.context["page"].claims[0].pk}
    )

    assert _listed_ids(first) + _listed_ids(second) + _listed_ids(third) == by_score
    assert third.context["page"].has_next is False
    assert _listed_ids(back) == by_score[2:4]


def test_status_counts_stop_at_the_cap(reviewer_client, make_article, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    make_article(5)
    response = reviewer_client.get(QUEUE)
    shown = {status: label for status, _l, _n, label, _q in response.context["counts"]}
    assert shown["proposed"] == "3+"
    assert shown["verified"] == "0"
    assert response.context["total_label"] == "3+"


@pytest.mark.parametrize("filter_by", ["source", "article"])
def test_status_counts_within_one_source_or_article_are_exact_and_capped(
    reviewer_client, reviewer, make_article, monkeypatch, filter_by
):
    herald, herald_claims = make_article(6, source="Harbour Herald")
    make_article(4, source="Valley Courier")
    for claim in herald_claims[:2]:
        claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    params = {"source": "Harbour Herald"} if filter_by == "source" else {"article": herald.pk}

    shown = {
        s: label for s, _l, _n, label, _q in reviewer_client.get(QUEUE, params).context["counts"]
    }
    assert (shown["proposed"], shown["verified"], shown["disputed"]) == ("4", "2", "0")

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    shown = {
        s: label for s, _l, _n, label, _q in reviewer_client.get(QUEUE, params).context["counts"]
    }
    assert (shown["proposed"], shown["verified"]) == ("3+", "2")
