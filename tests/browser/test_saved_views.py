"""Saved views in a real browser: save the current filter, see its count in the navigation,
share it with a colleague, delete it."""

from __future__ import annotations

import re

import pytest

from claims import deadlines
from claims.models import Claim, SavedView
from tests.browser.test_review_flow import _login, roles  # noqa: F401 - fixture
from tests.factories import ReviewerFactory
from tests.web.conftest import sentences_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_saves_a_view_shares_it_and_deletes_it(live_server, new_page, roles):  # noqa: F811
    ReviewerFactory(username="rita")
    ReviewerFactory(username="omar")
    _article, claims = sentences_article(5, source="Harbour Herald")
    Claim.objects.filter(pk__in=[c.pk for c in claims[:2]]).update(claim_type="quote")
    for claim in claims:  # what proposal would have set
        deadlines.article_set_due(article_id=claim.article_id)
    page = new_page()
    _login(page, live_server, "rita")

    page.goto(f"{live_server.url}/?claim_type=quote&sort=due")
    page.get_by_text("Saved views", exact=True).click()
    page.get_by_label("Save these filters as").fill("Quotes <b>first</b>")
    page.get_by_label("Share with the desk").check()
    page.get_by_role("button", name="Save view").click()

    page.get_by_text("Saved the view “Quotes <b>first</b>”.").wait_for()
    view = SavedView.objects.get()
    assert (view.query, view.shared) == ("claim_type=quote&sort=due", True)
    link = page.locator(f'nav a[data-nav="saved-view-{view.pk}"]')
    assert re.sub(r"\s+", " ", link.inner_text()).strip() == "Quotes <b>first</b> 2"

    other = new_page()
    _login(other, live_server, "omar")
    shared = other.locator(f'nav a[data-nav="saved-view-{view.pk}"]')
    assert "Quotes <b>first</b> (shared)" in shared.inner_text()
    shared.click()
    other.wait_for_url(re.compile(r"\?claim_type=quote&sort=due$"))
    assert other.locator("tr[data-claim-row]").count() == 2

    page.get_by_role("button", name="Delete the saved view Quotes <b>first</b>").click()
    page.get_by_text("Deleted the saved view.").wait_for()
    assert not SavedView.objects.exists()
    assert page.locator(f'nav a[data-nav="saved-view-{view.pk}"]').count() == 0
