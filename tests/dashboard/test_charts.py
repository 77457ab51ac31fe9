"""dashboard.charts, dashboard.latency and dashboard.export: pure functions, no database."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from dashboard import charts, latency
from dashboard.export import render_csv, safe_cell

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (480, 500), (501, 1000)]
)
def test_axis_top_is_the_next_1_2_5_step(value, top):
    assert charts.nice_max(value) == top


@pytest.mark.parametrize(("top", "steps"), [(1, 5), (2, 4), (5, 5), (10, 5), (20, 4), (500, 5)])
def test_axis_steps_are_round_numbers(top, steps):
    assert charts.ticks(top) == steps
    assert (top / steps) * 10 == int((top / steps) * 10)


def test_stacked_bars_are_an_accessible_image_with_a_title_per_bar():
    svg = charts.stacked_bars(
        chart_id="c",
        title="Verdicts <by> day",
        desc="what & why",
        labels=["1 Mar", "2 Mar"],
        series=[charts.Series("Verified", [2, 0]), charts.Series("Disputed", [1, 3])],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Verdicts <by> day"
    assert root.find(f"{SVG}desc").text == "what & why"
    bars = root.findall(f".//{SVG}rect[@class='bar']")
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "1 Mar · Verified: 2",
        "1 Mar · Disputed: 1",
        "2 Mar · Disputed: 3",
    ]
    # Stacked: the second segment of the first bar sits on top of the first.
    first, second = bars[0], bars[1]
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(
        float(first.get("y"))
    )
    # The tallest bar (3 of an axis top of 5) is 3/5 of the plot's height.
    plot = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert float(bars[2].get("height")) == pytest.approx(plot * 3 / 5, abs=0.1)


def test_text_is_escaped_so_a_name_cannot_inject_markup():
    svg = charts.horizontal_bars(
        chart_id="r",
        title="t",
        desc="d",
        labels=['<script>alert(1)</script>"'],
        values=[4],
    )
    assert "<script>" not in svg
    assert parse(svg).find(f".//{SVG}rect/{SVG}title").text == '<script>alert(1)</script>": 4'


def test_a_line_breaks_where_a_value_is_missing_and_every_point_has_a_title():
    svg = charts.lines(
        chart_id="l",
        title="t",
        desc="d",
        labels=["a", "b", "c", "d", "e"],
        series=[charts.Series("Median hours", [1.5, 2, None, 4, 5])],
        unit=" h",
    )
    root = parse(svg)
    assert len(root.findall(f".//{SVG}polyline")) == 2
    titles = [c.find(f"{SVG}title").text for c in root.findall(f".//{SVG}circle")]
    assert titles == [
        "a · Median hours: 1.5 h",
        "b · Median hours: 2 h",
        "d · Median hours: 4 h",
        "e · Median hours: 5 h",
    ]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.stacked_bars(chart_id="e", title="t", desc="d", labels=[], series=[]),
        lambda: charts.lines(
            chart_id="e", title="t", desc="d", labels=["a"], series=[charts.Series("x", [None])]
        ),
        lambda: charts.horizontal_bars(chart_id="e", title="t", desc="d", labels=[], values=[]),
    ],
)
def test_an_empty_chart_says_so_and_is_still_valid_svg(draw):
    root = parse(draw())
    assert root.get("role") == "img"
    assert "No data for this range." in "".join(root.itertext())


@pytest.mark.parametrize(
    ("seconds", "index"),
    [(0, 0), (59.9, 0), (60, 1), (67.4, 1), (67.5, 2), (-5, 0), (10**12, latency.BINS - 1)],
)
def test_latency_bins_grow_geometrically_from_a_minute(seconds, index):
    assert latency.bucket(seconds) == index


@pytest.mark.parametrize(
    "values",
    [
        [1800, 6 * 3600, 48 * 3600],
        [90] * 10 + [86400] * 11,
        [3600 * h for h in range(1, 200, 3)],
        [30, 40, 50],
    ],
)
def test_median_from_the_histogram_is_within_a_bin_of_the_exact_median(values):
    histogram: dict[int, int] = {}
    for v in values:
        histogram[latency.bucket(v)] = histogram.get(latency.bucket(v), 0) + 1
    exact = sorted(values)[len(values) // 2]
    assert latency.median(histogram) == pytest.approx(exact, rel=latency.RATIO - 1, abs=30)


def test_median_of_nothing_is_none():
    assert latency.median({}) is None
    assert latency.median({3: 0}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Harbour Herald", "Harbour Herald"),
        ("", ""),
        (None, ""),
        (-3, -3),  # numbers are numbers, never formulas
        (2.5, 2.5),
    ],
)
def test_csv_cells_are_defused(value, expected):
    assert safe_cell(value) == expected


def test_csv_quotes_commas_and_newlines():
    text = render_csv(["Reviewer", "Verdicts"], [['a, "b"\nc', 3], ["=evil()", 1]])
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Reviewer", "Verdicts"], ['a, "b"\nc', "3"], ["'=evil()", "1"]]
    assert re.search(r"^'=evil\(\)", text, re.M)
