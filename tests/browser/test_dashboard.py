"""An editor opens the dashboard in a real browser: the SVG charts are drawn and readable."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.services import stats_refresh
from matching.models import ClaimMatch
from tests.dashboard.conftest import claim, verdict
from tests.factories import ArticleFactory, EditorFactory, ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def desk_month():
    """Three weeks of a small desk's work, ending now, and the aggregates built from it."""
    EditorFactory(username="edna")
    reviewers = [ReviewerFactory(username=name) for name in ("rita", "omar", "lena")]
    now = timezone.now()
    statuses = ["verified", "disputed", "unconfirmed", "dismissed", "verified"]
    made = []
    for day in range(21):
        article = ArticleFactory(source=("Harbour Herald", "Valley Times")[day % 2])
        created = now - timedelta(days=day, hours=3)
        for n in range(1 + day % 4):
            c = claim(article, n, created)
            made.append(c)
            if (day + n) % 3:
                verdict(
                    c,
                    statuses[(day + n) % len(statuses)],
                    reviewers[(day + 2 * n) % 3],
                    min(now, created + timedelta(hours=2 + 5 * n + day)),
                )
    # Restatements found by matching: pairs of claims in different articles.
    for i in range(0, len(made) - 5, 3):
        first, second = sorted((made[i], made[i + 5]), key=lambda c: c.pk)
        match = ClaimMatch.objects.create(
            claim=first, other=second, similarity=0.8, relation=("same", "conflict")[i % 2]
        )
        ClaimMatch.objects.filter(pk=match.pk).update(created_at=second.created_at)
    stats_refresh(days=None)


def test_editor_sees_the_dashboard_charts(live_server, new_page, desk_month, artifacts_dir):
    page = new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    assert page.get_by_role("heading", name="Desk dashboard").is_visible()
    assert page.locator('nav a[data-nav="dashboard"]').get_attribute("aria-current") == "page"
    charts = page.locator('svg.chart[role="img"]')
    assert charts.count() == 6
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 100, box
        # Drawn, not the empty-chart notice: bars or points with their hover titles.
        marks = chart.locator("rect.bar, circle.point")
        assert marks.count() > 0, chart.get_attribute("id")
        assert marks.first.locator("title").text_content()
        assert "No data for this range." not in chart.text_content()

    # The numbers behind a chart are one click away.
    panel = page.locator('[data-panel="activity"]')
    table = panel.locator("details table")
    assert not table.is_visible()
    panel.locator("summary").click()
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 30

    # A filter that makes no sense is refused with a message, not a broken page.
    page.fill("#id_start", "2026-03-10")
    page.fill("#id_end", "2026-03-01")
    page.get_by_role("button", name="Show").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "is after the end date" in alert.inner_text()
    page.go_back()
    page.locator("svg.chart").first.wait_for()

    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)
    assert (artifacts_dir / "dashboard.png").stat().st_size > 10_000
    # No CSP violation or script error; the one 400 is the refused filter's own page.
    assert [e for e in errors if "status of 400" not in e] == []
