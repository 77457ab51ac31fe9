"""The claim page and its actions: verdicts, notes, evidence, assignment, conflicts, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatusChange, Evidence
from claims.services import claim_assign, claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]


def _claim_in_second_paragraph():
    article = ArticleFactory(title="Flood budget vote", source="Harbour Herald")
    sentence = "The mayor, Dana Whitfield, said the plan would protect 12,000 homes by 2028."
    start = article.body.index(sentence)
    return ClaimFactory(
        article=article, start=start, end=start + len(sentence), claimer="Dana Whitfield"
    )


def _status(client, claim, to_status, *, version=None, note="", queue="", htmx=False, **extra):
    data = {
        "to_status": to_status,
        "version": claim.version if version is None else version,
        "note": note,
        "queue": queue,
        **extra,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("claims:set_status", args=[claim.pk]), data, headers=headers)


def test_claim_page_shows_the_sentence_highlighted_in_its_paragraph(reviewer_client):
    claim = _claim_in_second_paragraph()

    response = reviewer_client.get(reverse("claims:claim", args=[claim.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<mark class="claim-mark st-proposed">{claim.text}</mark>' in html
    # Only the claim's own paragraph is shown, not the rest of the article.
    assert "approved a budget" not in html
    for expected in ("Flood budget vote", "Harbour Herald", "Dana Whitfield", "0.90"):
        assert expected in html
    assert 'rel="noopener noreferrer" target="_blank">https://herald.example/' in html


def test_verdict_records_history_and_opens_the_next_claim_of_the_filtered_queue(
    reviewer_client, reviewer
):
    first = ClaimFactory(score=0.9, claim_type="event")
    ClaimFactory(score=0.8, claim_type="quantity")  # outside the filter: skipped
    following = ClaimFactory(score=0.7, claim_type="event")

    response = _status(
        reviewer_client, first, "verified", note="Council minutes", queue="claim_type=event"
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("claims:claim", args=[following.pk]) + "?claim_type=event"
    )
    first.refresh_from_db()
    assert (first.status, first.version, first.reviewed_by) == ("verified", 2, reviewer)
    change = ClaimStatusChange.objects.get(claim=first)
    assert (change.from_status, change.to_status, change.note) == (
        "proposed",
        "verified",
        "Council minutes",
    )


def test_verdict_on_the_last_claim_returns_to_the_queue(reviewer_client):
    claim = ClaimFactory()
    response = _status(reviewer_client, claim, "verified", queue="q=homes")
    assert response["Location"] == reverse("claims:queue") + "?q=homes"


def test_verdict_with_evidence_links_saves_them_on_the_history_row(reviewer_client):
    claim = ClaimFactory()
    _status(
        reviewer_client,
        claim,
        "disputed",
        note="The budget was $38 million.",
        evidence_url=["https://council.example/minutes", ""],
        evidence_title=["Council minutes", ""],
    )
    change = ClaimStatusChange.objects.get(claim=claim)
    assert list(
        Evidence.objects.filter(claim=claim).values_list("url", "title", "status_change")
    ) == [("https://council.example/minutes", "Council minutes", change.pk)]


@pytest.mark.parametrize("to_status", ["disputed", "unconfirmed"])
def test_verdict_needing_a_note_without_one_is_refused_with_the_services_message(
    reviewer_client, to_status
):
    claim = ClaimFactory()

    response = _status(reviewer_client, claim, to_status, note="   ")

    assert response.status_code == 400
    assert f"A note is required to mark a claim {to_status}." in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)
    assert not ClaimStatusChange.objects.exists()


def test_javascript_evidence_url_is_refused_and_nothing_is_saved(reviewer_client):
    claim = ClaimFactory()
    response = _status(
        reviewer_client,
        claim,
        "verified",
        evidence_url=["javascript:alert(1)"],
        evidence_title=["x"],
    )
    assert response.status_code == 409
    assert "Evidence URL must be an http(s) URL" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "proposed"
    assert not Evidence.objects.exists()


def test_stale_verdict_shows_the_conflict_and_overwrites_nothing(reviewer_client, other_reviewer):
    claim = ClaimFactory()
    loaded_version = claim.version
    claim_set_status(claim_id=claim.pk, to_status="verified", user=other_reviewer, note="ok")

    response = _status(
        reviewer_client, claim, "disputed", version=loaded_version, note="My careful note"
    )
    html = response.content.decode()

    assert response.status_code == 409
    assert "Someone else changed this claim after you opened it" in html
    assert "It is now “Verified” (set by omar" in html
    # The reviewer's note is kept in the form so it is not lost.
    assert "My careful note</textarea>" in html
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.reviewed_by) == ("verified", 2, other_reviewer)
    assert list(ClaimStatusChange.objects.values_list("to_status", flat=True)) == ["verified"]


def test_dismissed_claim_offers_only_reopen(reviewer_client):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="dismissed", user=None)
    html = reviewer_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    for value in ("verified", "disputed", "unconfirmed", "dismissed"):
        assert f'value="{value}" class="verdict st-{value}" data-key=' in html
    assert html.count(" disabled>") == 4
    assert 'value="proposed" class="verdict st-proposed">Reopen</button>' in html


def test_htmx_verdict_answers_with_a_client_redirect(reviewer_client):
    claim, following = ClaimFactory(score=0.9), ClaimFactory(score=0.5)
    response = _status(reviewer_client, claim, "verified", htmx=True)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("claims:claim", args=[following.pk])


def test_htmx_error_returns_only_the_review_panel(reviewer_client):
    claim = ClaimFactory()
    response = _status(reviewer_client, claim, "disputed", htmx=True)
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<section id="review-panel"')
    assert "<html" not in html
    assert "autofocus" in html


# --- assignment and evidence ----------------------------------------------------------------


def _assign(client, claim, assignee, *, version=None, htmx=False, **extra):
    data = {"assignee": assignee, "version": claim.version if version is None else version}
    data.update(extra)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("claims:assign", args=[claim.pk]), data, headers=headers)


def test_assign_to_me_then_to_another_reviewer_then_unassign(
    reviewer_client, reviewer, other_reviewer
):
    claim = ClaimFactory()

    first = _assign(reviewer_client, claim, "me")
    claim.refresh_from_db()
    assert (first.status_code, claim.assignee, claim.version) == (302, reviewer, 2)

    _assign(reviewer_client, claim, "other", assignee_id=other_reviewer.pk)
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (other_reviewer, 3)

    _assign(reviewer_client, claim, "none")
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (None, 4)


def test_htmx_assign_swaps_the_panel_with_the_new_version(reviewer_client):
    claim = ClaimFactory()
    response = _assign(reviewer_client, claim, "me", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="review-panel"')
    assert 'name="version" value="2"' in html
    assert "Assigned to rita." in html


def test_stale_assignment_is_refused_with_the_conflict_message(reviewer_client, other_reviewer):
    claim = ClaimFactory()
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=other_reviewer)

    response = _assign(reviewer_client, claim, "me", version=1)

    assert response.status_code == 409
    assert "Someone else changed this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee == other_reviewer


def test_add_evidence_link_outside_a_verdict(reviewer_client, reviewer):
    claim = ClaimFactory()
    response = reviewer_client.post(
        reverse("claims:add_evidence", args=[claim.pk]),
        {"url": "https://stats.example/table-4", "title": "Table 4"},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.url, evidence.title, evidence.added_by, evidence.status_change) == (
        "https://stats.example/table-4",
        "Table 4",
        reviewer,
        None,
    )
    page = reviewer_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert '<a href="https://stats.example/table-4" rel="noopener noreferrer nofollow"' in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.example/"])
def test_add_evidence_refuses_non_http_urls(reviewer_client, url):
    claim = ClaimFactory()
    response = reviewer_client.post(
        reverse("claims:add_evidence", args=[claim.pk]), {"url": url, "title": "t"}
    )
    assert response.status_code == 400
    assert "Evidence URL must be an http(s) URL" in response.content.decode()
    assert not Evidence.objects.exists()


def test_history_timeline_shows_who_when_from_to_note_and_evidence(
    reviewer_client, reviewer, other_reviewer
):
    claim = ClaimFactory()
    claim_set_status(
        claim_id=claim.pk,
        to_status="unconfirmed",
        user=reviewer,
        note="No second source yet.",
        evidence=[{"url": "https://a.example/1", "title": "First lead"}],
    )
    claim_set_status(claim_id=claim.pk, to_status="verified", user=other_reviewer)

    html = reviewer_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    history = html[html.index('id="history"') :]

    assert history.count('class="history-entry"') == 2
    first, second = history.split('class="history-entry"')[1:3]
    assert "<strong>rita</strong>" in first
    assert "Proposed</span> →" in first and "Unconfirmed</span>" in first
    assert "No second source yet." in first and "First lead" in first
    assert "<strong>omar</strong>" in second and "Verified</span>" in second


def test_claim_page_previous_and_next_follow_the_queue(reviewer_client):
    high, mid, low = ClaimFactory(score=0.9), ClaimFactory(score=0.6), ClaimFactory(score=0.3)
    response = reviewer_client.get(reverse("claims:claim", args=[mid.pk]))
    assert response.context["previous_url"] == reverse("claims:claim", args=[high.pk])
    assert response.context["next_url"] == reverse("claims:claim", args=[low.pk])


def test_claim_page_of_a_missing_claim_is_404(reviewer_client):
    missing = reviewer_client.get(reverse("claims:claim", args=[999999]))
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.content.decode()
    response = _status(reviewer_client, Claim(pk=999999, version=1), "verified")
    assert response.status_code == 404


def test_htmx_conflict_also_refreshes_the_history_and_status_badge(reviewer_client, other_reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=other_reviewer, note="ok")

    response = _status(reviewer_client, claim, "disputed", version=1, note="mine", htmx=True)
    html = response.content.decode()

    assert response.status_code == 409
    history = html[html.index('id="history-section" ') :]
    assert history.startswith('id="history-section" aria-labelledby="history-heading" hx-swap-oob')
    assert "<strong>omar</strong>" in history
    assert 'class="badge st-verified" id="claim-status" hx-swap-oob="true">Verified<' in html


def test_previous_and_next_across_every_status_follow_the_score(reviewer_client):
    above, current, below = (
        ClaimFactory(score=0.9),
        ClaimFactory(score=0.8),
        ClaimFactory(score=0.7),
    )
    claim_set_status(claim_id=above.pk, to_status="verified", user=None)
    claim_set_status(claim_id=below.pk, to_status="disputed", user=None, note="n")
    response = reviewer_client.get(reverse("claims:claim", args=[current.pk]), {"status": "all"})
    assert response.context["previous_url"] == (
        reverse("claims:claim", args=[above.pk]) + "?status=all"
    )
    assert response.context["next_url"] == reverse("claims:claim", args=[below.pk]) + "?status=all"


def test_evidence_urls_sent_without_titles_are_kept(reviewer_client):
    from django.urls import reverse

    from claims.models import Evidence
    from tests.factories import ClaimFactory

    claim = ClaimFactory()

    response = reviewer_client.post(
        reverse("claims:set_status", args=[claim.pk]),
        {
            "to_status": "verified",
            "version": claim.version,
            "evidence_url": ["https://council.example/a.pdf", "https://council.example/b.pdf"],
        },
    )

    assert response.status_code in (200, 302)
    assert sorted(Evidence.objects.filter(claim=claim).values_list("url", flat=True)) == [
        "https://council.example/a.pdf",
        "https://council.example/b.pdf",
    ]
