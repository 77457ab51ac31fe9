"""The API's deadline fields: due_at, expires_at and expired on claims, the overdue and expired
filters, and the changes feed showing an expiry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from claims import deadlines
from claims.models import Claim
from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _verdict(claim, status="verified", note="checked"):
    return claim_set_status(claim_id=claim.pk, to_status=status, user=None, note=note)


def _expire(claim) -> Claim:
    _verdict(claim)
    Claim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1),
        updated_at=timezone.now() - dt.timedelta(days=2),
    )
    return Claim.objects.get(pk=claim.pk)


def test_api_claim_has_expires_at_and_expired(read_token_client):
    expired = _expire(ClaimFactory())
    current = ClaimFactory(article=ArticleFactory())
    _verdict(current)
    current.refresh_from_db()
    proposed = ClaimFactory(article=ArticleFactory())

    rows = {
        row["id"]: row
        for row in read_token_client.get("/api/v1/claims/?status=verified").json()["results"]
    }
    detail = read_token_client.get(f"/api/v1/claims/{expired.pk}/").json()
    open_claim = read_token_client.get(f"/api/v1/claims/{proposed.pk}/").json()

    assert rows[expired.pk]["expired"] is True
    assert rows[current.pk]["expired"] is False
    assert rows[current.pk]["expires_at"].startswith(current.expires_at.strftime("%Y-%m-%dT%H"))
    assert detail["expired"] is True and detail["expires_at"]
    assert open_claim["expires_at"] is None and open_claim["expired"] is False
    assert open_claim["due_at"] is None or isinstance(open_claim["due_at"], str)


def test_api_filters_expired_and_overdue_claims(read_token_client):
    expired = _expire(ClaimFactory())
    current = ClaimFactory(article=ArticleFactory())
    _verdict(current)
    overdue = ClaimFactory(article=ArticleFactory())
    Claim.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))

    def ids(query):
        response = read_token_client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("expired=true") == {expired.pk}
    assert ids("expired=false") == {current.pk, overdue.pk}
    assert ids("overdue=true") == {overdue.pk}
    bad = read_token_client.get("/api/v1/claims/?overdue=<script>")
    assert bad.status_code == 400
    assert "overdue" in json.dumps(bad.json())


def test_the_changes_feed_shows_the_expiry(read_token_client, settings):
    settings.API_CHANGES_SETTLE_SECONDS = 0
    claim = _expire(ClaimFactory())
    cutoff = (timezone.now() - dt.timedelta(minutes=1)).isoformat()

    before = read_token_client.get("/api/v1/claims/changes/", {"updated_after": cutoff})
    deadlines.claims_announce_expired()
    after = read_token_client.get("/api/v1/claims/changes/", {"updated_after": cutoff})

    assert claim.pk not in [r["id"] for r in before.json()["results"]]
    (row,) = [r for r in after.json()["results"] if r["id"] == claim.pk]
    assert row["expired"] is True
