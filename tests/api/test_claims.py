"""Claims list, detail, history, review and assign through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimStatusChange, Evidence
from claims.services import claim_assign, claim_set_status
from tests.factories import SAMPLE_BODY, ArticleFactory, ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]


def _spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of an article body: distinct spans for claims."""
    spans, start = [], 0
    for paragraph in body.split("\n\n"):
        spans.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    return spans


def _claims(n: int, **kwargs) -> list[Claim]:
    """n claims spread over articles (one per paragraph)."""
    claims = []
    while len(claims) < n:
        article = ArticleFactory()
        for start, end in _spans(article.body):
            if len(claims) == n:
                break
            claims.append(ClaimFactory(article=article, start=start, end=end, **kwargs))
    return claims


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_list_orders_by_score_then_age_and_reports_an_exact_small_count(read_token_client):
    low, high, mid = _claims(3)
    for claim, score in ((low, 0.2), (high, 0.95), (mid, 0.5)):
        Claim.objects.filter(pk=claim.pk).update(score=score)

    response = read_token_client.get("/api/v1/claims/")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["count_exact"], body["next"]) == (3, True, None)
    assert _ids(response) == [high.pk, mid.pk, low.pk]


def test_list_count_is_a_lower_bound_past_the_count_limit(read_token_client, settings):
    settings.API_COUNT_LIMIT = 3
    _claims(6)

    first = read_token_client.get("/api/v1/claims/?page_size=2").json()
    last = read_token_client.get("/api/v1/claims/?page_size=2&page=3").json()

    assert (first["count"], first["count_exact"]) == (4, False)
    assert first["next"].endswith("page=2&page_size=2")
    assert (len(last["results"]), last["next"]) == (2, None)


def _filter_cases():
    return [
        ("status=verified", lambda c: c.status == "verified"),
        ("status=verified&status=disputed", lambda c: c.status in ("verified", "disputed")),
        ("claim_type=quote", lambda c: c.claim_type == "quote"),
        ("claimer=whitfield", lambda c: "whitfield" in c.claimer.lower()),
        ("min_score=0.5", lambda c: c.score >= 0.5),
        ("assignee=rita", lambda c: c.assignee and c.assignee.username == "rita"),
        ("assignee=none", lambda c: c.assignee is None),
        ("source=Other+Gazette", lambda c: c.article.source == "Other Gazette"),
    ]


@pytest.mark.parametrize(("query", "matches"), _filter_cases(), ids=lambda v: str(v)[:40])
def test_list_filters_select_exactly_the_matching_claims(
    read_token_client, reviewer, query, matches
):
    claims = _claims(8)
    claim_set_status(claim_id=claims[0].pk, to_status="verified", user=reviewer)
    claim_set_status(claim_id=claims[1].pk, to_status="disputed", user=reviewer, note="no")
    Claim.objects.filter(pk=claims[2].pk).update(claim_type="quote", claimer="Dana Whitfield")
    Claim.objects.filter(pk=claims[3].pk).update(score=0.3)
    Claim.objects.filter(pk=claims[4].pk).update(score=0.49)
    claim_assign(claim_id=claims[5].pk, assignee=reviewer, user=reviewer)
    other = ArticleFactory(source="Other Gazette")
    claims.append(ClaimFactory(article=other))
    expected = {c.pk for c in Claim.objects.select_related("article", "assignee") if matches(c)}

    response = read_token_client.get(f"/api/v1/claims/?{query}")

    assert response.status_code == 200
    assert set(_ids(response)) == expected
    assert expected  # each case selects something, and not everything
    assert len(expected) < Claim.objects.count()


