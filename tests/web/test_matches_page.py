"""The claim page's matches in other articles: shown, verdict inherited in one action, unlinked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatusChange
from claims.services import claim_set_status
from matching.models import ClaimMatch, ClaimMatchDecision
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
    # The reviewer stays on the claim they were judging.
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:claim", args=[newer.pk])
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
    url = reverse("matching:unlink", args=[newer.pk])
    asked = reviewer_client.post(url, {"match": match.pk, "reason": "other budget"})
    # First the confirmation step: nothing is unlinked yet.
    assert asked.status_code == 200 and 'id="confirm-decision"' in asked.content.decode()
    match.refresh_from_db()
    assert match.unlinked_at is None
    response = reviewer_client.post(
        url, {"match": match.pk, "reason": "other budget", "confirmed": "on"}
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
    assert 'id="matches-heading"' not in html  # not "the same claim in other articles"
    section = html[html.index('id="conflicts-heading"') :]
    assert "Conflicting figures" in section and "Evacuation figures" in section
    assert "<td>76,000</td><td>120,000</td><td>evacuees</td>" in section


@pytest.fixture
def suggestion(pair):
    older, newer, match = pair
    match.state = "suggested"
    match.confidence = 0.62
    match.explanation = {
        "similarity": 0.91,
        "context": 0.91,
        "names": ["Marrowby"],
        "figures": ["76,000"],
        "dates": [],
        "differences": [],
        "confidence": 0.62,
    }
    match.save()
    return older, newer, match


def test_a_suggestion_is_listed_apart_with_why_and_confirm_reject(reviewer_client, suggestion):
    _, newer, _ = suggestion
    html = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()

    assert 'id="matches-heading"' not in html  # not among the confirmed same claims
    section = html[html.index('id="suggestions-heading"') :]
    assert (
        "Same figures: 76,000; same names: Marrowby; similarity 0.91 — confidence 0.62" in section
    )
    assert reverse("matching:confirm", args=[newer.pk]) in section
    assert reverse("matching:reject", args=[newer.pk]) in section
    assert "Apply this verdict" not in section  # a suggestion passes no verdict on


def test_confirming_a_suggestion_moves_it_to_the_same_claims(reviewer_client, reviewer, suggestion):
    _, newer, match = suggestion
    response = reviewer_client.post(
        reverse("matching:confirm", args=[newer.pk]), {"match": match.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:claim", args=[newer.pk])
    match.refresh_from_db()
    assert (match.state, match.confirmed_by) == ("confirmed", reviewer)
    assert ClaimMatchDecision.objects.get().decision == "confirmed"
    html = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()
    assert "Apply this verdict (Verified)" in html[html.index('id="matches-heading"') :]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_reject_without_a_valid_reason_is_a_400_and_changes_nothing(
    reviewer_client, suggestion, reason
):
    _, newer, match = suggestion
    response = reviewer_client.post(
        reverse("matching:reject", args=[newer.pk]),
        {"match": match.pk, "reason": reason, "confirmed": "on"},
    )
    assert response.status_code == 400
    assert "reason" in response.content.decode()
    match.refresh_from_db()
    assert match.unlinked_at is None
    assert not ClaimMatchDecision.objects.exists()


def test_reject_asks_first_then_remembers_the_reason(reviewer_client, reviewer, suggestion):
    _, newer, match = suggestion
    url = reverse("matching:reject", args=[newer.pk])
    hostile = "<script>alert('x')</script>"

    asked = reviewer_client.post(url, {"match": match.pk, "reason": hostile})

    body = asked.content.decode()
    assert asked.status_code == 200 and "Yes, reject this suggestion" in body
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert not ClaimMatchDecision.objects.exists()

    done = reviewer_client.post(url, {"match": match.pk, "reason": hostile, "confirmed": "on"})

    assert done.status_code == 302
    decision = ClaimMatchDecision.objects.get()
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "rejected",
        hostile,
        reviewer,
    )
    html = reviewer_client.get(reverse("claims:claim", args=[newer.pk])).content.decode()
    assert 'id="suggestions-heading"' not in html


def test_not_a_conflict_needs_a_reason_and_leaves_the_conflicts(reviewer_client):
    here = ClaimFactory(article=ArticleFactory())
    there = ClaimFactory(article=ArticleFactory())
    low, high = sorted([here, there], key=lambda c: c.pk)
    match = ClaimMatch.objects.create(
        claim=low, other=high, similarity=0.6, relation="conflict", details=[["1", "2", "homes"]]
    )
    url = reverse("matching:not_conflict", args=[here.pk])
    assert reviewer_client.post(url, {"match": match.pk}).status_code == 400
    asked = reviewer_client.post(url, {"match": match.pk, "reason": "Different towns."})
    assert asked.status_code == 200
    response = reviewer_client.post(
        url, {"match": match.pk, "reason": "Different towns.", "confirmed": "on"}
    )
    assert response.status_code == 302
    assert ClaimMatchDecision.objects.get().decision == "not_conflict"
    assert (
        "conflicts-heading"
        not in reviewer_client.get(reverse("claims:claim", args=[here.pk])).content.decode()
    )


def test_the_conflicts_navigation_entry_counts_open_conflicts(reviewer_client, settings):
    settings.NAV_BADGE_CACHE_SECONDS = 0
    for relation in ("conflict", "conflict", "differs_by_date", "same"):
        a, b = sorted([ClaimFactory(), ClaimFactory()], key=lambda c: c.pk)
        ClaimMatch.objects.create(claim=a, other=b, similarity=0.5, relation=relation)
    html = reviewer_client.get(reverse("matching:conflicts")).content.decode()
    assert (
        'data-nav="conflicts">Conflicts <span class="badge" aria-label="2 conflicts">2</span>'
        in (html)
    )
