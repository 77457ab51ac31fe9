"""The dashboard page and its CSV downloads: parse the filter, authorise, read, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from dashboard import panels, selectors
from dashboard.export import render_csv
from dashboard.forms import DashboardFilterForm
from dashboard.permissions import NO_DASHBOARD, can_view_dashboard


def _filtered(request: HttpRequest):
    if not can_view_dashboard(request.user):
        raise PermissionDenied(NO_DASHBOARD)
    state = selectors.refresh_state()
    # Always bound: an empty query string is valid and means the defaults.
    return DashboardFilterForm(request.GET, sources=selectors.source_choices(state)), state


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The editors' dashboard for a date range and source (default: the last 30 days, all)."""
    form, state = _filtered(request)
    default_days = settings.DASHBOARD_DEFAULT_DAYS
    if not form.is_valid():
        context = {"form": form, "default_days": default_days}
        return render(request, "dashboard/dashboard.html", context, status=400)
    start, end, source = form.range()
    data = selectors.dashboard_data(start=start, end=end, source=source, state=state)
    built = panels.build_panels(data)
    query = request.GET.urlencode()
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "data": data,
            "summary": panels.summary_rows(data),
            "median": panels.duration(data.median_seconds),
            "overdue": panels.live_count(data.overdue),
            "due_for_recheck": panels.live_count(data.due_for_recheck),
            # charts.py and Panel.table_html escape every text they put into the markup.
            "panels": [
                (p, mark_safe(p.svg), mark_safe(p.table_html()))  # noqa: S308
                for p in built
            ],
            "query": query,
            "state": state,
            "default_days": default_days,
        },
    )


@require_GET
@login_required
def dashboard_csv(request: HttpRequest, series: str) -> HttpResponse:
    """One series of the dashboard as CSV, for the same filter as the page."""
    if series not in panels.SERIES:
        raise Http404("No such series.")
    form, state = _filtered(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(
            f"Invalid filter: {errors}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    start, end, source = form.range()
    data = selectors.dashboard_data(start=start, end=end, source=source, state=state)
    if series == "summary":
        columns, rows = ["Metric", "Value"], panels.summary_rows(data)
    else:
        panel = next(p for p in panels.build_panels(data) if p.key == series)
        columns, rows = panel.columns, panel.rows
    response = HttpResponse(render_csv(columns, rows), content_type="text/csv; charset=utf-8")
    # The filename is built from validated parts only (a series name and ISO dates).
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{series}-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    return response
