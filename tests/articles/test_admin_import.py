"""The admin "Import articles" page: editors import, reviewers are refused, output is escaped."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from tests.articles.samples import BODY, OTHER_BODY, OTHER_PARAGRAPHS, html_page
from tests.factories import ArticleFactory, EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import")


@pytest.fixture
def staff_editor_client(client):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    return client


@pytest.fixture
def staff_reviewer_client(client):
    client.force_login(ReviewerFactory(username="ruth", is_staff=True))
    return client


def test_changelist_links_the_import_page_for_editors(staff_editor_client):
    response = staff_editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert IMPORT_URL in response.content.decode()


def test_changelist_hides_the_link_from_reviewers(staff_reviewer_client):
    response = staff_reviewer_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert IMPORT_URL not in response.content.decode()


def test_reviewer_is_refused(staff_reviewer_client):
    assert staff_reviewer_client.get(IMPORT_URL).status_code == 403
    response = staff_reviewer_client.post(IMPORT_URL, {"text": BODY, "propose": ""})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_editor_sees_the_form(staff_editor_client):
    response = staff_editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="files"' in content and "multiple" in content


def test_empty_form_is_an_error(staff_editor_client):
    response = staff_editor_client.post(IMPORT_URL, {"text": "  "})
    assert response.status_code == 200
    assert "Upload a file, paste text or enter a URL." in response.content.decode()


def test_editor_imports_files_text_and_urls(staff_editor_client, web):
    existing = ArticleFactory(body=OTHER_BODY)
    page_url = web.route("/p", html_page(title="Apple harvest", paragraphs=OTHER_PARAGRAPHS[:2]))
    files = [
        SimpleUploadedFile("trams.txt", ("Tram record\n" + BODY).encode(), "text/plain"),
        SimpleUploadedFile("apples.txt", OTHER_BODY.encode(), "text/plain"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
    ]
    response = staff_editor_client.post(
        IMPORT_URL,
        {
            "files": files,
            "text": "The library will open until 10 p.m. on weekdays, the board said.",
            "title": "Library hours",
            "source": "Desk",
            "url": "",
            "urls": f"{page_url}\n\n{web.url('/nope')}\n",
            "propose": "",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    created, duplicates, rejected = (
        response.context["created"],
        response.context["duplicates"],
        response.context["rejected"],
    )
    assert [o.title for o in created] == ["Tram record", "Library hours", "Apple harvest"]
    assert [(o.origin, o.article_id) for o in duplicates] == [("apples.txt", existing.pk)]
    assert [o.origin for o in rejected] == ["photo.png", web.url("/nope")]
    assert "Imported 3, duplicates 1, rejected 2." in content
    for outcome in created:
        assert reverse("admin:articles_article_change", args=[outcome.article_id]) in content
    assert reverse("admin:articles_article_change", args=[existing.pk]) in content
    assert "<strong>photo.png</strong>: unsupported file type &#x27;.png&#x27;" in content
    assert "HTTP 404" in content
    library = Article.objects.get(title="Library hours")
    assert (library.source, library.imported_by.username) == ("Desk", "edna")


def test_hostile_pasted_text_is_stored_as_text_and_escaped(staff_editor_client):
    hostile = "<script>alert('owned')</script> The mayor said <b>nothing</b> about the budget."
    response = staff_editor_client.post(
        IMPORT_URL, {"text": hostile, "title": "<img src=x onerror=alert(1)>", "propose": ""}
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.body == hostile  # kept verbatim: it is what the source said
    content = response.content.decode()
    assert "<img src=x onerror" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    change = staff_editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = change.content.decode()
    assert "<script>alert('owned')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page


# --- requests over Django's upload limits ---------------------------------------------------


def test_pasted_text_over_the_form_limit_gets_the_page_with_the_limit(
    staff_editor_client, settings
):
    # Django refuses such a body while the CSRF check reads it: a bare "Bad Request" page.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = staff_editor_client.post(IMPORT_URL, {"text": BODY * 40, "propose": ""})
    assert response.status_code == 413
    content = response.content.decode()
    sent = int(response.wsgi_request.META["CONTENT_LENGTH"])
    assert (
        "The form was not imported: pasted text and fields may total 10,000 bytes, and this "
        f"form sent {sent:,} bytes. Save a long text as a .txt file and upload it (files may "
        "be up to 5 MB each)."
    ) in content
    assert 'id="article-import-form"' in content  # the form is there to try again
    assert Article.objects.count() == 0


def test_too_many_files_get_the_page_with_the_limit(staff_editor_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{i}.txt", BODY.encode(), "text/plain") for i in range(3)]
    response = staff_editor_client.post(IMPORT_URL, {"files": files, "propose": ""})
    assert response.status_code == 413
    assert (
        "at most 2 files per upload. Upload fewer at a time, or put them in a .zip archive."
    ) in response.content.decode()
    assert Article.objects.count() == 0


def test_the_import_page_still_checks_the_csrf_token(settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(EditorFactory(username="edna", is_staff=True))
    response = client.post(IMPORT_URL, {"text": BODY, "propose": ""})
    assert response.status_code == 403
    page = client.get(IMPORT_URL)
    token = page.context["csrf_token"]
    response = client.post(IMPORT_URL, {"text": BODY, "propose": "", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert Article.objects.count() == 1


# --- "Add article" ----------------------------------------------------------------------------


ADD_URL = reverse("admin:articles_article_add")


def test_add_article_opens_the_import_page(staff_editor_client):
    changelist = staff_editor_client.get(reverse("admin:articles_article_changelist"))
    assert ADD_URL in changelist.content.decode()
    response = staff_editor_client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    # A POST to the old model form creates nothing behind the import's back.
    response = staff_editor_client.post(ADD_URL, {"title": "Hand made", "body": BODY})
    assert response.status_code == 302
    assert Article.objects.count() == 0


def test_add_article_is_refused_to_reviewers(staff_reviewer_client):
    assert staff_reviewer_client.get(ADD_URL).status_code == 403


def test_two_hand_made_articles_are_hashed_and_the_second_is_a_duplicate(staff_editor_client):
    # Through the paste field: the first is normalised and hashed, the same text again is
    # reported as a duplicate (the model form saved an empty hash, then answered 500).
    for _ in range(2):
        response = staff_editor_client.post(
            IMPORT_URL,
            {"text": "  " + BODY.replace("\n\n", "\r\n\r\n"), "title": "Pumps", "propose": "on"},
        )
        assert response.status_code == 200
    assert [o.article_id for o in response.context["duplicates"]] == [Article.objects.get().pk]
    article = Article.objects.get()
    assert article.body == BODY
    assert len(article.content_hash) == 64
    assert article.proposal_queued_at is not None
