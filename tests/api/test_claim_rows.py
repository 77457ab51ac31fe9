"""List and feed rows (api.claims.rows, from .values()) are exactly what ClaimSerializer writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from api.claims.changes import Position, decode_cursor
from api.claims.serializers import ClaimSerializer
from claims.models import Claim, ClaimCluster
from claims.services import claim_assign, claim_set_status
from matching.models import ClaimMatch
from tests.api.test_claims import _claims
from tests.factories import ArticleFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

FEED = "/api/v1/claims/changes/?updated_after=2000-01-01T00:00:00Z&page_size={size}"


@pytest.fixture
def varied(reviewer):
    """Claims with every optional part set or not: assignee, verdict, evidence, cluster, matches."""
    claims = _claims(8)
    a, b, c, d, e, f = claims[:6]
    claim_assign(claim_id=a.pk, assignee=reviewer, user=reviewer)
    claim_set_status(
        claim_id=b.pk,
        to_status="verified",
        user=reviewer,
        evidence=[{"url": "https://stats.example/budget", "title": "Budget"}],
    )
    claim_set_status(claim_id=c.pk, to_status="disputed", user=reviewer, note="Wrong year.")
    claim_set_status(claim_id=d.pk, to_status="dismissed", user=None)
    cluster = ClaimCluster.objects.create()
    Claim.objects.filter(pk__in=[b.pk, e.pk]).update(cluster=cluster)
    Claim.objects.filter(pk=e.pk).update(inherited_from=b)
    ClaimMatch.objects.create(claim=b, other=e, similarity=0.812345, relation="same")
    ClaimMatch.objects.create(claim=b, other=f, similarity=0.3, relation="conflict")
    ClaimMatch.objects.create(claim=e, other=f, similarity=0.55, relation="conflict")
    Claim.objects.filter(pk=f.pk).update(claimer="", article=ArticleFactory(url=""))
    # Older than the feed's settle delay; one claim on a whole second, which ISO 8601 writes
    # without a fraction.
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    whole = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    Claim.objects.filter(pk=a.pk).update(created_at=whole, updated_at=whole)
    return claims


def _serialized(claim_ids) -> dict[int, dict]:
    request = RequestFactory().get("/")  # same host as the test client: http://testserver
    claims = Claim.objects.filter(pk__in=claim_ids).select_related("article")
    return {c.pk: ClaimSerializer(c, context={"request": request}).data for c in claims}


@pytest.mark.parametrize("url", ["/api/v1/claims/?page_size=200", FEED.format(size=200)])
def test_list_and_feed_rows_equal_the_serializer_for_the_same_claims(
    read_token_client, varied, url
):
    rows = read_token_client.get(url).json()["results"]

    assert len(rows) == len(varied)
    expected = _serialized([row["id"] for row in rows])
    for row in rows:
        assert row == expected[row["id"]]
    # The fixture reaches every optional part, so the comparison above covers them.
    by_id = {row["id"]: row for row in rows}
    a, b, _, _, e, f = varied[:6]
    assert by_id[a.pk]["assignee"] == "rita"
    assert by_id[a.pk]["created_at"] == "2026-03-01T12:00:00Z"
    assert by_id[b.pk]["reviewed_by"] == "rita"
    assert by_id[b.pk]["links"]["claimreview"].endswith(f"/claims/{b.pk}/claimreview/")
    assert by_id[e.pk]["matches"][0] == {
        "claim": b.pk,
        "article": b.article_id,
        "similarity": 0.8123,
        "relation": "same",
        "inherited_from": True,
    }
    assert [m["claim"] for m in by_id[f.pk]["matches"]] == [e.pk, b.pk]
    assert by_id[f.pk]["article_url"] == ""


def test_list_row_equals_the_detail_without_its_evidence_and_pending_verdict(
    read_token_client, varied
):
    rows = read_token_client.get("/api/v1/claims/?page_size=200").json()["results"]

    for row in rows:
        detail = read_token_client.get(f"/api/v1/claims/{row['id']}/").json()
        assert detail.pop("evidence") is not None
        assert detail.pop("fact_checks") == []  # the detail's archive hits (factchecks)
        # The detail alone says whether a verdict awaits a second reviewer.
        assert detail.pop("awaiting_approval") is None
        assert detail == row


def test_feed_cursor_is_the_last_rows_position(read_token_client, varied):
    page = read_token_client.get(FEED.format(size=3)).json()

    last = Claim.objects.get(pk=page["results"][-1]["id"])
    assert page["has_more"] is True
    assert decode_cursor(page["cursor"]) == Position(updated_at=last.updated_at, id=last.pk)


def test_filters_of_one_request_do_not_reach_the_next(read_token_client, varied):
    # The filters and their form are shared by every request (ClaimFilter.__init__).
    verified = read_token_client.get("/api/v1/claims/?status=verified").json()
    invalid = read_token_client.get("/api/v1/claims/?status=maybe&min_score=2")
    everything = read_token_client.get("/api/v1/claims/").json()
    assigned = read_token_client.get("/api/v1/claims/?assignee=rita").json()

    assert [row["id"] for row in verified["results"]] == [varied[1].pk]
    assert invalid.status_code == 400
    assert list(invalid.json()["fields"]) == ["status", "min_score"]
    assert everything["count"] == len(varied)
    assert [row["id"] for row in assigned["results"]] == [varied[0].pk]
