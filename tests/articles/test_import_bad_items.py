"""One bad item never loses the batch: NUL/control characters, lone surrogates, deep JSON.

Each was a 500 (API, admin upload) or a traceback part-way through a CLI folder import,
with nothing imported.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.importing import ArticleDraft
from articles.models import Article
from articles.services import articles_import_batch
from tests.articles.samples import BODY, OTHER_BODY, THIRD_BODY
from tests.factories import ClaimFactory, EditorFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

NUL_URL = "https://x.example/a\u0000b"
NUL_ERROR = "The url contains a NUL character (U+0000) at position 20."
DEEP = 100_000
DEEP_ERROR = {
    "status": 400,
    "code": "parse_error",
    "message": "JSON parse error - the JSON is nested too deeply (objects and lists inside "
    "each other thousands of levels deep).",
}


def surrogate_error(field: str, position: int) -> str:
    return (
        f"The {field} contains an invalid character (a lone UTF-16 surrogate, U+D800) "
        f"at position {position}."
    )


# Raw JSON text: json.dumps would keep the lone surrogate as the escape "\ud800" anyway,
# which is exactly what a sender's JSON carries.
BAD_ITEMS = [
    ({"body": BODY, "url": NUL_URL}, {"url": [NUL_ERROR]}),
    ({"body": BODY, "title": "Pumps \ud800"}, {"title": [surrogate_error("title", 7)]}),
    ({"body": BODY + "\ud800"}, {"body": [surrogate_error("body", len(BODY) + 1)]}),
    ({"body": BODY, "author": "\ud800"}, {"author": [surrogate_error("author", 1)]}),
    ({"body": BODY, "url": "https://x.example/\ud800"}, {"url": [surrogate_error("url", 19)]}),
]


@pytest.fixture
def staff_editor(client):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    return client


def _post_json(client, payload):
    return client.post("/api/v1/articles/", json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(("bad", "errors"), BAD_ITEMS)
def test_api_bulk_imports_the_good_items_beside_a_bad_one(staff_editor, bad, errors):
    response = _post_json(staff_editor, [{"body": OTHER_BODY}, bad, {"body": THIRD_BODY}])
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "error", "created"]
    assert results[1]["errors"] == errors
    assert Article.objects.count() == 2
    assert staff_editor.get("/api/v1/articles/").status_code == 200


@pytest.mark.parametrize(("bad", "errors"), BAD_ITEMS[:2])
def test_api_single_bad_item_is_a_400_naming_the_field(staff_editor, bad, errors):
    response = _post_json(staff_editor, bad)
    assert response.status_code == 400
    assert response.json()["fields"] == errors
    assert Article.objects.count() == 0


def test_admin_json_upload_imports_the_good_items(staff_editor):
    data = json.dumps([{"body": OTHER_BODY}, {"body": BODY, "url": NUL_URL}, {"title": "\ud800"}])
    upload = SimpleUploadedFile("batch.json", data.encode(), content_type="application/json")
    response = staff_editor.post(
        reverse("admin:articles_article_import"), {"files": [upload], "propose": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Imported 1, duplicates 0, rejected 2." in content
    assert "batch.json[1]" in content and "url: The url contains a NUL character" in content
    assert "batch.json[2]" in content
    assert Article.objects.get().body == OTHER_BODY


def test_cli_folder_import_goes_on_past_a_bad_file(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"body": BODY, "url": NUL_URL}) + "\n" + json.dumps({"body": OTHER_BODY}),
        "utf-8",
    )
    (tmp_path / "b.json").write_text(json.dumps({"body": THIRD_BODY, "source": "\ud800"}))
    (tmp_path / "c.txt").write_text("Trams\n\n" + BODY.replace("council", "board"), "utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--no-propose", stdout=out, stderr=err)
    assert "Imported 2, duplicates 0, rejected 2." in out.getvalue()
    assert f"a.jsonl:1: url: {NUL_ERROR}" in err.getvalue()
    assert f"b.json: source: {surrogate_error('source', 1)}" in err.getvalue()
    assert Article.objects.count() == 2


def test_a_draft_from_any_reader_is_checked_before_saving():
    # Readers other than JSON (feeds, pages) hand over drafts; the service checks them too.
    drafts = [
        ArticleDraft(title="A", body=BODY, url=NUL_URL, origin="feed.xml#1"),
        ArticleDraft(title="B\ud800", body=OTHER_BODY, origin="feed.xml#2"),
        ArticleDraft(title="C", body=THIRD_BODY, origin="feed.xml#3"),
    ]
    outcomes = articles_import_batch(drafts, propose=False)
    assert [o.status for o in outcomes] == ["rejected", "rejected", "created"]
    assert outcomes[0].errors == {"url": [NUL_ERROR]}
    assert outcomes[1].errors == {"title": [surrogate_error("title", 2)]}


# --- deeply nested JSON -------------------------------------------------------------------


def test_api_answers_400_to_deeply_nested_json(staff_editor):
    body = "[" * DEEP + "]" * DEEP
    response = staff_editor.post("/api/v1/articles/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == DEEP_ERROR


def test_claims_api_answers_400_to_deeply_nested_json(reviewer_client):
    claim = ClaimFactory()
    body = '{"a":' * DEEP + "1" + "}" * DEEP
    response = reviewer_client.post(
        f"/api/v1/claims/{claim.pk}/review/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == DEEP_ERROR


def test_admin_upload_of_deeply_nested_json_is_rejected_with_a_reason(staff_editor):
    deep = SimpleUploadedFile("deep.json", ("[" * DEEP + "]" * DEEP).encode())
    good = SimpleUploadedFile("good.json", json.dumps({"body": OTHER_BODY}).encode())
    response = staff_editor.post(
        reverse("admin:articles_article_import"), {"files": [deep, good], "propose": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Imported 1, duplicates 0, rejected 1." in content
    assert "malformed JSON (nested too deeply" in content


def test_cli_rejects_a_deep_jsonl_line_and_imports_the_rest(tmp_path):
    lines = ["[" * DEEP + "]" * DEEP, json.dumps({"body": OTHER_BODY})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), "utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), "--no-propose", stdout=out, stderr=err)
    assert "Imported 1, duplicates 0, rejected 1." in out.getvalue()
    assert "feed.jsonl:1: line 1: malformed JSON (nested too deeply" in err.getvalue()
