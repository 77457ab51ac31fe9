"""The article page: every claim highlighted in its status colour, a summary, re-run proposal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import proposal_queue
from claims.services import claim_set_status

pytestmark = pytest.mark.django_db


def test_article_page_highlights_every_claim_with_its_status_and_summarises(
    reviewer_client, reviewer, make_article
):
    article, claims = make_article(12)
    for claim in claims[:5]:
        claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    for claim in claims[5:8]:
        claim_set_status(claim_id=claim.pk, to_status="disputed", user=reviewer, note="n")
    claim_set_status(claim_id=claims[8].pk, to_status="unconfirmed", user=reviewer, note="n")

    response = reviewer_client.get(reverse("claims:article", args=[article.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "12 claims: 5 verified, 3 disputed, 1 unconfirmed, 3 to review" in html
    for claim in claims:
        url = reverse("claims:claim", args=[claim.pk])
        claim.refresh_from_db()
        tier = claim.tier
        assert (
            f'<a class="claim-mark st-{claim.status} tier-{tier}" href="{url}" '
            f'id="claim-{claim.pk}" data-tier="{tier}">'
            f"<mark>{claim.text}</mark>"
            f'<span class="mark-label">[{claim.get_status_display()}]</span>'
            f'<span class="mark-label mark-tier">{tier.capitalize()} tier</span></a>'
        ) in html
    # Every paragraph of the body is there, claims or not.
    assert html.count("<p>") >= article.body.count("\n\n") + 1


def test_summary_mentions_dismissed_claims_only_when_there_are_some(reviewer_client, make_article):
    article, claims = make_article(2)
    claim_set_status(claim_id=claims[0].pk, to_status="dismissed", user=None)
    html = reviewer_client.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert "2 claims: 0 verified, 0 disputed, 0 unconfirmed, 1 to review, 1 dismissed" in html


@pytest.mark.parametrize("rows", [5, 50])
def test_article_page_runs_a_constant_number_of_queries(
    reviewer_client, make_article, rows, django_assert_max_num_queries
):
    article, _ = make_article(rows)
    # Once first: the navigation's badge counts are cached per user (factcheck.navigation).
    reviewer_client.get(reverse("claims:article", args=[article.pk]))
    # session, user, permissions (2), article, claims, matching state
    with django_assert_max_num_queries(7):
        response = reviewer_client.get(reverse("claims:article", args=[article.pk]))
    assert len(response.context["claims"]) == rows


def test_editor_sees_and_uses_the_rerun_button(editor_client, make_article, monkeypatch):
    article, _ = make_article(1)
    queued = []
    monkeypatch.setattr(
        proposal_queue,
        "article_request_proposal",
        lambda *, article_id, actor="": queued.append(article_id),
    )

    page = editor_client.get(reverse("claims:article", args=[article.pk])).content.decode()
    response = editor_client.post(reverse("claims:article_rerun", args=[article.pk]))

    assert "Re-run claim proposal" in page
    assert response.status_code == 302
    assert queued == [article.pk]


def test_reviewer_sees_no_rerun_button(reviewer_client, make_article):
    article, _ = make_article(1)
    page = reviewer_client.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert "Re-run claim proposal" not in page


def test_missing_article_is_404(reviewer_client):
    assert reviewer_client.get(reverse("claims:article", args=[999999])).status_code == 404
