"""A reviewer's day in a real browser: log in, triage by keyboard, history, conflicts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission

from claims.models import ClaimStatusChange
from claims.roles import GROUP_PERMISSIONS
from tests.factories import ReviewerFactory
from tests.web.conftest import sentences_article

# The keyboard flow with a one-step policy; test_verdict_policy_flow.py drives the default one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("lenient_policy"),
]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def roles():
    # Transactional tests flush the database between tests, data migrations included.
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


@pytest.fixture
def desk(roles):
    rita = ReviewerFactory(username="rita")
    omar = ReviewerFactory(username="omar")
    article, claims = sentences_article(
        6, title="Riverside flood: what the council said", source="Harbour Herald"
    )
    return rita, omar, article, claims


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def _claim_url(live_server, claim):
    return re.compile(re.escape(f"{live_server.url}/claims/{claim.pk}/"))


def test_reviewer_disputes_a_claim_by_keyboard_and_sees_it_in_the_history(
    live_server, new_page, desk, artifacts_dir
):
    rita, _omar, article, claims = desk
    first, second = claims[0], claims[1]  # highest scores first
    page = new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    _login(page, live_server, "rita")
    assert page.get_by_role("heading", name="Triage queue").is_visible()
    assert page.locator("tr[data-claim-row]").count() == 6
    page.screenshot(path=str(artifacts_dir / "queue.png"), full_page=True)

    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(_claim_url(live_server, first))
    assert page.locator("mark.claim-mark").inner_text() == first.text

    page.keyboard.press("?")
    assert page.locator("dialog#help").is_visible()
    page.keyboard.press("Escape")

    # "a" assigns to me in place (htmx): the panel comes back with the claim's new version.
    page.keyboard.press("a")
    page.locator("#review-panel legend", has_text="Assignment: rita").wait_for()
    assert page.locator("#verdict-form input[name=version]").input_value() == "2"

    page.keyboard.press("n")
    page.keyboard.type("The depot log gives a different figure.")
    page.keyboard.press("Escape")
    page.screenshot(path=str(artifacts_dir / "claim.png"), full_page=True)
    page.keyboard.press("d")

    # After a verdict the next claim of the queue opens.
    page.wait_for_url(_claim_url(live_server, second))
    change = ClaimStatusChange.objects.get(claim=first)
    assert (change.to_status, change.changed_by, change.note) == (
        "disputed",
        rita,
        "The depot log gives a different figure.",
    )

    page.goto(f"{live_server.url}/claims/{first.pk}/?status=all")
    entry = page.locator("#history .history-entry")
    assert entry.count() == 1
    assert "rita" in entry.inner_text()
    assert "Proposed → Disputed" in entry.inner_text()
    assert "The depot log gives a different figure." in entry.inner_text()

    page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert (
        "6 claims: 0 verified, 1 disputed, 0 unconfirmed, 5 to review"
        in page.locator("#claim-summary").inner_text()
    )
    page.screenshot(path=str(artifacts_dir / "article.png"), full_page=True)
    # No script errors and no Content-Security-Policy violations on any page visited.
    assert errors == []


def test_second_reviewer_sees_a_conflict_instead_of_overwriting(
    live_server, new_page, desk, artifacts_dir
):
    _rita, omar, _article, claims = desk
    claim = claims[2]
    rita_page, omar_page = new_page(), new_page()
    _login(rita_page, live_server, "rita")
    _login(omar_page, live_server, "omar")
    rita_page.goto(f"{live_server.url}/claims/{claim.pk}/")
    omar_page.goto(f"{live_server.url}/claims/{claim.pk}/")

    omar_page.keyboard.press("v")
    omar_page.wait_for_url(_claim_url(live_server, claims[3]))
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("verified", omar)

    rita_page.keyboard.press("n")
    rita_page.keyboard.type("Looks wrong to me.")
    rita_page.keyboard.press("Escape")
    rita_page.keyboard.press("d")

    conflict = rita_page.locator("#conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "Someone else changed this claim" in text
    assert "Verified" in text and "omar" in text
    # Nothing was overwritten, and Rita's note is still in the box.
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("verified", omar)
    assert rita_page.locator("#note").input_value() == "Looks wrong to me."
    # The history beside the panel was refreshed too: Omar's verdict is there.
    assert "omar" in rita_page.locator("#history .history-entry").inner_text()
    rita_page.screenshot(path=str(artifacts_dir / "conflict.png"), full_page=True)
