"""Importing from the admin: upload or URL, the import's record, who may."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factchecks.models import FactCheck, FactCheckImport
from tests.factchecks import archive_samples as samples
from tests.factories import EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

IMPORT = "admin:factchecks_factcheckimport_import"


@pytest.fixture
def editor_admin(client):
    editor = EditorFactory(username="edna", is_staff=True)
    client.force_login(editor)
    client.user = editor
    return client


def test_an_editor_uploads_a_file_and_sees_the_import_record(editor_admin):
    upload = SimpleUploadedFile("checks.jsonl", samples.jsonl() + b'{"id": "x"}\n')
    response = editor_admin.post(reverse(IMPORT), {"file": upload}, follow=True)
    record = FactCheckImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:factchecks_factcheckimport_change", args=[record.pk]
    )
    page = response.content.decode()
    assert "Imported 4 fact-check(s): 4 new, 0 updated, 0 unchanged; 1 row(s) rejected." in page
    assert (record.via, record.source) == ("admin", "checks.jsonl")
    assert record.imported_by == editor_admin.user
    assert record.errors == [{"row": 5, "message": 'needs a "claim" or a "title"'}]
    assert FactCheck.objects.count() == 4


def test_an_unreadable_upload_imports_nothing_and_says_why(editor_admin):
    upload = SimpleUploadedFile("checks.csv", b"\x00\x00binary")
    response = editor_admin.post(reverse(IMPORT), {"file": upload}, follow=True)
    assert "Nothing imported: binary file (NUL bytes)" in response.content.decode()
    assert FactCheckImport.objects.get().state == "failed"
    assert not FactCheck.objects.exists()


def test_an_internal_url_is_refused(editor_admin, settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    response = editor_admin.post(reverse(IMPORT), {"url": "http://127.0.0.1:6379/"}, follow=True)
    assert "importing from internal addresses is not allowed" in response.content.decode()
    assert not FactCheck.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Upload a file or enter a URL (one of the two)."),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_the_form_needs_one_source(editor_admin, data, message):
    response = editor_admin.post(reverse(IMPORT), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FactCheckImport.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_reading(editor_admin, settings):
    settings.FACT_CHECK_IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("checks.csv", samples.csv_bytes())
    response = editor_admin.post(reverse(IMPORT), {"file": upload})
    assert "over the 100 bytes limit (FACT_CHECK_IMPORT_MAX_BYTES)" in response.content.decode()
    assert not FactCheckImport.objects.exists()


def test_a_reviewer_cannot_import(client):
    client.force_login(ReviewerFactory(username="rita", is_staff=True))
    upload = SimpleUploadedFile("checks.jsonl", samples.jsonl())
    assert client.post(reverse(IMPORT), {"file": upload}).status_code == 403
    assert not FactCheck.objects.exists()


def test_the_import_list_links_to_the_import_page(editor_admin):
    page = editor_admin.get(reverse("admin:factchecks_factcheckimport_changelist"))
    assert page.status_code == 200
    assert reverse(IMPORT) in page.content.decode()
