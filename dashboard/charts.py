"""Server-rendered SVG charts: stacked bars, horizontal bars and lines. Pure Python.

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; every bar
and point carries its own ``<title>`` (the browser shows it on hover, screen readers can read
it), and the page repeats the numbers in a table. Colours are presentation attributes, not
inline styles, so the Content-Security-Policy (no inline style) does not apply. All text that
goes into the markup is escaped here; the result is safe to mark safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 30, 40
# Colour-blind-safe (Okabe-Ito), in series order.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000"]


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label (None: no value, e.g. no verdicts that week)."""

    name: str
    values: Sequence[float | None]
    color: str = ""


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 x 10^k at or above ``value`` (at least 1): the axis top."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover


def _colors(series: Sequence[Series]) -> list[str]:
    return [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="system-ui, sans-serif" '
        'font-size="12">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _legend(parts: list[str], series: Sequence[Series], colors: list[str]) -> None:
    if len(series) < 2:
        return
    x = LEFT
    for s, color in zip(series, colors, strict=True):
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{x + 16}" y="18" fill="#333">{escape(s.name)}</text>')
        x += 28 + 7 * len(s.name)


def ticks(top: float) -> int:
    """How many steps divide the axis into round numbers: 5 is 5 x 1, 2 is 4 x 0.5, 10 is 5 x 2."""
    lead = round(top / 10 ** math.floor(math.log10(top)))
    return 4 if lead == 2 else 5


def _y_axis(parts: list[str], top: float, plot_h: float, unit: str) -> None:
    steps = ticks(top)
    for i in range(steps + 1):
        value = top * i / steps
        y = TOP + plot_h - plot_h * i / steps
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">'
            f"{escape(_fmt(value))}{escape(unit) if i == steps and unit else ''}</text>"
        )


def _x_labels(parts: list[str], labels: Sequence[str], band: float, plot_h: float) -> None:
    every = max(1, math.ceil(len(labels) / 12))  # about a dozen labels fit the width
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = LEFT + band * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" fill="#555">'
            f"{escape(label)}</text>"
        )


def _empty(parts: list[str], height: int) -> str:
    parts.append(
        f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="#555">'
        "No data for this range.</text></svg>"
    )
    return "".join(parts)


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
) -> str:
    """Vertical bars, one per label, each stacked from the series' values."""
    parts = _open(chart_id, title, desc, HEIGHT)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return _empty(parts, HEIGHT)
    colors = _colors(series)
    _legend(parts, series, colors)
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_max(max(totals))
    _y_axis(parts, top, plot_h, unit)
    band = (WIDTH - LEFT - RIGHT) / len(labels)
    width = max(1.0, band * 0.72)
    # Escaped once each (a year of days is thousands of marks); numbers need no escaping.
    names = [escape(s.name) for s in series]
    unit_text = escape(unit)
    for i, label in enumerate(labels):
        x = LEFT + band * i + (band - width) / 2
        base = TOP + plot_h
        label_text = escape(label)
        for s, name, color in zip(series, names, colors, strict=True):
            value = s.values[i] or 0
            if value <= 0:
                continue
            h = plot_h * value / top
            base -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{base:.1f}" width="{width:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{label_text} · {name}: '
                f"{_fmt(value)}{unit_text}</title></rect>"
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#888"/>'
    )
    _x_labels(parts, labels, band, plot_h)
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float]
) -> str:
    """One horizontal bar per label (e.g. per reviewer), longest scale first as given."""
    row = 24
    height = TOP + BOTTOM + row * max(1, len(labels))
    parts = _open(chart_id, title, desc, height)
    if not labels or not any(values):
        return _empty(parts, height)
    left = 150  # room for names
    top = nice_max(max(values))
    plot_w = WIDTH - left - RIGHT - 50
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + row * i
        w = plot_w * value / top
        name = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" fill="#333">{escape(name)}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(_fmt(value))}</title></rect>'
        )
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 16}" fill="#333">{escape(_fmt(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def lines(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
) -> str:
    """One line per series over the labels; a None value breaks the line there."""
    parts = _open(chart_id, title, desc, HEIGHT)
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not any(values):
        return _empty(parts, HEIGHT)
    colors = _colors(series)
    _legend(parts, series, colors)
    plot_h = HEIGHT - TOP - BOTTOM
    top = nice_max(max(values))
    _y_axis(parts, top, plot_h, unit)
    band = (WIDTH - LEFT - RIGHT) / len(labels)
    radius = 3.5 if len(labels) <= 62 else 2
    label_texts = [escape(label) for label in labels]
    unit_text = escape(unit)
    for s, color in zip(series, colors, strict=True):
        name = escape(s.name)
        segment: list[str] = []
        points: list[str] = []
        for i, value in enumerate(s.values):
            if value is None:
                if len(segment) > 1:
                    points.append(_polyline(segment, color))
                segment = []
                continue
            x = LEFT + band * (i + 0.5)
            y = TOP + plot_h - plot_h * value / top
            segment.append(f"{x:.1f},{y:.1f}")
            points.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color}">'
                f"<title>{label_texts[i]} · {name}: {_fmt(value)}{unit_text}</title></circle>"
            )
        if len(segment) > 1:
            points.append(_polyline(segment, color))
        # Lines first, points on top (so each point's title is reachable by the pointer).
        parts.extend(p for p in points if p.startswith("<polyline"))
        parts.extend(p for p in points if p.startswith("<circle"))
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#888"/>'
    )
    _x_labels(parts, labels, band, plot_h)
    parts.append("</svg>")
    return "".join(parts)


def _polyline(points: list[str], color: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>'
