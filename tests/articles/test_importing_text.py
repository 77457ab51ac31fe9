"""Text clean-up, titles, metadata, canonical URLs and dates (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from articles.importing.text import (
    canonical_url,
    clean_body,
    derive_title,
    parse_datetime_value,
    split_metadata,
    title_and_body,
)
from tests.articles.samples import BODY, BOILERPLATE_TAIL, PARAGRAPHS


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://News.Example/a/b?id=3#top", "https://news.example/a/b?id=3"),
        (
            "https://news.example/a?utm_source=x&utm_medium=y&id=3&fbclid=abc",
            "https://news.example/a?id=3",
        ),
        ("HTTP://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443", "https://news.example/"),
        ("https://news.example:8443/a?b=2&a=1", "https://news.example:8443/a?a=1&b=2"),
        ("https://news.example/a?gclid=1&mc_cid=2", "https://news.example/a"),
        ("ftp://news.example/a", ""),
        ("javascript:alert(1)", ""),
        ("/relative/path", ""),
        ("https://news .example/a", ""),
        ("", ""),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_clean_body_drops_boilerplate_lines_and_returns_bylines():
    text = "\n\n".join([*PARAGRAPHS, *BOILERPLATE_TAIL])
    body, bylines = clean_body(text)
    assert body == BODY
    assert bylines == ["By Marta Quill, with Reuters"]


def test_clean_body_keeps_sentences_that_only_mention_newsletters():
    sentence = "The council said it would subscribe to a newsletter about flood risk next year."
    body, _ = clean_body(f"{PARAGRAPHS[0]}\n\n{sentence}")
    assert sentence in body


def test_clean_body_keeps_typography_and_normalises_to_nfc():
    decomposed = "Cafe\u0301 owners in Zu\u0308rich said \u201cno\u201d\u00a0to the plan."
    body, _ = clean_body(f"  {decomposed}  \r\n\r\n\r\n\tSecond paragraph here.  ")
    assert (
        body
        == "Café owners in Zürich said \u201cno\u201d\u00a0to the plan.\n\nSecond paragraph here."
    )


def test_clean_body_line_paragraphs_are_not_rejoined():
    body, _ = clean_body("Short heading\nA sentence follows here.", line_paragraphs=True)
    assert body == "Short heading\n\nA sentence follows here."


def test_clean_body_of_only_boilerplate_is_empty():
    assert clean_body("\n".join(BOILERPLATE_TAIL))[0] == ""


def test_seed_004_boilerplate_tail_is_removed(shared_dir):
    raw = next((shared_dir / "seeds").glob("004_*.txt")).read_text(encoding="utf-8")
    tail = [line.strip() for line in raw.strip().splitlines() if line.strip()][-5:]
    body, bylines = clean_body(raw)
    for line in tail:
        assert line not in body.split("\n")
    assert len(bylines) == 1
    assert body.endswith(".")


@pytest.mark.parametrize(
    ("text", "meta", "body_starts"),
    [
        (
            "Title: Tram record\nSource: Riverside Post\nURL: https://post.example/t\n"
            "Author: Jon Pike\nDate: 2025-02-03\n\nThe body.",
            {
                "title": "Tram record",
                "source": "Riverside Post",
                "url": "https://post.example/t",
                "author": "Jon Pike",
                "published_at": "2025-02-03",
            },
            "\nThe body.",
        ),
        (
            "---\ntitle: 'Front matter title'\nlanguage: en\n---\nBody text.",
            {"title": "Front matter title", "language": "en"},
            "Body text.",
        ),
        # "Note:" is not a metadata key: the line is text.
        ("Note: the council met.\nMore text.", {}, "Note: the council met."),
        # Metadata-looking lines must end at a blank line to count.
        ("Title: x\nThe body continues here.", {}, "Title: x"),
    ],
)
def test_split_metadata(text, meta, body_starts):
    found, rest = split_metadata(text)
    assert found == meta
    assert rest.startswith(body_starts)


@pytest.mark.parametrize(
    ("text", "markdown", "title", "body"),
    [
        (
            "Tram ridership hits record\n\nThe body text.",
            False,
            "Tram ridership hits record",
            "The body text.",
        ),
        # A long first sentence is text, not a title.
        (f"{PARAGRAPHS[0]}\n{PARAGRAPHS[1]}", False, None, PARAGRAPHS[0]),
        # A single line is the article, never just a title.
        ("Only one short line", False, None, "Only one short line"),
        (
            "# Tram **record**\n\nRidership rose, [the report](https://x.example) said."
            "\n\n- one\n- two",
            True,
            "Tram record",
            "Ridership rose, the report said.\n\none\ntwo",
        ),
        ("## Sub heading\n\nText *here* and `code`.", True, "Sub heading", "Text here and code."),
    ],
)
def test_title_and_body(text, markdown, title, body):
    meta, rest = title_and_body(text, markdown=markdown)
    assert meta.get("title") == title
    assert rest.strip().startswith(body)


def test_derive_title_cuts_at_a_word_boundary():
    assert derive_title("Short one. Second sentence.") == "Short one."
    long = derive_title("word " * 60)
    assert long.endswith("…")
    assert len(long) <= 121
    assert "wor…" not in long


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04T10:00:00Z", datetime(2025, 3, 4, 10, tzinfo=UTC)),
        ("2025-03-04", datetime(2025, 3, 4, tzinfo=UTC)),
        ("Tue, 04 Mar 2025 10:00:00 GMT", datetime(2025, 3, 4, 10, tzinfo=UTC)),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime_value(value, expected):
    assert parse_datetime_value(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-13-45", 12345, ["2025"]])
def test_parse_datetime_value_rejects_non_dates(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_datetime_value(value)
