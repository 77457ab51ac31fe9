"""The editors' dashboard (/dashboard/) on the 1M-claim database: page server time, refreshes."""

from __future__ import annotations

import time
from datetime import timedelta

from bench import core
from bench.web import _page_figure


def _editor():
    from django.contrib.auth.models import Group, User

    from claims.roles import EDITORS, ensure_role_groups

    ensure_role_groups()
    user, _ = User.objects.get_or_create(username="bench-editor", defaults={"email": ""})
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def _aggregates_current() -> bool:
    """True when the aggregate tables were built from the claims now in the database."""
    from django.db.models import Sum

    from claims.models import Claim
    from dashboard.models import DailyClaimStats, StatKind

    counted = DailyClaimStats.objects.filter(kind=StatKind.PROPOSED).aggregate(n=Sum("count"))["n"]
    return bool(counted) and counted == Claim.objects.count()


def bench_dashboard(sizes: core.Sizes) -> list[core.Result]:
    """Server time of /dashboard/ for a month, a year and one source, and of its refreshes."""
    from django.db.models import Max
    from django.test import Client

    from articles.models import Article
    from claims.models import Claim
    from dashboard.services import stats_refresh

    result = core.Result(
        "dashboard",
        "Editors' dashboard (server time)",
        "python -m bench --only dashboard",
    )
    newest = Claim.objects.aggregate(m=Max("created_at"))["m"]
    if newest is None:
        return [result.unavailable("no claims in the database")]
    rebuild = core.Figure("full rebuild of the aggregates (manage.py dashboard_rebuild)", "s")
    if _aggregates_current():
        rebuild.note = "the aggregates were current: not rebuilt in this run"
    else:
        began = time.perf_counter()
        stats_refresh(days=None)
        rebuild.values.append(time.perf_counter() - began)
        rebuild.note = "once per generated database; beat repeats it daily"
    # The periodic task's work: the last two days of the data and the backlog snapshot.
    recent = core.Figure("periodic refresh (last 2 days + backlog)", "ms", note="beat, every 5 min")
    for _ in range(max(1, sizes.runs)):
        began = time.perf_counter()
        stats_refresh(days=2, now=newest)
        recent.values.append((time.perf_counter() - began) * 1000)

    client = Client()
    client.force_login(_editor())
    end = newest.date()
    month = f"start={(end - timedelta(days=29)).isoformat()}&end={end.isoformat()}"
    year = f"start={(end - timedelta(days=365)).isoformat()}&end={end.isoformat()}"
    source = (
        Article.objects.exclude(source="").values_list("source", flat=True).order_by("pk").first()
        or ""
    )
    reps = sizes.runs * 10
    result.figures = [
        _page_figure(
            client, "/dashboard/", "dashboard, default (last 30 days to today)", reps, "< 300"
        ),
        _page_figure(
            client, f"/dashboard/?{month}", "dashboard, the data's last 30 days", reps, "< 300"
        ),
        _page_figure(
            client, f"/dashboard/?{year}", "dashboard, 366 days (per week)", reps, "< 300"
        ),
        _page_figure(
            client,
            f"/dashboard/?{year}&source={source.replace(' ', '+')}",
            "dashboard, 366 days, one source",
            reps,
            "< 300",
        ),
        _page_figure(
            client, f"/dashboard/csv/reviewers/?{year}", "CSV download, 366 days", reps, "< 300"
        ),
        recent,
        rebuild,
    ]
    result.notes.append(
        f"Up to {reps} requests each (at least 5, at most 20 s) after a warm-up, through Django's "
        "test client in-process, logged in as an editor. The page reads the per-day aggregate "
        "tables (dashboard.models) and counts overdue and expired claims live through their "
        "indexes; the generated data has no due or expiry times, so those counts find nothing."
    )
    return [result]