def test_list_filters_by_article_and_updated_after(read_token_client):
    first, second = _claims(2)
    Claim.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    by_article = read_token_client.get(f"/api/v1/claims/?article={first.article_id}")
    recent = read_token_client.get("/api/v1/claims/", {"updated_after": since})

    assert set(_ids(by_article)) == {
        c.pk for c in (first, second) if c.article_id == first.article_id
    }
    assert _ids(recent) == [second.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=maybe", "status"),
        ("min_score=2", "min_score"),
        ("article=abc", "article"),
        ("article=" + "9" * 30, "article"),
        ("updated_after=yesterday", "updated_after"),
    ],
)
def test_invalid_filter_is_a_400_naming_the_field(read_token_client, query, field):
    response = read_token_client.get(f"/api/v1/claims/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert list(body["fields"]) == [field]


@pytest.mark.parametrize("page_size", [5, 50])
def test_list_runs_a_constant_number_of_queries_whatever_the_page_size(
    read_token_client, reviewer, django_assert_max_num_queries, page_size
):
    claims = _claims(60)
    for claim in claims[:30]:
        claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)
        claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)

    read_token_client.get("/api/v1/claims/?page_size=1")  # first use records last_used_at

    # The token is cached after its first use; the page carries its bounded count: one query,
    # and one more for the page's claim matches.
    with django_assert_max_num_queries(2):
        response = read_token_client.get(f"/api/v1/claims/?page_size={page_size}")

    assert len(response.json()["results"]) == page_size


def test_detail_carries_evidence_links_and_the_version_as_etag(review_token_client):
    claim = ClaimFactory()
    claim_set_status(
        claim_id=claim.pk,
        to_status="disputed",
        user=None,
        note="wrong figure",
        evidence=[{"url": "https://council.example/budget", "title": "Budget"}],
    )

    response = review_token_client.get(f"/api/v1/claims/{claim.pk}/")

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["text"] == claim.article.body[body["start"] : body["end"]]
    assert (body["status"], body["version"], body["score"]) == ("disputed", 2, 0.9)
    assert [(e["url"], e["title"]) for e in body["evidence"]] == [
        ("https://council.example/budget", "Budget")
    ]
    assert body["links"] == {
        "self": f"http://testserver/api/v1/claims/{claim.pk}/",
        "history": f"http://testserver/api/v1/claims/{claim.pk}/history/",
        "matches": f"http://testserver/api/v1/claims/{claim.pk}/matches/",
        "claimreview": f"http://testserver/api/v1/claims/{claim.pk}/claimreview/",
        "article": f"http://testserver/api/v1/articles/{claim.article_id}/",
    }


def test_unknown_claim_is_a_json_404(read_token_client):
    response = read_token_client.get("/api/v1/claims/999999/")

    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": "Not found."}


