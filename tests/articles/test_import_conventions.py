"""Newsroom import conventions: agency as source, duplicates filling blanks, named skips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from articles.importing import ArticleDraft
from articles.importing.agencies import agency_from_credits
from articles.importing.text import derive_title
from articles.models import Article
from articles.services import articles_import_batch
from tests.articles.samples import BODY, OTHER_BODY
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("credits", "body", "agency"),
    [
        (["By Jane Doe with AFP"], "", "AFP"),
        (["Barbara Wojazer and Jonathan Brown, with Agence France-Presse"], "", "AFP"),
        (["Jane Doe (Reuters)"], "", "Reuters"),
        (["By Jane Doe — AP"], "", "AP"),
        (["Jane Doe, The Associated Press"], "", "AP"),
        (["Jane Doe for Bloomberg"], "", "Bloomberg"),
        ([""], "LONDON, March 4 (Reuters) - Britain's budget...", "Reuters"),
        ([""], "WASHINGTON (AP) — The Senate voted...", "AP"),
        # Not agencies: a name that contains the letters, a mention deep in the text.
        (["By Pap Smith"], "", ""),
        (["Jane Doe"], "The mayor said. Then (AP) — nothing.", ""),
        (["By Jane Doe, apex reporter"], "", ""),
    ],
)
def test_agency_from_credits(credits, body, agency):
    assert agency_from_credits(*credits, body=body) == agency


def test_an_agency_byline_becomes_the_source_when_none_is_given():
    drafts = [
        ArticleDraft(title="Budget", body="By Jane Doe with AFP\n\n" + BODY, origin="a.txt"),
        ArticleDraft(title="Vote", body="WASHINGTON (AP) — " + OTHER_BODY, origin="b.txt"),
    ]
    outcomes = articles_import_batch(drafts, propose=False)
    assert [o.status for o in outcomes] == ["created", "created"]
    budget, vote = (Article.objects.get(pk=o.article_id) for o in outcomes)
    assert (budget.source, budget.author) == ("AFP", "Jane Doe with AFP")
    assert vote.source == "AP"


def test_a_given_source_wins_over_the_byline_agency():
    draft = ArticleDraft(title="Budget", body="By Jane Doe with AFP\n\n" + BODY, source="Herald")
    [outcome] = articles_import_batch([draft], propose=False, default_source="Desk")
    assert Article.objects.get(pk=outcome.article_id).source == "Herald"
    other = ArticleDraft(title="Vote", body="WASHINGTON (AP) — " + OTHER_BODY)
    [outcome] = articles_import_batch([other], propose=False, default_source="Desk")
    assert Article.objects.get(pk=outcome.article_id).source == "Desk"


# --- duplicates fill blanks -----------------------------------------------------------------


def test_a_duplicate_with_better_metadata_fills_the_blank_fields_only():
    editor = EditorFactory(username="edna")
    existing = ArticleFactory(body=BODY, url="", author="", source="Kept Source", language="en")
    Article.objects.filter(pk=existing.pk).update(published_at=None)
    richer = ArticleDraft(
        title="Other title",
        body=BODY,
        url="https://herald.example/pumps",
        source="Other Source",
        author="Jane Doe",
        published_at=datetime(2025, 3, 4, 10, tzinfo=UTC),
        origin="page.html",
    )
    [outcome] = articles_import_batch([richer], imported_by=editor, propose=False)

    assert (outcome.status, outcome.article_id) == ("duplicate", existing.pk)
    assert outcome.filled == ("url", "author", "published_at")
    assert outcome.summary == "duplicate, filled: url, author, published_at"
    existing.refresh_from_db()
    assert (existing.url, existing.author, existing.published_at, existing.source) == (
        "https://herald.example/pumps",
        "Jane Doe",
        datetime(2025, 3, 4, 10, tzinfo=UTC),
        "Kept Source",  # not blank: kept
    )
    assert existing.title != "Other title"
    entry = LogEntry.objects.get(object_id=str(existing.pk))
    assert entry.user == editor
    assert entry.get_change_message() == (
        "Filled blank url, author, published_at from a duplicate import (page.html)."
    )


def test_a_duplicate_with_nothing_new_changes_nothing():
    existing = ArticleFactory(body=BODY, author="Jane Doe")
    before = Article.objects.values().get(pk=existing.pk)
    [outcome] = articles_import_batch(
        [ArticleDraft(title="Same", body=BODY, author="Someone Else")], propose=False
    )
    assert (outcome.status, outcome.filled) == ("duplicate", ())
    assert Article.objects.values().get(pk=existing.pk) == before
    assert not LogEntry.objects.exists()


def test_a_duplicate_never_takes_a_url_another_article_has():
    ArticleFactory(body=OTHER_BODY, url="https://herald.example/pumps")
    existing = ArticleFactory(body=BODY, url="")
    draft = ArticleDraft(title="x", body=BODY, url="https://herald.example/pumps")
    [outcome] = articles_import_batch([draft], propose=False)
    assert outcome.status == "duplicate"
    assert "url" not in outcome.filled
    existing.refresh_from_db()
    assert existing.url == ""


def test_api_reports_the_filled_fields(client):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    existing = ArticleFactory(body=BODY, author="")
    response = client.post(
        "/api/v1/articles/",
        {"body": BODY, "author": "Jane Doe"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "duplicate",
        "id": existing.pk,
        "title": derive_title(BODY),
        "url": "",
        "filled": ["author"],
    }


def test_admin_result_page_shows_the_filled_fields(client):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    existing = ArticleFactory(body=BODY, author="")
    response = client.post(
        reverse("admin:articles_article_import"),
        {"text": f"Author: Jane Doe\n\n{BODY}", "propose": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f"article {existing.pk}</a>;\n        filled: author" in content


# --- the CLI names its duplicates -----------------------------------------------------------


def test_cli_names_each_skipped_duplicate_and_its_article(tmp_path):
    existing = ArticleFactory(body=BODY, author="")
    (tmp_path / "again.txt").write_text(BODY, "utf-8")
    (tmp_path / "richer.jsonl").write_text(json.dumps({"body": BODY, "author": "Jane Doe"}))
    (tmp_path / "new.txt").write_text(OTHER_BODY, "utf-8")
    out = StringIO()
    call_command("import_articles", str(tmp_path), "--no-propose", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines == [
        f"  duplicate  {tmp_path}/again.txt -> article {existing.pk}",
        f"  duplicate, filled: author {tmp_path}/richer.jsonl:1 -> article {existing.pk}",
        "Imported 1, duplicates 2, rejected 0.",
    ]
