"""The verdict policy in a real browser: two reviewers approve and send back; undo."""

from __future__ import annotations

import re

import pytest

from claims.models import ClaimStatusChange, VerdictApproval
from tests.browser.test_review_flow import _claim_url, _login, desk, roles  # noqa: F401
from tests.conftest import EVIDENCE, RATIONALE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, live_server, claim, key):
    page.goto(f"{live_server.url}/claims/{claim.pk}/?status=all")
    page.locator("#note").fill(RATIONALE)
    page.locator("#evidence-url-1").fill(EVIDENCE[0]["url"])
    page.locator("#evidence-title-1").fill(EVIDENCE[0]["title"])
    page.locator("#note").press("Escape")
    page.keyboard.press(key)


def test_two_reviewers_approve_and_send_back(live_server, new_page, desk, artifacts_dir):  # noqa: F811
    rita, omar, _article, claims = desk
    first, second = claims[0], claims[1]
    rita_page, omar_page = new_page(), new_page()
    errors = []
    for page in (rita_page, omar_page):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(rita_page, live_server, "rita")
    _login(omar_page, live_server, "omar")

    # Too short a rationale: refused, naming what is missing.
    rita_page.goto(f"{live_server.url}/claims/{first.pk}/")
    rita_page.locator("#note").fill("Wrong.")
    rita_page.locator("#note").press("Escape")
    rita_page.keyboard.press("d")
    rita_page.locator("#policy-missing").wait_for()
    assert "at least one evidence link" in rita_page.locator("#policy-missing").inner_text()

    _submit(rita_page, live_server, first, "d")
    rita_page.wait_for_url(re.compile(r"/claims/\d+/"))
    assert "awaits approval" in rita_page.locator(".messages").inner_text()
    first.refresh_from_db()
    assert first.status == "proposed"

    # Rita cannot approve her own: no Approve button for her.
    rita_page.goto(f"{live_server.url}/claims/{first.pk}/?status=all")
    assert "Awaiting approval: disputed by rita" in rita_page.locator("#review-panel").inner_text()
    assert rita_page.locator("[data-action=approve]").count() == 0

    omar_page.goto(f"{live_server.url}/approvals/")
    assert omar_page.locator("[data-nav=awaiting-approval]").is_visible()
    omar_page.screenshot(path=str(artifacts_dir / "approvals.png"), full_page=True)
    omar_page.locator(f"#approval-{VerdictApproval.objects.get(claim=first).pk}").locator(
        "[data-action=approve]"
    ).click()
    omar_page.wait_for_url(re.compile(r"/approvals/$"))
    omar_page.locator("#no-approvals").wait_for()
    first.refresh_from_db()
    assert (first.status, first.reviewed_by) == ("disputed", omar)
    change = ClaimStatusChange.objects.get(claim=first)
    assert (change.submitted_by, change.changed_by) == (rita, omar)
    omar_page.goto(f"{live_server.url}/claims/{first.pk}/?status=all")
    assert "rita, approved by omar" in omar_page.locator("#history").inner_text()

    # Send back: a note is required; the claim keeps its status.
    _submit(rita_page, live_server, second, "d")
    rita_page.wait_for_url(re.compile(r"/claims/\d+/"))
    omar_page.goto(f"{live_server.url}/claims/{second.pk}/?status=all")
    approval = VerdictApproval.objects.get(claim=second)
    omar_page.locator(f"#send-back-note-{approval.pk}").fill("Cite the council minutes too.")
    omar_page.locator("[data-action=send-back]").click()
    omar_page.locator(".messages", has_text="was sent back to rita").wait_for()
    approval.refresh_from_db()
    second.refresh_from_db()
    assert (approval.state, approval.decision_note, second.status) == (
        "sent_back",
        "Cite the council minutes too.",
        "proposed",
    )
    assert errors == []


def test_reviewer_undoes_a_verdict_from_the_message(live_server, new_page, desk):  # noqa: F811
    _rita, _omar, _article, claims = desk
    first = claims[0]
    page = new_page()
    _login(page, live_server, "rita")

    page.goto(f"{live_server.url}/claims/{first.pk}/")
    page.locator("#note").fill(RATIONALE)
    page.locator("#evidence-url-1").fill(EVIDENCE[0]["url"])
    page.locator("#note").press("Escape")
    page.keyboard.press("v")
    page.wait_for_url(_claim_url(live_server, claims[1]))
    first.refresh_from_db()
    assert first.status == "verified"

    # The way back: the message names the claim just reviewed and offers Undo.
    assert page.locator("#undo-claim-link").inner_text() == f"claim #{first.pk}"
    page.locator("#undo-button").click()
    page.wait_for_url(_claim_url(live_server, first))
    assert "Undone" in page.locator(".messages").inner_text()
    first.refresh_from_db()
    assert (first.status, first.version) == ("proposed", 3)
    assert ClaimStatusChange.objects.filter(claim=first, undoes__isnull=False).count() == 1
    assert page.locator("#undo-offer").count() == 0
    assert "undone" in page.locator("#history").inner_text()