def test_unknown_api_path_is_a_json_404(read_token_client):
    response = read_token_client.get("/api/v1/nothing/here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_history_lists_every_status_change_oldest_first(read_token_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer, note="ok")
    claim_set_status(
        claim_id=claim.pk,
        to_status="disputed",
        user=reviewer,
        note="new data",
        evidence=[{"url": "https://stats.example/t1", "title": "T1"}],
    )

    response = read_token_client.get(f"/api/v1/claims/{claim.pk}/history/")

    assert response.status_code == 200
    rows = response.json()
    assert [(r["version"], r["from_status"], r["to_status"], r["note"]) for r in rows] == [
        (2, "proposed", "verified", "ok"),
        (3, "verified", "disputed", "new data"),
    ]
    assert rows[1]["changed_by"] == "rita"
    assert rows[1]["evidence"] == [{"url": "https://stats.example/t1", "title": "T1"}]


# --- review ---------------------------------------------------------------------------------


def test_review_with_if_match_sets_status_writes_history_and_evidence(
    reviewer_api_client, reviewer
):
    claim = ClaimFactory()

    response = reviewer_api_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {
            "status": "disputed",
            "note": "The budget was $38 million.",
            "evidence": [{"url": "https://council.example/minutes", "title": "Minutes"}],
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert (response.json()["status"], response.json()["reviewed_by"]) == ("disputed", "rita")
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("disputed", 2, reviewer)
    change = ClaimStatusChange.objects.get(claim=claim)
    assert (change.from_status, change.to_status, change.note) == (
        "proposed",
        "disputed",
        "The budget was $38 million.",
    )
    assert list(Evidence.objects.filter(status_change=change).values_list("url", flat=True)) == [
        "https://council.example/minutes"
    ]


def test_review_with_version_field_works_like_if_match(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/", {"status": "verified", "version": 1}, format="json"
    )

    assert response.status_code == 200
    claim.refresh_from_db()
    # A review token belongs to a user (every verdict has a person behind it): the change is
    # recorded as theirs.
    user = review_token_client.token.user
    assert (claim.status, claim.reviewed_by) == ("verified", user)
    assert ClaimStatusChange.objects.filter(claim=claim, changed_by=user).count() == 1


def test_review_with_stale_version_is_412_with_the_current_state(review_token_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "disputed", "note": "numbers are off"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 412
    body = response.json()
    current = body.pop("current")
    assert body == {
        "status": 412,
        "code": "stale_version",
        "message": (
            f"Claim {claim.pk} changed since you loaded it (you had version 1, it is now "
            "version 2: verified, last set by rita)."
        ),
    }
    assert (current["id"], current["status"], current["version"], current["reviewed_by"]) == (
        claim.pk,
        "verified",
        2,
        "rita",
    )
    assert ClaimStatusChange.objects.filter(claim=claim).count() == 1


def test_review_with_illegal_transition_is_409_listing_allowed_moves(review_token_client):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="dismissed", user=None)

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/", {"status": "verified", "version": 2}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    current = body.pop("current")
    assert body == {
        "status": 409,
        "code": "illegal_transition",
        "message": "A claim cannot go from dismissed to verified.",
        "from_status": "dismissed",
        "to_status": "verified",
        "allowed": ["proposed"],
    }
    assert (current["status"], current["version"]) == ("dismissed", 2)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("dismissed", 2)


@pytest.mark.parametrize(
    ("payload", "headers", "fields"),
    [
        (
            {"status": "disputed", "version": 1},
            {},
            {"note": ["A note is required to mark a claim disputed."]},
        ),
        (
            {"status": "verified"},
            {},
            {"version": ["Send the claim's version in an If-Match header or a version field."]},
        ),
        (
            {"status": "verified"},
            {"HTTP_IF_MATCH": "yesterday"},
            {"If-Match": ['Expected the ETag of the claim, e.g. "3".']},
        ),
        (
            {"status": "maybe", "version": 1},
            {},
            {
                "status": [
                    '"maybe" is not one of the allowed values: '
                    "proposed, verified, disputed, unconfirmed, dismissed."
                ]
            },
        ),
        (
            {"status": "verified", "version": 1, "evidence": [{"url": "ftp://x.example/f"}]},
            {},
            {
                "evidence": {
                    "0": {"url": ["Evidence URL must be an http(s) URL, got 'ftp://x.example/f'."]}
                }
            },
        ),
    ],
    ids=["note required", "no version", "bad if-match", "bad status", "bad evidence"],
)
def test_review_with_invalid_input_is_400_with_field_errors_and_changes_nothing(
    review_token_client, payload, headers, fields
):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/", payload, format="json", **headers
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"], body["fields"]) == (400, "invalid", fields)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)


def test_review_to_the_same_status_is_a_no_op(review_token_client):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/", {"status": "proposed", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not ClaimStatusChange.objects.filter(claim=claim).exists()


def test_if_match_star_skips_the_version_check(review_token_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "unconfirmed", "note": "source withdrew it"},
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == 200
    assert response.json()["version"] == 3


# --- assign ---------------------------------------------------------------------------------


def test_assign_sets_the_assignee_and_bumps_the_version(reviewer_api_client, reviewer):
    claim = ClaimFactory()

    response = reviewer_api_client.post(
        f"/api/v1/claims/{claim.pk}/assign/",
        {"assignee": "rita"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 200
    assert (response.json()["assignee"], response["ETag"]) == ("rita", '"2"')
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (reviewer, 2)


def test_assign_to_someone_who_cannot_review_is_400(reviewer_api_client, editor):
    claim = ClaimFactory()

    response = reviewer_api_client.post(
        f"/api/v1/claims/{claim.pk}/assign/", {"assignee": "eddie", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"assignee": ["'eddie' is not an active reviewer."]}
    claim.refresh_from_db()
    assert claim.assignee is None


def test_assign_with_stale_version_is_412(reviewer_api_client, reviewer):
    claim = ClaimFactory()
    claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)

    response = reviewer_api_client.post(
        f"/api/v1/claims/{claim.pk}/assign/", {"assignee": None, "version": 1}, format="json"
    )

    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    assert response.json()["current"]["assignee"] == "rita"


def test_claim_body_text_sample_is_project_written():
    # The factories' text is the project's own, not a seed article's.
    assert SAMPLE_BODY.startswith("Harbour City Council")
