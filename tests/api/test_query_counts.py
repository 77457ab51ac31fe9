"""Every list endpoint runs the same number of SQL queries at 5 and at 50 rows per page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Evidence
from claims.services import claim_assign, claim_set_status
from integrations.services import webhook_subscription_create
from tests.api.test_claims import _claims
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/claims/?page_size={n}",
    "/api/v1/claims/?status=verified&page_size={n}",
    "/api/v1/claims/changes/?page_size={n}",
    "/api/v1/articles/?page_size={n}",
    "/api/v1/webhooks/?page_size={n}",
]


@pytest.fixture
def populated(reviewer):
    claims = _claims(60)
    for claim in claims:
        claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)
        claim_set_status(
            claim_id=claim.pk,
            to_status="verified",
            user=reviewer,
            evidence=[{"url": "https://stats.example/t", "title": "T"}],
        )
    Claim.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    for _ in range(60):
        ArticleFactory()
    for i in range(60):
        webhook_subscription_create(name=f"hook {i}", url=f"https://93.184.216.34/{i}")
    assert Evidence.objects.count() == 60


def _count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    rows = len(response.json()["results"])
    return len(captured), rows


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("login", ["session", "token"])
def test_list_query_count_does_not_grow_with_page_size(
    client, staff_user, admin_token_client, populated, url, login
):
    if login == "session":
        client.force_login(staff_user)  # a real session: session and user lookups included
    api = client if login == "session" else admin_token_client
    api.get(url.format(n=1))  # first use of a token records last_used_at

    small, small_rows = _count(api, url.format(n=5))
    large, large_rows = _count(api, url.format(n=50))

    assert (small_rows, large_rows) == (5, 50)
    assert small == large
    assert large <= 4
