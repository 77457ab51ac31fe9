"""The dashboard's panels: each series as a table (the page's and the CSV's) and a chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from django.conf import settings

from claims.models import ClaimStatus
from dashboard import charts
from dashboard.selectors import DashboardData
from dashboard.services import AGE_BUCKETS

# Reviewers drawn in the throughput chart; the table and the CSV list them all.
CHART_REVIEWERS = 15
STATUS_COLORS = {
    ClaimStatus.VERIFIED: "#009e73",
    ClaimStatus.DISPUTED: "#d55e00",
    ClaimStatus.UNCONFIRMED: "#e69f00",
    ClaimStatus.DISMISSED: "#999999",
    ClaimStatus.PROPOSED: "#0072b2",
}


@dataclass
class Panel:
    """One series: its CSV name, a heading, what it shows, its numbers and its chart."""

    key: str
    title: str
    desc: str
    columns: list[str]
    rows: list[list]
    draw: Callable[[], str]

    @property
    def svg(self) -> str:
        return self.draw()

    def table_html(self) -> str:
        """The numbers as an HTML table, built here rather than in the template.

        A year per day is several hundred rows; Django's template loop spent more time on
        them than the rest of the page together (profiled on the bench database).
        """
        head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in self.columns)
        body = [
            f'<tr><th scope="row">{escape(str(row[0]))}</th>'
            + "".join(f"<td>{_cell(v)}</td>" for v in row[1:])
            + "</tr>"
            for row in self.rows
        ] or [f'<tr><td colspan="{len(self.columns)}">No rows.</td></tr>']
        return (
            f'<table><caption class="visually-hidden">{escape(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, int | float):  # nothing to escape in a number
        return str(value)
    return escape(str(value))


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def duration(seconds: float | None) -> str:
    """A created→verdict time as a person says it: minutes, hours or days."""
    if seconds is None:
        return "-"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _label(day: date, weekly: bool) -> str:
    return f"w/c {day.day} {day:%b}" if weekly else f"{day.day} {day:%b}"


def _status_label(status: str) -> str:
    try:
        return str(ClaimStatus(status).label)
    except ValueError:
        return status.replace("_", " ").capitalize()


def build_panels(data: DashboardData) -> list[Panel]:
    """The page's panels in screen order (the CSV series are the same, by key)."""
    period_word = "Week starting" if data.weekly else "Day"
    period_labels = [_label(p, data.weekly) for p in data.periods]
    day_labels = [_label(d, False) for d in data.days]
    per = "per week" if data.weekly else "per day"
    range_text = f"{data.start.isoformat()} to {data.end.isoformat()}"
    if data.source:
        range_text += f", {data.source}"
    panels = []

    statuses = [s for s, counts in data.backlog.items() if any(counts)] or list(data.backlog)
    age_labels = [label for _, _, label in AGE_BUCKETS]
    backlog_rows = [
        [label, *[data.backlog[s][i] for s in statuses], sum(data.backlog[s][i] for s in statuses)]
        for i, label in enumerate(age_labels)
    ]
    backlog_series = [
        charts.Series(_status_label(s), data.backlog[s], STATUS_COLORS.get(s, "")) for s in statuses
    ]
    backlog_desc = (
        f"Claims without a verdict, by how long ago they were proposed "
        f"({data.totals['backlog']:,} in all{', ' + data.source if data.source else ''})."
    )
    panels.append(
        Panel(
            "backlog",
            "Backlog by age",
            backlog_desc,
            ["Age", *[_status_label(s) for s in statuses], "Total"],
            backlog_rows,
            lambda: charts.stacked_bars(
                chart_id="chart-backlog",
                title="Backlog by age",
                desc=backlog_desc,
                labels=age_labels,
                series=backlog_series,
            ),
        )
    )

    activity = [
        [d.isoformat(), p, r]
        for d, p, r in zip(data.days, data.proposed_by_day, data.reviewed_by_day, strict=True)
    ]
    activity_desc = (
        f"Claims proposed and verdicts given per day, {range_text}: "
        f"{data.totals['proposed']:,} proposed, {data.totals['reviewed']:,} verdicts."
    )
    panels.append(
        Panel(
            "activity",
            "Claims proposed vs reviewed per day",
            activity_desc,
            ["Day", "Proposed", "Reviewed (verdicts given)"],
            activity,
            lambda: charts.lines(
                chart_id="chart-activity",
                title="Claims proposed vs reviewed per day",
                desc=activity_desc,
                labels=day_labels,
                series=[
                    charts.Series("Proposed", data.proposed_by_day, "#0072b2"),
                    charts.Series("Reviewed", data.reviewed_by_day, "#e69f00"),
                ],
            ),
        )
    )

    verdict_statuses = list(data.verdicts_by_period)
    verdict_desc = f"Verdicts given {per} by verdict, {range_text} (re-reviews included)."
    panels.append(
        Panel(
            "verdicts",
            "Verdict mix over time",
            verdict_desc,
            [period_word, *[_status_label(s) for s in verdict_statuses]],
            [
                [p.isoformat(), *[data.verdicts_by_period[s][i] for s in verdict_statuses]]
                for i, p in enumerate(data.periods)
            ],
            lambda: charts.stacked_bars(
                chart_id="chart-verdicts",
                title="Verdict mix over time",
                desc=verdict_desc,
                labels=period_labels,
                series=[
                    charts.Series(
                        _status_label(s), data.verdicts_by_period[s], STATUS_COLORS.get(s, "")
                    )
                    for s in verdict_statuses
                ],
            ),
        )
    )

    median_hours = [hours(s) for s in data.median_seconds_by_period]
    latency_desc = (
        f"Median hours from a claim's proposal to its first verdict, {per}, {range_text}: "
        f"{duration(data.median_seconds)} over {data.first_verdicts:,} first verdicts."
    )
    panels.append(
        Panel(
            "time-to-verdict",
            "Median time to verdict",
            latency_desc,
            [period_word, "First verdicts", "Median hours", "Mean hours"],
            [
                [p.isoformat(), n, hours(m), hours(mean)]
                for p, n, m, mean in zip(
                    data.periods,
                    data.first_verdicts_by_period,
                    data.median_seconds_by_period,
                    data.mean_seconds_by_period,
                    strict=True,
                )
            ],
            lambda: charts.lines(
                chart_id="chart-time-to-verdict",
                title="Median time to verdict (hours)",
                desc=latency_desc,
                labels=period_labels,
                series=[charts.Series("Median hours", median_hours, "#cc79a7")],
                unit=" h",
            ),
        )
    )

    top = data.reviewers[:CHART_REVIEWERS]
    reviewer_desc = f"Verdicts given per reviewer, {range_text}."
    panels.append(
        Panel(
            "reviewers",
            "Per-reviewer throughput",
            reviewer_desc,
            ["Reviewer", "Verdicts"],
            [[name, n] for name, n in data.reviewers],
            lambda: charts.horizontal_bars(
                chart_id="chart-reviewers",
                title="Per-reviewer throughput",
                desc=reviewer_desc
                + (
                    f" The {CHART_REVIEWERS} busiest are drawn."
                    if len(data.reviewers) > len(top)
                    else ""
                ),
                labels=[name for name, _ in top],
                values=[n for _, n in top],
            ),
        )
    )

    match_desc = (
        f"Claims matched across articles {per}, {range_text}: {data.totals['matches']:,} "
        f"same-claim links and {data.totals['conflicts']:,} conflicting figures."
    )
    panels.append(
        Panel(
            "matches",
            "Matches and conflicts found",
            match_desc,
            [period_word, "Same claim", "Conflicting figures"],
            [
                [p.isoformat(), m, c]
                for p, m, c in zip(
                    data.periods, data.matches_by_period, data.conflicts_by_period, strict=True
                )
            ],
            lambda: charts.stacked_bars(
                chart_id="chart-matches",
                title="Matches and conflicts found",
                desc=match_desc,
                labels=period_labels,
                series=[
                    charts.Series("Same claim", data.matches_by_period, "#56b4e9"),
                    charts.Series("Conflicting figures", data.conflicts_by_period, "#d55e00"),
                ],
            ),
        )
    )
    return panels


def live_count(n: int) -> str:
    """A live count as shown: "1,000+" once it reached the cap."""
    cap = settings.DASHBOARD_LIVE_COUNT_CAP
    return f"{cap:,}+" if n > cap else f"{n:,}"


def summary_rows(data: DashboardData) -> list[list]:
    """The headline figures: the "summary" CSV and the tiles at the top of the page."""
    return [
        ["Backlog (claims without a verdict)", data.totals["backlog"]],
        ["Overdue (proposed, past due)", live_count(data.overdue)],
        ["Due for re-check (verdict expired)", live_count(data.due_for_recheck)],
        ["Claims proposed", data.totals["proposed"]],
        ["Verdicts given", data.totals["reviewed"]],
        ["Median hours to first verdict", hours(data.median_seconds)],
        ["Matches found", data.totals["matches"]],
        ["Conflicts found", data.totals["conflicts"]],
    ]


SERIES = ["summary", "backlog", "activity", "verdicts", "time-to-verdict", "reviewers", "matches"]
