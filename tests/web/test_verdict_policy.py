"""The verdict policy on the reviewer page: missing rationale/evidence, approval, undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import review
from claims.models import ClaimStatusChange, VerdictApproval
from tests.conftest import EVIDENCE, RATIONALE
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _verdict(client, claim, to_status, *, note=RATIONALE, evidence=EVIDENCE, htmx=False):
    data = {
        "to_status": to_status,
        "version": claim.version,
        "note": note,
        "queue": "",
        "evidence_url": [e["url"] for e in evidence],
        "evidence_title": [e["title"] for e in evidence],
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("claims:set_status", args=[claim.pk]), data, headers=headers)


def test_verdict_without_rationale_and_evidence_is_400_naming_both(reviewer):
    claim = ClaimFactory()

    response = _verdict(_client(reviewer), claim, "verified", note="ok", evidence=[])

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="policy-missing"' in html
    assert (
        '<li data-field="note">A Verified verdict needs a rationale of at least 40 characters '
        "in the note (it has 2).</li>"
    ) in html
    assert (
        '<li data-field="evidence">A Verified verdict needs at least one evidence link.</li>'
        in (html)
    )
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)


def test_rejected_verdict_keeps_the_typed_links_escaped(reviewer):
    claim = ClaimFactory()
    links = [{"url": "https://x.example/?q=<script>", "title": '"><script>alert(1)</script>'}]

    response = _verdict(_client(reviewer), claim, "verified", note="short", evidence=links)

    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_disputed_awaits_approval_and_the_page_says_by_whom(reviewer, other_reviewer):
    claim = ClaimFactory()

    response = _verdict(_client(reviewer), claim, "disputed")

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "proposed"
    page = _client(other_reviewer).get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "Awaiting approval: disputed by rita" in page
    assert 'data-action="approve"' in page
    own = _client(reviewer).get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "Awaiting approval: disputed by rita" in own
    assert 'data-action="approve"' not in own
    assert "another reviewer must approve it" in own


def test_approvals_page_and_badge_count_others_verdicts_only(reviewer, other_reviewer, settings):
    settings.NAV_BADGE_CACHE_SECONDS = 0
    first, second = ClaimFactory(), ClaimFactory()
    _verdict(_client(reviewer), first, "disputed")
    _verdict(_client(other_reviewer), second, "disputed")

    page = _client(other_reviewer).get(reverse("claims:approvals"))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="approval-item"') == 2
    assert html.count('data-action="approve"') == 1  # not on omar's own
    assert 'data-nav="awaiting-approval">Awaiting approval <span class="badge"' in html
    assert 'aria-label="1 awaiting approval">1</span>' in html


def test_approve_from_the_approvals_page(reviewer, other_reviewer):
    claim = ClaimFactory()
    _verdict(_client(reviewer), claim, "disputed")
    approval = VerdictApproval.objects.get(claim=claim)

    response = _client(other_reviewer).post(
        reverse("claims:approve", args=[claim.pk]), {"approval": approval.pk, "from": "approvals"}
    )

    assert (response.status_code, response["Location"]) == (302, reverse("claims:approvals"))
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("disputed", other_reviewer)
    change = ClaimStatusChange.objects.get(claim=claim)
    assert (change.submitted_by, change.changed_by) == (reviewer, other_reviewer)
    history = _client(reviewer).get(reverse("claims:claim", args=[claim.pk])).content.decode()
    submitted = '<strong class="submitted-by">rita</strong>'
    approved = '<strong class="approved-by">omar</strong>'
    assert f"{submitted}, approved by {approved}" in history


def test_self_approval_is_refused_on_the_page(reviewer):
    claim = ClaimFactory()
    _verdict(_client(reviewer), claim, "disputed")
    approval = VerdictApproval.objects.get(claim=claim)

    response = _client(reviewer).post(
        reverse("claims:approve", args=[claim.pk]), {"approval": approval.pk}
    )

    assert response.status_code == 403
    assert "You cannot approve your own verdict" in response.content.decode()
    claim.refresh_from_db()
    approval.refresh_from_db()
    assert (claim.status, approval.state) == ("proposed", "pending")


def test_send_back_without_a_note_is_400_and_with_one_works(reviewer, other_reviewer):
    claim = ClaimFactory()
    _verdict(_client(reviewer), claim, "disputed")
    approval = VerdictApproval.objects.get(claim=claim)
    url = reverse("claims:send_back", args=[claim.pk])

    empty = _client(other_reviewer).post(url, {"approval": approval.pk, "decision_note": ""})
    done = _client(other_reviewer).post(
        url, {"approval": approval.pk, "decision_note": "Cite the audit <b>please</b>."}
    )

    assert empty.status_code == 400
    assert "A note is required to send a verdict back" in empty.content.decode()
    assert done.status_code == 302
    approval.refresh_from_db()
    assert (approval.state, approval.decision_note) == (
        "sent_back",
        "Cite the audit <b>please</b>.",
    )


def test_undo_offered_after_the_verdict_and_works_once(reviewer):
    claim, following = ClaimFactory(score=0.9), ClaimFactory(score=0.5)
    client = _client(reviewer)

    response = _verdict(client, claim, "verified")
    next_page = client.get(response["Location"]).content.decode()

    change = ClaimStatusChange.objects.get(claim=claim)
    assert response["Location"].startswith(reverse("claims:claim", args=[following.pk]))
    assert 'id="undo-offer"' in next_page
    assert f'<input type="hidden" name="change" value="{change.pk}">' in next_page
    assert f'href="{reverse("claims:claim", args=[claim.pk])}"' in next_page  # the way back

    undo = client.post(reverse("claims:undo", args=[claim.pk]), {"change": change.pk})
    again = client.post(reverse("claims:undo", args=[claim.pk]), {"change": change.pk})

    assert undo.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 3)
    assert again.status_code == 409
    assert ClaimStatusChange.objects.filter(claim=claim).count() == 2
    page = client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'id="undo-offer"' not in page
    assert "undone" in page


def test_undo_from_the_history_only_for_its_author_within_the_window(
    reviewer, other_reviewer, settings
):
    claim = ClaimFactory()
    change = review.claim_review(
        claim_id=claim.pk, to_status="verified", user=reviewer, note=RATIONALE, evidence=EVIDENCE
    ).change
    url = reverse("claims:claim", args=[claim.pk])

    mine = _client(reviewer).get(url).content.decode()
    theirs = _client(other_reviewer).get(url).content.decode()
    ClaimStatusChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - timedelta(seconds=settings.UNDO_WINDOW_SECONDS + 1)
    )
    late = _client(reviewer).get(url).content.decode()
    refused = _client(reviewer).post(reverse("claims:undo", args=[claim.pk]), {"change": change.pk})

    assert 'data-action="undo"' in mine
    assert 'data-action="undo"' not in theirs
    assert 'data-action="undo"' not in late
    assert refused.status_code == 409
    assert "Too late to undo" in refused.content.decode()


@pytest.mark.parametrize("change", ["", "abc", "1 OR 1=1", "99999999999999999999"])
def test_undo_with_a_bad_change_id_is_404(reviewer, change):
    claim = ClaimFactory()
    response = _client(reviewer).post(reverse("claims:undo", args=[claim.pk]), {"change": change})
    assert response.status_code == 404
