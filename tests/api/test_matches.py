"""Claim matching in the API: cluster_id and matches on claims, and /clusters/{id}/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimCluster
from matching.models import ClaimMatch, ClaimMatchDecision
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    """Two claims in two articles stating the same fact, and a third with a conflicting figure."""
    cluster = ClaimCluster.objects.create()
    a = ClaimFactory(article=ArticleFactory(), cluster=cluster)
    b = ClaimFactory(article=ArticleFactory(), cluster=cluster, inherited_from=a)
    c = ClaimFactory(article=ArticleFactory())
    ClaimMatch.objects.create(claim=a, other=b, similarity=0.81234, relation="same")
    ClaimMatch.objects.create(claim=a, other=c, similarity=0.3, relation="conflict")
    return cluster, a, b, c


def test_claim_detail_has_cluster_and_matches(read_token_client, linked):
    cluster, a, b, _ = linked

    data = read_token_client.get(f"/api/v1/claims/{b.pk}/").json()

    assert data["cluster_id"] == cluster.pk
    assert data["matches"] == [
        {
            "claim": a.pk,
            "article": a.article_id,
            "similarity": 0.8123,
            "relation": "same",
            "inherited_from": True,
        }
    ]


def test_list_and_changes_feed_carry_matches(read_token_client, linked):
    _, a, b, c = linked
    # Older than the feed's settle delay, so the feed serves all three.
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=1))

    rows = {r["id"]: r for r in read_token_client.get("/api/v1/claims/").json()["results"]}
    feed = {
        r["id"]: r
        for r in read_token_client.get(
            "/api/v1/claims/changes/?updated_after=2000-01-01T00:00:00Z"
        ).json()["results"]
    }

    assert [(m["claim"], m["relation"]) for m in rows[a.pk]["matches"]] == [
        (b.pk, "same"),
        (c.pk, "conflict"),
    ]
    assert rows[c.pk]["cluster_id"] is None
    assert [m["relation"] for m in rows[c.pk]["matches"]] == ["conflict"]
    assert set(feed) == {a.pk, b.pk, c.pk}
    for claim_id, row in feed.items():
        assert row["matches"] == rows[claim_id]["matches"]


def test_unlinked_match_is_not_listed(read_token_client, linked):
    _, a, b, _ = linked
    ClaimMatch.objects.filter(claim=a, other=b).update(unlinked_at="2026-01-01T00:00:00Z")

    data = read_token_client.get(f"/api/v1/claims/{b.pk}/").json()

    assert data["matches"] == []


def test_cluster_lists_its_claims_and_statuses(read_token_client, linked):
    cluster, a, b, _ = linked

    response = read_token_client.get(f"/api/v1/clusters/{cluster.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == cluster.pk
    assert {(c["id"], c["status"], c["inherited_from"]) for c in data["claims"]} == {
        (a.pk, "proposed", None),
        (b.pk, "proposed", a.pk),
    }


def test_unknown_cluster_is_a_json_404(read_token_client):
    response = read_token_client.get("/api/v1/clusters/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_cluster_needs_credentials(api_client, linked):
    cluster = linked[0]
    assert api_client.get(f"/api/v1/clusters/{cluster.pk}/").status_code == 401


@pytest.mark.parametrize("page_size", [5, 50])
def test_matches_add_a_constant_number_of_queries(
    read_token_client, django_assert_max_num_queries, page_size
):
    for _ in range(page_size):
        x, y = ClaimFactory(), ClaimFactory()
        ClaimMatch.objects.create(claim=x, other=y, similarity=0.5, relation="same")
    with django_assert_max_num_queries(6):
        response = read_token_client.get(f"/api/v1/claims/?page_size={page_size}")
    assert response.status_code == 200
    assert all(len(r["matches"]) == 1 for r in response.json()["results"])


@pytest.fixture
def popular():
    """A claim repeated across 25 articles (issue #21: one claim carried 3,020 matches)."""
    hub = ClaimFactory(article=ArticleFactory())
    others = [ClaimFactory(article=ArticleFactory()) for _ in range(25)]
    for i, other in enumerate(others):
        low, high = sorted((hub, other), key=lambda c: c.pk)
        ClaimMatch.objects.create(
            claim=low,
            other=high,
            similarity=0.5 + i / 100,
            relation="same" if i % 2 else "conflict",
        )
    unlinked = ClaimFactory(article=ArticleFactory())
    ClaimMatch.objects.create(
        claim=hub, other=unlinked, similarity=0.99, relation="same", unlinked_at=timezone.now()
    )
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    return hub, others[::-1]  # best first


def test_rows_carry_the_best_ten_matches_a_count_and_a_link(read_token_client, popular):
    hub, best_first = popular
    url = f"/api/v1/claims/{hub.pk}/"

    detail = read_token_client.get(url).json()
    listed = {r["id"]: r for r in read_token_client.get("/api/v1/claims/").json()["results"]}
    feed = {
        r["id"]: r
        for r in read_token_client.get(
            "/api/v1/claims/changes/?updated_after=2000-01-01T00:00:00Z"
        ).json()["results"]
    }

    for row in (detail, listed[hub.pk], feed[hub.pk]):
        assert [m["claim"] for m in row["matches"]] == [c.pk for c in best_first[:10]]
        assert row["match_count"] == 25  # the unlinked one is not counted
        assert row["links"]["matches"] == f"http://testserver{url}matches/"
    assert listed[best_first[0].pk]["match_count"] == 1


def test_matches_endpoint_pages_through_all_of_a_claims_matches(read_token_client, popular):
    hub, best_first = popular

    first = read_token_client.get(f"/api/v1/claims/{hub.pk}/matches/?page_size=20").json()
    second = read_token_client.get(first["next"]).json()

    assert first["count"] == 25
    entries = first["results"] + second["results"]
    assert [m["claim"] for m in entries] == [c.pk for c in best_first]
    assert entries[0] == {
        "id": ClaimMatch.objects.get(claim=hub, other=best_first[0]).pk,
        "claim": best_first[0].pk,
        "article": best_first[0].article_id,
        "similarity": 0.74,
        "relation": "conflict",
        "inherited_from": False,
        # Made before explanations: no confidence, an empty explanation.
        "state": "confirmed",
        "confidence": None,
        "explanation": {},
        "summary": "",
    }
    assert second["next"] is None


def test_matches_endpoint_of_an_unknown_claim_is_a_json_404(read_token_client):
    response = read_token_client.get("/api/v1/claims/999999/matches/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.fixture
def suggested_pair():
    a = ClaimFactory(article=ArticleFactory())
    b = ClaimFactory(article=ArticleFactory())
    match = ClaimMatch.objects.create(
        claim=a,
        other=b,
        similarity=0.5,
        relation="same",
        state="suggested",
        confidence=0.55,
        explanation={
            "similarity": 0.5,
            "context": 0.5,
            "names": ["Kursk"],
            "figures": [],
            "dates": [],
            "differences": [{"mine": "1", "theirs": "2", "kind": "homes", "verdict": "conflict"}],
            "confidence": 0.55,
        },
    )
    return a, b, match


def _decide(client, claim, match, decision, **body):
    return client.post(
        f"/api/v1/claims/{claim.pk}/matches/{match.pk}/{decision}/", body, format="json"
    )


def test_matches_endpoint_shows_state_confidence_and_explanation_from_either_side(
    read_token_client, suggested_pair
):
    a, b, match = suggested_pair

    (entry,) = read_token_client.get(f"/api/v1/claims/{b.pk}/matches/").json()["results"]

    assert (entry["id"], entry["claim"], entry["state"], entry["confidence"]) == (
        match.pk,
        a.pk,
        "suggested",
        0.55,
    )
    # Read from b's side: b's figure comes first.
    assert entry["explanation"]["differences"] == [
        {"mine": "2", "theirs": "1", "kind": "homes", "verdict": "conflict"}
    ]
    assert entry["summary"] == (
        "Same names: Kursk; conflict: 2 vs 1 (homes); similarity 0.50 — confidence 0.55"
    )


def test_confirm_through_the_api_records_the_decision(review_token_client, suggested_pair):
    a, _, match = suggested_pair

    response = _decide(review_token_client, a, match, "confirm")

    assert response.status_code == 200
    assert response.json()["state"] == "confirmed"
    match.refresh_from_db()
    assert match.state == "confirmed"
    assert ClaimMatchDecision.objects.get().decision == "confirmed"


REASON_REQUIRED = "Give a reason to reject a match (it is remembered with the decision)."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Give a reason to reject a match (it is remembered with the decision)."),
        (
            {"reason": "   "},
            "Give a reason to reject a match (it is remembered with the decision).",
        ),
        ({"reason": "x" * 2001}, "Ensure this field has no more than 2000 characters."),
        ({"reason": ["list"]}, "Not a valid string."),
    ],
)
def test_reject_without_a_valid_reason_is_a_400_naming_the_reason(
    review_token_client, suggested_pair, body, message
):
    a, _, match = suggested_pair

    response = _decide(review_token_client, a, match, "reject", **body)

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"], body["fields"]) == (400, "invalid", {"reason": [message]})
    match.refresh_from_db()
    assert match.unlinked_at is None
    assert not ClaimMatchDecision.objects.exists()


def test_reject_with_a_reason_hides_the_match(
    review_token_client, read_token_client, suggested_pair
):
    a, b, match = suggested_pair

    response = _decide(review_token_client, a, match, "reject", reason="<b>Other town</b>")

    assert response.status_code == 200
    decision = ClaimMatchDecision.objects.get()
    assert (decision.decision, decision.reason) == ("rejected", "<b>Other town</b>")
    assert read_token_client.get(f"/api/v1/claims/{b.pk}/matches/").json()["results"] == []


def test_a_decision_on_a_match_that_is_not_open_is_a_409(review_token_client, suggested_pair):
    a, _, match = suggested_pair
    assert _decide(review_token_client, a, match, "not-a-conflict", reason="no").status_code == 409
    assert not ClaimMatchDecision.objects.exists()


def test_a_decision_needs_the_review_scope_and_the_claims_own_match(
    read_token_client, review_token_client, suggested_pair
):
    a, _, match = suggested_pair
    assert _decide(read_token_client, a, match, "confirm").status_code == 403
    stranger = ClaimFactory()
    assert _decide(review_token_client, stranger, match, "confirm").status_code == 404
    match.refresh_from_db()
    assert match.state == "suggested"
