"""Boilerplate and byline lines: what the importer drops and the proposer never proposes."""

from __future__ import annotations

import pytest

from extraction.boilerplate import classify_line, is_boilerplate_line, is_byline

LINE_TABLE = [
    ("Subscribe to our newsletter", "boilerplate"),
    ("Newsletter signup", "boilerplate"),
    ("Please wait...", "boilerplate"),
    ("Thank you for sign up!", "boilerplate"),
    ("Thank you for signing up.", "boilerplate"),
    ("Share this article", "boilerplate"),
    ("Share on Facebook", "boilerplate"),
    ("Follow us on Telegram and X", "boilerplate"),
    ("Read more", "boilerplate"),
    ("Read more: Kursk offensive explained", "boilerplate"),
    ("Related articles", "boilerplate"),
    ("Most read", "boilerplate"),
    ("Advertisement", "boilerplate"),
    ("We use cookies to improve your experience on our site.", "boilerplate"),
    ("Accept all cookies", "boilerplate"),
    ("Copyright 2024 AFP. All rights reserved.", "boilerplate"),
    ("Skip to main content", "boilerplate"),
    ("5 min read", "boilerplate"),
    ("Updated: 14 August 2024, 10:32 GMT", "boilerplate"),
    ("Barbara Wojazer and Jonathan Brown, with AFP", "byline"),
    ("By Jane Doe", "byline"),
    ("By Jane Doe and John Roe, Reuters", "byline"),
    ("Reporting by Jane Doe; Editing by John Roe", "byline"),
    ("(Reuters)", "byline"),
    # prose that merely mentions the words stays prose
    ("The minister launched a newsletter for farmers on Monday.", None),
    ("Also on Tuesday, Russia said it had captured the village of Basivka.", None),
    ("By Monday, Russia had retaken the village.", None),
    ("Produced by Ukrainian engineers, the drone flies 1,000 km.", None),
    ("Russian officials claimed they had repelled multiple attempts.", None),
    ("Read the full statement released by the ministry on Monday.", None),
    ("Blindfolded POWs", None),
    ("", None),
]


@pytest.mark.parametrize(("line", "kind"), LINE_TABLE)
def test_classify_line(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize(("line", "kind"), LINE_TABLE)
def test_importer_drops_boilerplate_and_bylines_only(line, kind):
    assert is_boilerplate_line(line) is (kind is not None)
    assert is_byline(line) is (kind == "byline")


def test_surrounding_whitespace_does_not_matter():
    assert is_boilerplate_line("  Subscribe to our newsletter \n")
