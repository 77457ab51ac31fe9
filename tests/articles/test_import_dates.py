"""Out-of-range publication dates: refused (or dropped from feeds/pages) on every input path.

A date such as 9999-12-31T23:59:59-14:00 is in year 10000 once in UTC; stored, it made the
article list API, the article's pages and the admin list answer 500 on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.importing import read_bytes
from articles.importing.text import EARLIEST_PUBLISHED, LATEST_PUBLISHED, parse_datetime_value
from articles.models import Article
from articles.services import articles_import_batch
from tests.articles.samples import BODY, OTHER_BODY, THIRD_BODY, atom_feed, rss_feed
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
RANGE_ERROR = "is out of range: the date must be between 1000-01-01 and 2999-12-31 (UTC)."


@pytest.fixture
def staff_editor(client):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    return client


def _pages_answer(client) -> None:
    """The pages the stored date used to break: list API, detail API, admin list and page."""
    assert client.get("/api/v1/articles/").status_code == 200
    for article in Article.objects.all():
        assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 200
        change = reverse("admin:articles_article_change", args=[article.pk])
        assert client.get(change).status_code == 200
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "Fri, 31 Dec 9999 23:59:59 -1400"])
def test_parse_refuses_a_date_outside_the_range_once_in_utc(value):
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime_value(value)


def test_the_ends_of_the_range_are_accepted():
    assert parse_datetime_value("1000-01-01T00:00:00Z") == EARLIEST_PUBLISHED
    assert parse_datetime_value("2999-12-31T23:59:59Z") == LATEST_PUBLISHED
    # An offset that keeps the UTC value inside the range is fine.
    assert parse_datetime_value("2999-12-31T23:59:59+14:00") < LATEST_PUBLISHED


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_api_refuses_an_out_of_range_date_and_the_list_still_answers(staff_editor, value):
    item = {"title": "Pumps", "body": BODY, "published_at": value}
    response = staff_editor.post("/api/v1/articles/", item, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"published_at": [f"{value} {RANGE_ERROR}"]}
    assert Article.objects.count() == 0
    _pages_answer(staff_editor)


def test_api_bulk_keeps_the_good_items_beside_an_out_of_range_date(staff_editor):
    items = [
        {"body": BODY, "published_at": OUT_OF_RANGE[0]},
        {"body": OTHER_BODY, "published_at": "2025-03-04T10:00:00Z"},
    ]
    response = staff_editor.post("/api/v1/articles/", items, content_type="application/json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["error", "created"]
    assert results[0]["errors"] == {"published_at": [f"{OUT_OF_RANGE[0]} {RANGE_ERROR}"]}
    assert Article.objects.get().published_at == datetime(2025, 3, 4, 10, tzinfo=UTC)
    _pages_answer(staff_editor)


def test_json_file_upload_in_the_admin_rejects_only_the_bad_date(staff_editor):
    data = json.dumps(
        [{"body": BODY, "published_at": OUT_OF_RANGE[1]}, {"body": OTHER_BODY}]
    ).encode()
    upload = SimpleUploadedFile("batch.json", data, content_type="application/json")
    response = staff_editor.post(
        reverse("admin:articles_article_import"), {"files": [upload], "propose": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Imported 1, duplicates 0, rejected 1." in content
    assert "batch.json[0]" in content and "out of range" in content
    assert Article.objects.get().body == OTHER_BODY
    _pages_answer(staff_editor)


def test_cli_rejects_a_text_file_whose_date_line_is_out_of_range(tmp_path):
    (tmp_path / "bad.txt").write_text(f"Date: {OUT_OF_RANGE[0]}\n\n{BODY}", "utf-8")
    (tmp_path / "good.txt").write_text(f"Date: 2025-03-04\n\n{OTHER_BODY}", "utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--no-propose", stdout=out, stderr=err)
    assert "Imported 1, duplicates 0, rejected 1." in out.getvalue()
    assert f"bad.txt: Date: {OUT_OF_RANGE[0]} {RANGE_ERROR}" in err.getvalue()
    assert Article.objects.get().body == OTHER_BODY


def test_feed_entry_with_an_out_of_range_pubdate_is_imported_without_its_date(staff_editor):
    # A feed's date is the publisher's CMS metadata, not the editor's input: the article is
    # kept, its date dropped, and the report says so.
    feed = rss_feed(
        [
            {"title": "Pumps", "link": "https://post.example/pumps", "content": THIRD_BODY},
        ]
    ).replace("Tue, 04 Mar 2025 10:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 -1400")
    [draft] = list(read_bytes(feed.encode(), name="feed.xml"))
    assert draft.published_at is None
    assert draft.notes == [f"date dropped: 9999-12-31T23:59:59-14:00 {RANGE_ERROR}"]

    [outcome] = articles_import_batch([draft], propose=False)
    assert outcome.status == "created"
    assert outcome.notes == (f"date dropped: 9999-12-31T23:59:59-14:00 {RANGE_ERROR}",)
    assert Article.objects.get().published_at is None
    _pages_answer(staff_editor)


def test_admin_feed_upload_shows_the_dropped_date_note(staff_editor):
    # Atom: RFC 2822 (RSS) reads a year "0001" as 2001, ISO 8601 keeps it.
    feed = atom_feed(
        [{"title": "Pumps", "link": "https://post.example/pumps", "content": THIRD_BODY}]
    ).replace("2025-03-04T10:00:00Z", "0001-01-01T00:00:00+14:00")
    upload = SimpleUploadedFile("feed.xml", feed.encode(), content_type="application/atom+xml")
    response = staff_editor.post(
        reverse("admin:articles_article_import"), {"files": [upload], "propose": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Imported 1, duplicates 0, rejected 0." in content
    assert "Note: date dropped: 0001-01-01T00:00:00+14:00 is out of range" in content
    _pages_answer(staff_editor)


def test_a_draft_with_an_out_of_range_datetime_is_rejected_by_the_service():
    # Whatever reader made it: the last check before saving.
    from articles.importing import ArticleDraft

    draft = ArticleDraft(
        title="Pumps", body=BODY, published_at=datetime(1, 1, 1, tzinfo=UTC), origin="x"
    )
    [outcome] = articles_import_batch([draft], propose=False)
    assert outcome.status == "rejected"
    assert outcome.errors == {"published_at": [f"0001-01-01T00:00:00+00:00 {RANGE_ERROR}"]}
    assert Article.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_ends_of_the_range_store_and_list_on_postgresql(staff_editor, settings, zone):
    # PostgreSQL stores year 10000; reading it back into Python failed ("timestamp too
    # large"). The range's ends, shown in the most extreme time zones, read back fine.
    settings.TIME_ZONE = zone
    for body, value in [(BODY, "1000-01-01T00:00:00Z"), (OTHER_BODY, "2999-12-31T23:59:59Z")]:
        item = {"body": body, "published_at": value}
        response = staff_editor.post("/api/v1/articles/", item, content_type="application/json")
        assert response.status_code == 201
    stored = sorted(Article.objects.values_list("published_at", flat=True))
    assert stored == [EARLIEST_PUBLISHED, LATEST_PUBLISHED]
    _pages_answer(staff_editor)
