"""Readers: files and documents -> drafts or clear rejections (pure, no database, no network)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from articles.importing import ArticleDraft, ImportRejection, Limits, read_bytes, read_path
from articles.importing.readers import draft_from_mapping, html_fragment_to_text
from tests.articles.samples import (
    BODY,
    OTHER_BODY,
    OTHER_PARAGRAPHS,
    PARAGRAPHS,
    as_html,
    atom_feed,
    html_page,
    json_items,
    rss_feed,
)

LIMITS = Limits(max_bytes=100_000, zip_max_members=10, batch_max_bytes=300_000)


def read(data: bytes | str, name: str, **kwargs) -> list:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(read_bytes(data, name=name, limits=kwargs.pop("limits", LIMITS), **kwargs))


def only_draft(results: list) -> ArticleDraft:
    assert len(results) == 1, results
    assert isinstance(results[0], ArticleDraft), results[0]
    return results[0]


def only_rejection(results: list) -> ImportRejection:
    assert len(results) == 1, results
    assert isinstance(results[0], ImportRejection), results[0]
    return results[0]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.txt", "the file is empty"),
        (b"  \n\t\r\n  \n", "blank.txt", "the file is empty"),
        ("\u00a0\u2003\n".encode(), "nbsp.md", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.txt", "this is a PNG image, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.txt", "this is a PDF document"),
        (b"text\x00with\x00nul bytes" * 10, "nul.txt", "this is a binary file"),
        (bytes(range(1, 9)) * 30 + b"\xff\xfe\xfd" * 20, "garbled.txt", "encoding could not"),
        (b"x" * 100_001, "huge.txt", "larger than the 100,000 bytes limit"),
        (b"PK\x03\x04 whatever", "letter.docx", "unsupported file type '.docx'"),
        (b"anything", "movie.mp4", "unsupported file type '.mp4'"),
        (b'{"title": "x", "body": ', "bad.json", "malformed JSON (Expecting value at line 1"),
        (b"[1, 2", "bad2.json", "malformed JSON"),
        (b'"just a string"', "str.json", "expected a JSON object or a list"),
        (b"[]", "none.json", "the JSON list is empty"),
        (b"<rss><channel><item><title>x</item></rss", "broken.rss", "malformed feed"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "books.xml", "not an RSS or Atom"),
        (b"not a zip at all", "archive.zip", "not a readable .zip archive"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_reason(data, name, reason):
    rejection = only_rejection(read(data, name))
    assert rejection.origin == name
    assert reason in rejection.reason


def test_undecodable_text_with_a_wrong_declared_charset_falls_back_to_detection():
    text = "Die Stadtverwaltung schätzt die Kosten auf 4,2 Millionen Euro für Straßen. " * 5
    draft = only_draft(read(text.encode("cp1252"), "page.txt", charset="utf-8"))
    assert "schätzt" in draft.body
    assert "Straßen" in draft.body


def test_declared_charset_in_html_is_used():
    page = html_page().replace('charset="utf-8"', 'charset="windows-1252"')
    draft = only_draft(read(page.encode("cp1252"), "page.html"))
    assert "€2.10" in draft.body
    assert "\u201cWe expect" in draft.body


# --- text and Markdown ----------------------------------------------------------------------


def test_text_file_with_metadata_lines():
    text = (
        "Title: Tram ridership hits record\nSource: Riverside Post\n"
        "URL: https://post.example/trams?utm_source=rss\nAuthor: Jon Pike\n"
        "Date: 2025-02-03T08:00:00+01:00\nLanguage: en\n\n" + BODY
    )
    draft = only_draft(read(text, "trams.txt"))
    assert draft.title == "Tram ridership hits record"
    assert draft.source == "Riverside Post"
    assert draft.url == "https://post.example/trams?utm_source=rss"  # canonicalised on import
    assert draft.author == "Jon Pike"
    assert draft.published_at.isoformat() == "2025-02-03T08:00:00+01:00"
    assert draft.language == "en"
    assert draft.body.strip() == BODY
    assert draft.origin == "trams.txt"


def test_text_file_with_a_short_first_line_uses_it_as_title():
    draft = only_draft(read("Tram ridership hits record\n" + BODY, "t.txt"))
    assert draft.title == "Tram ridership hits record"
    assert draft.body.strip() == BODY


def test_text_file_starting_with_prose_has_no_title():
    draft = only_draft(read(BODY, "t.txt"))
    assert draft.title == ""
    assert draft.body == BODY


def test_text_file_with_a_bad_date_is_rejected():
    rejection = only_rejection(read("Date: someday soon\n\n" + BODY, "t.txt"))
    assert rejection.errors == {"published_at": ["'someday soon' is not a date (use ISO 8601)"]}


def test_markdown_file_heading_and_markup():
    text = (
        f"# Tram *ridership* record\n\n{PARAGRAPHS[0]}\n\n**{PARAGRAPHS[1]}**\n\n> {PARAGRAPHS[2]}"
    )
    draft = only_draft(read(text, "trams.md"))
    assert draft.title == "Tram ridership record"
    assert draft.body.split() == "\n\n".join(PARAGRAPHS[:3]).split()


# --- HTML -----------------------------------------------------------------------------------


def test_html_page_main_text_title_byline_date_and_canonical_url():
    page = html_page(canonical="https://post.example/trams?utm_campaign=x#top")
    draft = only_draft(read(page, "trams.html"))
    assert draft.title == "Tram ridership hits record"
    assert draft.author == "Jon Pike"
    assert draft.published_at.date().isoformat() == "2025-02-03"
    assert draft.url == "https://post.example/trams"
    for paragraph in PARAGRAPHS:
        assert paragraph in draft.body
    for furniture in ("Home", "Sport", "Advertisement", "Copyright", "Facebook"):
        assert furniture not in draft.body
    assert draft.line_paragraphs


def test_html_og_url_is_used_when_no_canonical_link():
    page = html_page(extra_head='<meta property="og:url" content="https://post.example/og">')
    assert only_draft(read(page, "p.html")).url == "https://post.example/og"


def test_html_script_tags_never_reach_the_text():
    page = html_page(extra_article="<script>alert('pwned')</script><p>Final note on fares.</p>")
    draft = only_draft(read(page, "p.html"))
    assert "alert" not in draft.body
    assert "<script" not in draft.body


def test_html_without_article_text_is_rejected():
    rejection = only_rejection(read("<html><body><nav>Home</nav></body></html>", "empty.html"))
    assert "no article text found" in rejection.reason


# --- JSON and JSON Lines --------------------------------------------------------------------


def test_json_list_with_bad_items_keeps_the_good_ones():
    data = json_items(
        {
            "title": "Tram record",
            "body": BODY,
            "url": "https://post.example/t",
            "source": "Riverside Post",
            "author": "Jon Pike",
            "published_at": "2025-02-03T08:00:00Z",
            "language": "en",
        },
        {"title": "No body"},
        {"body": OTHER_BODY, "url": "not a url", "published_at": "soon"},
        "a string",
        {"headline": "Alias fields", "text": OTHER_BODY, "link": "https://valley.example/a"},
    )
    results = read(data, "batch.json")
    assert [type(r).__name__ for r in results] == [
        "ArticleDraft",
        "ImportRejection",
        "ImportRejection",
        "ImportRejection",
        "ArticleDraft",
    ]
    assert results[0].title == "Tram record"
    assert results[0].published_at.isoformat() == "2025-02-03T08:00:00+00:00"
    assert results[1].errors == {"body": ["This field is required."]}
    assert results[1].origin == "batch.json[1]"
    assert results[2].errors == {
        "published_at": ["Enter a date and time in ISO 8601 (2025-03-04T10:00:00Z)."],
        "url": ["Enter a valid http(s) URL."],
    }
    assert results[3].errors == {"non_field_errors": ["Expected a JSON object with title, body..."]}
    assert (results[4].title, results[4].url) == ("Alias fields", "https://valley.example/a")


def test_json_object_with_articles_key():
    data = json.dumps({"articles": [{"body": BODY}, {"body": OTHER_BODY}]})
    assert [d.body for d in read(data, "a.json")] == [BODY, OTHER_BODY]


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        ({"body": 42}, {"body": ["Not a valid string."]}),
        ({"body": "   "}, {"body": ["This field is required."]}),
        (
            {"body": BODY, "title": "t" * 501},
            {"title": ["Ensure this field has no more than 500 characters."]},
        ),
        ({"body": BODY, "language": ["en"]}, {"language": ["Not a valid string."]}),
        ({"body": "x" * 2000}, {"body": ["The text is larger than the 1,000 bytes limit."]}),
    ],
)
def test_draft_from_mapping_field_errors(item, errors):
    result = draft_from_mapping(item, origin="items[0]", max_bytes=1000)
    assert isinstance(result, ImportRejection)
    assert result.errors == errors


def test_json_lines_bad_line_does_not_block_others():
    lines = "\n".join([json.dumps({"body": BODY}), "{broken", "", json.dumps({"body": OTHER_BODY})])
    results = read(lines, "feed.jsonl")
    assert isinstance(results[0], ArticleDraft)
    assert isinstance(results[1], ImportRejection)
    assert results[1].origin == "feed.jsonl:2"
    assert "line 2: malformed JSON" in results[1].reason
    assert results[2].body == OTHER_BODY


# --- feeds ----------------------------------------------------------------------------------


def test_rss_feed_entries_with_full_content_become_articles():
    feed = rss_feed(
        [
            {
                "title": "Tram record",
                "link": "https://post.example/t",
                "content": as_html(PARAGRAPHS),
            },
            {
                "title": "Apple harvest",
                "link": "https://post.example/a",
                "content": as_html(OTHER_PARAGRAPHS),
            },
        ]
    )
    results = read(feed, "news.rss")
    assert [r.title for r in results] == ["Tram record", "Apple harvest"]
    assert results[0].origin == "news.rss#1 (https://post.example/t)"
    assert results[0].source == "Riverside Post"
    assert results[0].published_at.isoformat() == "2025-03-04T10:00:00+00:00"
    assert [line for line in results[1].body.split("\n") if line] == OTHER_PARAGRAPHS


def test_atom_feed_entries_become_articles():
    feed = atom_feed(
        [
            {
                "title": "Apple harvest",
                "link": "https://valley.example/a",
                "content": as_html(OTHER_PARAGRAPHS),
            }
        ]
    )
    draft = only_draft(read(feed, "valley.atom"))
    assert (draft.title, draft.author, draft.url) == (
        "Apple harvest",
        "Ann Lee",
        "https://valley.example/a",
    )
    assert draft.source == "Valley News"


def test_summary_only_entry_without_fetching_is_rejected_clearly():
    feed = rss_feed([{"title": "Tram", "link": "https://post.example/t", "summary": "Short."}])
    rejection = only_rejection(read(feed, "news.rss"))
    assert "only a summary" in rejection.reason


def test_feed_html_fragment_to_text_drops_scripts_and_keeps_paragraphs():
    text = html_fragment_to_text("<p>One.</p><script>alert(1)</script><p>Two<br>three</p>")
    assert [line for line in text.split("\n") if line] == ["One.", "Two", "three"]


# --- zip ------------------------------------------------------------------------------------


def make_zip(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_of_mixed_formats():
    data = make_zip(
        {
            "texts/trams.txt": "Tram record\n" + BODY,
            "apples.json": json.dumps({"title": "Apples", "body": OTHER_BODY}),
            "page.html": html_page(title="Library hours"),
            "texts/": "",
            "__MACOSX/._trams.txt": "junk",
            ".DS_Store": "junk",
            "README.md": "# Batch of March\n\nArticles for the desk, one per file.",
            "texts/LICENSE": "All rights reserved by the outlets.",
        }
    )
    results = read(data, "batch.zip")
    assert [(r.origin, r.title) for r in results] == [
        ("batch.zip:texts/trams.txt", "Tram record"),
        ("batch.zip:apples.json", "Apples"),
        ("batch.zip:page.html", "Library hours"),
    ]


def test_zip_member_path_traversal_is_refused():
    data = make_zip({"../../etc/evil.txt": BODY, "/abs.txt": BODY, "ok.txt": OTHER_BODY})
    results = read(data, "x.zip")
    assert [type(r).__name__ for r in results] == [
        "ImportRejection",
        "ImportRejection",
        "ArticleDraft",
    ]
    assert "unsafe path" in results[0].reason


def test_zip_with_too_many_members_is_refused():
    data = make_zip({f"{i}.txt": f"Article {i}. {BODY}" for i in range(11)})
    assert "more than the limit of 10" in only_rejection(read(data, "many.zip")).reason


def test_zip_bomb_is_refused_by_uncompressed_size():
    # 4 x 90 kB of zeros compress to a few hundred bytes but unpack past the 300 kB total.
    data = make_zip({f"{i}.txt": "0" * 90_000 for i in range(4)})
    assert len(data) < 5_000
    assert "unpacks to 360,000 bytes" in only_rejection(read(data, "bomb.zip")).reason


def test_zip_member_over_the_file_limit_is_refused_but_others_import():
    data = make_zip({"big.txt": "a " * 60_000, "ok.txt": BODY})
    results = read(data, "x.zip")
    assert "larger than" in results[0].reason
    assert results[1].body == BODY


def test_zip_inside_zip_is_refused():
    inner = make_zip({"a.txt": BODY})
    rejection = only_rejection(read(make_zip({"inner.zip": inner}), "outer.zip"))
    assert "archives inside archives" in rejection.reason


# --- paths ----------------------------------------------------------------------------------


def test_read_path_walks_folders_recursively_and_skips_hidden_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "two.md").write_text("# Apples\n\n" + OTHER_BODY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("ignored", encoding="utf-8")
    results = list(read_path(tmp_path, limits=LIMITS))
    assert [r.origin for r in results] == [
        str(tmp_path / "a" / "one.txt"),
        str(tmp_path / "two.md"),
    ]


def test_read_path_skips_readme_and_license_files_in_folders_but_not_named_ones(tmp_path):
    (tmp_path / "one.txt").write_text(BODY, encoding="utf-8")
    for name in ("README.md", "readme.txt", "LICENSE", "CHANGELOG.md"):
        (tmp_path / name).write_text("# About these files\n\n" + OTHER_BODY, encoding="utf-8")
    walked = list(read_path(tmp_path, limits=LIMITS))
    named = list(read_path(tmp_path / "README.md", limits=LIMITS))
    assert [r.origin for r in walked] == [str(tmp_path / "one.txt")]
    assert [r.title for r in named] == ["About these files"]


def test_read_path_of_a_folder_with_only_a_readme_says_so(tmp_path):
    (tmp_path / "README.md").write_text("# About\n\n" + OTHER_BODY, encoding="utf-8")
    rejection = only_rejection(list(read_path(tmp_path, limits=LIMITS)))
    assert rejection.reason == "the folder contains no article files"


def test_read_path_refuses_oversize_files_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 100_001)
    rejection = only_rejection(list(read_path(big, limits=LIMITS)))
    assert rejection.reason == "larger than the 100,000 bytes limit"


def test_read_path_missing_file(tmp_path):
    rejection = only_rejection(list(read_path(tmp_path / "nope.txt", limits=LIMITS)))
    assert rejection.reason == "no such file or folder"


def test_many_article_files_get_the_batch_cap_and_each_item_the_article_cap():
    lines = [json.dumps({"body": f"{BODY}\n\nItem {i}."}) for i in range(250)]
    lines.append(json.dumps({"body": "word " * 30_000}))
    data = "\n".join(lines)
    assert LIMITS.max_bytes < len(data) < LIMITS.batch_max_bytes
    results = read(data, "many.jsonl")
    assert sum(isinstance(r, ArticleDraft) for r in results) == 250
    assert results[-1].errors == {"body": ["The text is larger than the 100,000 bytes limit."]}
    too_big = read(data + "\n" + data, "many.jsonl")
    assert "larger than the 300,000 bytes limit" in only_rejection(too_big).reason
