"""The claim page's matches in other articles: shown, verdict inherited in one action, unlinked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatusChange
from claims.services import claim_set_status
from matching.models import ClaimMatch
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(other_reviewer):
    """A reviewed claim in an older article and the same claim, unreviewed, in a new one."""
    older = ClaimFactory(article=ArticleFactory(title="Budget approved last week"))
    claim_set_status(
        claim_id=older.pk,
        to_status="verified",
        user=other_reviewer,
        note="Matches the council minutes.",
    )
    newer = ClaimFactory(article=ArticleFactory(title="Flood defences: what comes next"))
    low, high = sorted([older, newer], key=lambda c: c.pk)
    match = ClaimMatch.objects.create(claim=low, other=high, similarity=0.91, relation="same")
    older.refresh_from_db()
    return older, newer, match


def test_claim_page_shows_the_same_claim_elsewhere_with_its_verdict(reviewer_client, pair):
    older, newer, _ = pair
    html = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()
    section = html[html.index('id="matches-heading"') :]
    assert f">#{older.pk}</a>" in section
    assert "Budget approved last week" in section
    assert 'class="badge st-verified">Verified</span>' in section
    assert "by omar" in section
    assert "Matches the council minutes." in section
    assert "similarity 0.91" in section
    assert "Apply this verdict (Verified)" in section


def test_apply_verdict_records_it_as_inherited_and_moves_on(reviewer_client, reviewer, pair):
    older, newer, _ = pair
    response = reviewer_client.post(
        reverse("matching:inherit", args=[newer.pk]),
        {"source": older.pk, "version": newer.version, "queue": ""},
    )
    assert response.status_code == 302
    newer.refresh_from_db()
    assert (newer.status, newer.inherited_from, newer.inherited_by) == (
        "verified",
        older,
        reviewer,
    )
    change = ClaimStatusChange.objects.get(claim=newer)
    assert change.changed_by == reviewer
    assert f"inherited from claim #{older.pk}" in change.note
    page = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()
    assert f'This claim\'s verdict was inherited from <a href="/claims/{older.pk}/">' in page


def test_apply_verdict_from_an_unlinked_claim_is_refused(reviewer_client, pair):
    older, _, _ = pair
    stranger = ClaimFactory()
    response = reviewer_client.post(
        reverse("matching:inherit", args=[stranger.pk]),
        {"source": older.pk, "version": stranger.version, "queue": ""},
    )
    assert response.status_code == 409
    assert "is not linked to claim" in response.content.decode()
    assert Claim.objects.get(pk=stranger.pk).status == "proposed"


def test_apply_verdict_with_a_stale_version_shows_the_conflict(
    reviewer_client, other_reviewer, pair
):
    older, newer, _ = pair
    claim_set_status(claim_id=newer.pk, to_status="dismissed", user=other_reviewer)
    response = reviewer_client.post(
        reverse("matching:inherit", args=[newer.pk]), {"source": older.pk, "version": 1}
    )
    assert response.status_code == 409
    assert "It is now “Dismissed (not a claim)” (set by omar" in response.content.decode()
    assert Claim.objects.get(pk=newer.pk).inherited_from is None


def test_unlinking_a_wrong_match_records_it_and_hides_it(reviewer_client, reviewer, pair):
    _, newer, match = pair
    response = reviewer_client.post(
        reverse("matching:unlink", args=[newer.pk]), {"match": match.pk, "note": "other budget"}
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.unlinked_by, match.unlink_note) == (reviewer, "other budget")
    assert match.unlinked_at is not None
    page = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()
    assert 'id="matches-heading"' not in page


def test_unlinking_a_match_of_another_claim_is_404(reviewer_client, pair):
    _, _, match = pair
    unrelated = ClaimFactory()
    response = reviewer_client.post(
        reverse("matching:unlink", args=[unrelated.pk]), {"match": match.pk}
    )
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.unlinked_at is None


def test_conflicting_figures_are_shown_side_by_side(reviewer_client):
    here = ClaimFactory(article=ArticleFactory(source="Harbour Herald"))
    there = ClaimFactory(article=ArticleFactory(source="River Times", title="Evacuation figures"))
    low, high = sorted([here, there], key=lambda c: c.pk)
    details = [["76,000", "120,000", "evacuees"]]
    if low.pk != here.pk:
        details = [["120,000", "76,000", "evacuees"]]
    ClaimMatch.objects.create(
        claim=low, other=high, similarity=0.6, relation="conflict", details=details
    )
    html = reviewer_client.get(reverse("claims:claim", args=[here.pk])).content.decode()
    section = html[html.index('id="matches-heading"') :]
    assert "Conflicting figures" in section and "Evacuation figures" in section
    assert "<td>76,000</td><td>120,000</td><td>evacuees</td>" in section
