"""The changes feed: keyset pages over (updated_at, id) that never skip or repeat a change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from claims.models import Claim
from tests.api.test_claims import _claims

pytestmark = pytest.mark.django_db


def _drain(client, url: str) -> tuple[list[int], str | None, int]:
    """Follow `next` until caught up; return the ids seen, the final cursor, the pages read."""
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        pages += 1
        seen += [row["id"] for row in body["results"]]
        cursor = body["cursor"]
        url = body["next"]
        assert body["has_more"] == (url is not None)
    return seen, cursor, pages


def test_feed_pages_through_many_claims_changed_in_the_same_microsecond(read_token_client):
    claims = _claims(130)
    moment = timezone.now() - timedelta(minutes=5)
    Claim.objects.update(updated_at=moment)

    seen, cursor, pages = _drain(read_token_client, "/api/v1/claims/changes/?page_size=50")

    assert seen == sorted(c.pk for c in claims)  # every one, once, in (updated_at, id) order
    assert pages == 3
    # Polling again with the stored cursor gives nothing new...
    again = read_token_client.get(f"/api/v1/claims/changes/?cursor={cursor}").json()
    assert (again["results"], again["cursor"], again["next"]) == ([], cursor, None)
    # ...until claims change again, at one shared instant: then exactly those.
    later = moment + timedelta(seconds=1)
    changed = [c.pk for c in claims[10:70]]
    Claim.objects.filter(pk__in=changed).update(updated_at=later)
    more, _, _ = _drain(read_token_client, f"/api/v1/claims/changes/?cursor={cursor}&page_size=25")
    assert more == sorted(changed)


def test_feed_with_a_cursor_in_the_middle_of_a_shared_timestamp_resumes_after_that_row(
    read_token_client,
):
    claims = _claims(10)
    moment = timezone.now() - timedelta(minutes=5)
    Claim.objects.update(updated_at=moment)

    first = read_token_client.get("/api/v1/claims/changes/?page_size=4").json()
    rest, _, _ = _drain(read_token_client, f"/api/v1/claims/changes/?cursor={first['cursor']}")

    ids = sorted(c.pk for c in claims)
    assert [r["id"] for r in first["results"]] == ids[:4]
    assert rest == ids[4:]


def test_feed_starts_after_updated_after(read_token_client):
    old, new = _claims(2)
    now = timezone.now()
    Claim.objects.filter(pk=old.pk).update(updated_at=now - timedelta(hours=2))
    Claim.objects.filter(pk=new.pk).update(updated_at=now - timedelta(minutes=30))
    since = (now - timedelta(hours=1)).isoformat()

    body = read_token_client.get("/api/v1/claims/changes/", {"updated_after": since}).json()

    assert [r["id"] for r in body["results"]] == [new.pk]


def test_feed_holds_back_changes_younger_than_the_settle_delay(read_token_client, settings):
    settings.API_CHANGES_SETTLE_SECONDS = 60
    settled, fresh = _claims(2)
    Claim.objects.filter(pk=settled.pk).update(updated_at=timezone.now() - timedelta(minutes=5))

    body = read_token_client.get("/api/v1/claims/changes/").json()

    assert [r["id"] for r in body["results"]] == [settled.pk]
    assert fresh.pk not in [r["id"] for r in body["results"]]


def test_feed_applies_the_list_filters(read_token_client):
    claims = _claims(4)
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    Claim.objects.filter(pk=claims[1].pk).update(status="dismissed", version=2)

    body = read_token_client.get("/api/v1/claims/changes/?status=dismissed").json()

    assert [r["id"] for r in body["results"]] == [claims[1].pk]


@pytest.mark.parametrize("query", ["cursor=not-a-cursor", "page_size=0", "page_size=x"])
def test_feed_rejects_a_bad_cursor_or_page_size_with_a_400(read_token_client, query):
    response = read_token_client.get(f"/api/v1/claims/changes/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_feed_never_counts_rows(read_token_client, django_assert_num_queries):
    _claims(20)
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    read_token_client.get("/api/v1/claims/changes/?page_size=1")

    # One keyset query and one for the page's claim matches (the token is cached after its
    # first use), and no COUNT(*) of the feed (the matches query counts each row's matches).
    with django_assert_num_queries(2) as captured:
        read_token_client.get("/api/v1/claims/changes/?page_size=10")

    feed, matches = (q["sql"].upper() for q in captured.captured_queries)
    assert "COUNT(" not in feed
    assert "CLAIMS_CLAIMMATCH" in matches and "COUNT(" not in matches.replace("COUNT(*) OVER", "")


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claims/changes/"])
def test_timestamps_with_offsets_postgresql_refuses_are_compared_in_utc(read_token_client, path):
    old, new = _claims(2)
    Claim.objects.filter(pk=old.pk).update(updated_at=datetime(2024, 12, 31, 23, tzinfo=UTC))
    Claim.objects.filter(pk=new.pk).update(updated_at=datetime(2025, 1, 1, 1, tzinfo=UTC))

    # 20:00+20:00 is midnight UTC: Python accepts a 20-hour offset, PostgreSQL does not.
    response = read_token_client.get(path, {"updated_after": "2025-01-01T20:00:00+20:00"})

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [new.pk]


def test_a_timestamp_that_leaves_the_calendar_in_utc_is_a_400(read_token_client):
    response = read_token_client.get(
        "/api/v1/claims/changes/", {"updated_after": "0001-01-01T01:00:00+05:00"}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "updated_after": ["Enter a date and time within years 1-9999."]
    }
