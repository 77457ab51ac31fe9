"""/dashboard/ and its CSV downloads: who may see them, the filter, the numbers, the queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.services import stats_refresh
from tests.dashboard.conftest import HERALD, NOW, TIMES, at, claim, verdict
from tests.factories import ArticleFactory, EditorFactory, ReviewerFactory, UserFactory

URL = "/dashboard/"
RANGE = {"start": "2026-03-01", "end": "2026-03-10"}


@pytest.fixture
def frozen_now():
    # The page's live counts (overdue, due for re-check) and default range read the clock.
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture
def built(desk, frozen_now):
    stats_refresh(days=None, now=NOW)
    return desk


@pytest.fixture
def editor_client(client, db):
    client.force_login(EditorFactory(username="eddie"))
    return client


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


# --- who may see it -------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/dashboard/csv/activity/").status_code == 302


def test_a_reviewer_without_the_editor_role_is_refused(client, db):
    client.force_login(ReviewerFactory(username="rhea"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "for Editors and staff" in response.content.decode()
    assert client.get("/dashboard/csv/activity/").status_code == 403


def test_a_reviewer_with_admin_access_is_still_refused(client, db):
    # As deployed, reviewers have is_staff to enter the admin: that is not the editor role.
    client.force_login(ReviewerFactory(username="rhea", is_staff=True))
    assert client.get(URL).status_code == 403


def test_an_inactive_editor_is_refused(client, db):
    user = EditorFactory(username="gone", is_active=False)
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)


@pytest.mark.parametrize("who", ["editor", "staff"])
def test_editors_and_staff_see_the_dashboard_and_its_nav_entry(client, db, who):
    user = (
        EditorFactory(username="eddie")
        if who == "editor"
        else UserFactory(username="stella", is_staff=True, is_superuser=True)
    )
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-nav="dashboard"' in response.content.decode()


def test_the_nav_entry_is_hidden_from_reviewers(client, db):
    client.force_login(ReviewerFactory(username="rhea"))
    page = client.get("/").content.decode()
    assert 'data-nav="dashboard"' not in page


# --- what it shows --------------------------------------------------------------------------


def test_the_page_draws_every_chart_with_its_numbers(editor_client, built):
    response = editor_client.get(URL, RANGE)
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("backlog", "activity", "verdicts", "time-to-verdict", "reviewers", "matches"):
        assert f'data-panel="{key}"' in page
        assert f'href="/dashboard/csv/{key}/?start=2026-03-01&amp;end=2026-03-10"' in page
    assert page.count('role="img"') == 6
    assert page.count("<details>") == 6
    # Hover titles on bars: rita gave three verdicts, the backlog has one claim over 7 days.
    assert "<title>rita: 3</title>" in page
    assert "<title>&gt; 7 days · Proposed: 1</title>" in page
    data = response.context["data"]
    assert data.totals == {
        "proposed": 5,
        "reviewed": 4,
        "backlog": 3,
        "matches": 1,
        "conflicts": 1,
    }
    assert data.overdue == 1  # c6: due on the 1st, still proposed
    assert data.due_for_recheck == 1  # c1: expired on the 9th
    assert data.proposed_by_day[:3] == [2, 1, 0]
    assert data.reviewed_by_day[:4] == [1, 1, 1, 1]
    # Medians of 30 min, 6 h and 48 h: 6 h, read back from the histogram within a bin.
    assert data.median_seconds == pytest.approx(6 * 3600, rel=0.125)


def test_the_source_filter_narrows_every_panel(editor_client, built):
    response = editor_client.get(URL, {**RANGE, "source": TIMES})
    assert response.status_code == 200
    data = response.context["data"]
    assert data.totals == {
        "proposed": 2,
        "reviewed": 1,
        "backlog": 1,
        "matches": 1,
        "conflicts": 1,
    }
    assert data.overdue == 0 and data.due_for_recheck == 0
    assert [name for name, _ in data.reviewers] == ["rita"]
    # One source's deadlines come from the last refresh (no index holds a claim's outlet).
    herald = editor_client.get(URL, {**RANGE, "source": HERALD}).context["data"]
    assert (herald.overdue, herald.due_for_recheck, herald.deadlines_live) == (1, 1, False)


def test_the_default_range_is_the_last_30_days(editor_client, built):
    response = editor_client.get(URL)
    data = response.context["data"]
    assert data.end == NOW.date() and data.start == NOW.date() - timedelta(days=29)
    assert not data.weekly
    assert "Last 30 days, all sources" in response.content.decode()


def test_a_long_range_is_shown_per_week(editor_client, built):
    data = editor_client.get(URL, {"start": "2025-12-01", "end": "2026-03-10"}).context["data"]
    assert data.weekly
    assert all(p.weekday() == 0 for p in data.periods)
    assert sum(data.verdicts_by_period["verified"]) == 2


def test_before_the_first_refresh_the_page_says_how_to_fill_it(editor_client, desk):
    page = editor_client.get(URL).content.decode()
    assert "manage.py dashboard_rebuild" in page


# --- hostile filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "<script>alert(1)</script>"}, "From: Enter a valid date."),
        ({"end": "2026-13-45"}, "To: Enter a valid date."),
        ({"start": "2026-03-10' OR 1=1 --"}, "From: Enter a valid date."),
        ({"start": "\uff11\uff12"}, "From: Enter a valid date."),  # fullwidth digits
        ({"start": "2026-03-10", "end": "2026-03-01"}, "is after the end date"),
        ({"start": "2024-01-01", "end": "2026-03-10"}, "choose at most 366"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "Dates must lie between"),
        ({"end": "9999-12-31", "start": "9999-12-30"}, "Dates must lie between"),
        ({"source": "'; DROP TABLE claims_claim; --"}, "Source: Select a valid choice."),
        ({"source": "<script>x</script>" * 600}, "Source: Select a valid choice."),
    ],
)
def test_a_bad_filter_is_refused_with_a_clear_error(editor_client, built, query, message):
    response = editor_client.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    errors = re.search(r'<div class="dash-errors".*?</div>', page, re.S).group(0)
    assert message.replace("'", "&#x27;") in errors
    assert "<script>" not in page
    assert 'role="img"' not in page  # nothing half-drawn
    csv_response = editor_client.get("/dashboard/csv/activity/", query)
    assert csv_response.status_code == 400
    assert csv_response["Content-Type"].startswith("text/plain")


def test_an_unknown_series_is_not_found(editor_client, built):
    assert editor_client.get("/dashboard/csv/passwords/").status_code == 404


# --- CSV ------------------------------------------------------------------------------------


def test_csv_has_the_series_with_its_content_type_and_filename(editor_client, built):
    response = editor_client.get("/dashboard/csv/activity/", RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-activity-2026-03-01-2026-03-10.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == ["Day", "Proposed", "Reviewed (verdicts given)"]
    assert rows[1:4] == [
        ["2026-03-01", "2", "1"],
        ["2026-03-02", "1", "1"],
        ["2026-03-03", "0", "1"],
    ]
    assert len(rows) == 11


@pytest.mark.parametrize(
    ("series", "header", "first"),
    [
        ("summary", ["Metric", "Value"], ["Backlog (claims without a verdict)", "3"]),
        ("backlog", ["Age", "Proposed", "Total"], ["< 1 day", "1", "1"]),
        (
            "verdicts",
            ["Day", "Verified", "Disputed", "Unconfirmed", "Dismissed (not a claim)"],
            ["2026-03-01", "1", "0", "0", "0"],
        ),
        (
            "time-to-verdict",
            ["Day", "First verdicts", "Median hours", "Mean hours"],
            ["2026-03-01", "1", "6.0", "6.0"],
        ),
        ("reviewers", ["Reviewer", "Verdicts"], ["rita", "3"]),
        ("matches", ["Day", "Same claim", "Conflicting figures"], ["2026-03-01", "0", "0"]),
    ],
)
def test_every_series_downloads(editor_client, built, series, header, first):
    rows = csv_rows(editor_client.get(f"/dashboard/csv/{series}/", RANGE))
    assert rows[0] == header
    assert rows[1][0] == first[0]
    # Medians come from a histogram: within a bin (12.5 %) of the exact value.
    assert [float(v) for v in rows[1][1 : len(first)]] == pytest.approx(
        [float(v) for v in first[1:]], rel=0.125
    )


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(editor_client, built):
    evil = ReviewerFactory(username='=HYPERLINK("http://x")')
    at_user = ReviewerFactory(username="@SUM(1+1)")
    article = ArticleFactory(source="+cmd|' /C calc'!A0")
    c = claim(article, 0, at(5, 9))
    verdict(c, "verified", evil, at(5, 10))
    c2 = claim(article, 1, at(5, 9))
    verdict(c2, "disputed", at_user, at(5, 11))
    stats_refresh(days=None, now=NOW)
    rows = csv_rows(editor_client.get("/dashboard/csv/reviewers/", RANGE))
    names = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names
    assert "'@SUM(1+1)" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    # Numbers are left alone (a count is never text a spreadsheet runs).
    assert all(r[1].isdigit() for r in rows[1:])
    # The outlet's name reaches a CSV through the page's own description only, escaped too.
    response = editor_client.get(URL, {**RANGE, "source": "+cmd|' /C calc'!A0"})
    assert response.status_code == 200


# --- speed ----------------------------------------------------------------------------------


def _more_desk(n: int) -> None:
    """More sources, days, reviewers and verdicts, to show the page's queries do not grow."""
    for i in range(n):
        user = ReviewerFactory(username=f"extra{i}")
        article = ArticleFactory(source=f"Outlet {i}")
        for k in range(3):
            c = claim(article, k, at(1 + i % 9, 8))
            verdict(c, "verified" if k else "disputed", user, at(2 + i % 8, 9 + k))


def test_the_page_runs_the_same_number_of_queries_whatever_the_data(
    editor_client, desk, frozen_now
):
    def count() -> int:
        stats_refresh(days=None, now=NOW)
        editor_client.get(URL, RANGE)  # the source list is cached per refresh
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(URL, RANGE)
        assert response.status_code == 200
        return len(captured)

    small = count()
    _more_desk(6)
    assert count() == small
    assert small <= 14


def test_live_counts_stop_at_the_cap(editor_client, built, settings):
    settings.DASHBOARD_LIVE_COUNT_CAP = 0
    response = editor_client.get(URL, RANGE)
    assert response.context["overdue"] == "0+"
    rows = csv_rows(editor_client.get("/dashboard/csv/summary/", RANGE))
    assert ["Overdue (proposed, past due)", "0+"] in rows
