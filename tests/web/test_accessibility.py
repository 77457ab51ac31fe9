"""Accessibility checks that need no browser: colour contrast, labels, landmarks, status text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from claims.services import claim_set_status
from tests.factories import ClaimFactory

CSS = Path(__file__).resolve().parents[2] / "static" / "factcheck" / "app.css"


def _css_vars() -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(
    ("ink", "paper"),
    [
        ("ink", "bg"),
        ("ink", "panel"),
        ("muted", "bg"),
        ("muted", "panel"),
        ("accent", "bg"),
        ("accent", "panel"),
        *[
            (f"{s}-ink", f"{s}-bg")
            for s in ("proposed", "verified", "disputed", "unconfirmed", "dismissed")
        ],
    ],
)
def test_text_colours_meet_wcag_aa_contrast(ink, paper):
    colours = _css_vars()
    assert contrast(colours[ink], colours[paper]) >= 4.5


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


class _FormAudit(HTMLParser):
    """Collects form controls, the ids labels point at, and landmark elements."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type") not in ("hidden", "submit", "button")
        ):
            self.controls.append(attrs)


@pytest.mark.django_db
def test_every_control_has_a_label_and_pages_have_landmarks(reviewer_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="disputed", user=reviewer, note="why")
    for url in (
        reverse("claims:queue") + "?status=all",
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[claim.article_id]),
        reverse("password_change"),
    ):
        audit = _FormAudit()
        audit.feed(reviewer_client.get(url).content.decode())
        assert {"header", "nav", "main"} <= audit.tags, url
        for control in audit.controls:
            labelled = control.get("id") in audit.label_for or control.get("aria-label")
            assert labelled, (url, control)


@pytest.mark.django_db
def test_status_is_written_as_text_not_only_colour(reviewer_client, reviewer):
    claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="disputed", user=reviewer, note="why")
    article = reviewer_client.get(reverse("claims:article", args=[claim.article_id]))
    queue = reviewer_client.get(reverse("claims:queue") + "?status=all")
    assert '<span class="mark-label">[Disputed]</span>' in article.content.decode()
    assert '<span class="badge st-disputed">Disputed</span>' in queue.content.decode()
