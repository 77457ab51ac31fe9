"""Importing the archive: every format, bad input per format, re-import, URLs, the command."""

from __future__ import annotations

import http.server
import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from factchecks.models import FactCheck, FactCheckImport
from factchecks.services import fact_checks_import, fact_checks_import_url
from tests.factchecks import archive_samples as samples

pytestmark = pytest.mark.django_db


def _import(data: bytes, name: str, **kwargs) -> FactCheckImport:
    return fact_checks_import(data=data, source=name, via="cli", **kwargs)


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (samples.jsonl(), "archive.jsonl", "jsonl"),
        (samples.csv_bytes(), "archive.csv", "csv"),
        (samples.feed(), "feed.json", "json"),
        (samples.page(), "page.html", "html"),
        (samples.jsonl(), "no-extension", "jsonl"),
    ],
)
def test_every_format_lands_the_same_rows(data, name, fmt):
    record = _import(data, name)
    record.refresh_from_db()
    assert (record.state, record.format, record.created, record.rejected) == ("done", fmt, 4, 0)
    fc = FactCheck.objects.get(
        external_id="fc-1" if fmt in ("jsonl", "csv") else samples.RECORDS[0]["url"]
    )
    assert fc.author == "Harbour Checks"
    assert fc.rating == "False"
    assert fc.published_on.isoformat() == "2024-02-03"
    assert fc.source_import == record
    assert fc.language == "en"
    other = FactCheck.objects.get(claim__startswith="Drinking hot water")
    assert other.published_on.isoformat() == "2023-03-04"  # "March 4, 2023"


def test_reimport_updates_instead_of_duplicating():
    _import(samples.jsonl(), "a.jsonl")
    changed = [dict(r) for r in samples.RECORDS]
    changed[1]["rating"] = "True"
    second = _import(samples.jsonl(changed), "a.jsonl")
    assert FactCheck.objects.count() == 4
    assert (second.created, second.updated, second.unchanged) == (0, 1, 3)
    fc = FactCheck.objects.get(external_id="fc-2")
    assert fc.rating == "True"
    assert fc.source_import == second


def test_same_id_from_another_author_is_another_fact_check():
    _import(samples.jsonl(samples.RECORDS[:1]), "a.jsonl")
    other = dict(samples.RECORDS[0], author="Somebody Else")
    _import(samples.jsonl([other]), "b.jsonl")
    assert FactCheck.objects.filter(external_id="fc-1").count() == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.jsonl", "the file holds no fact-check"),
        (b"", "empty.csv", "empty CSV: expected a header row"),
        (b"\x00\x01\x02binary\x00", "x.csv", "binary file (NUL bytes)"),
        ("id,claim\n1,caf\xe9\n".encode("latin-1"), "x.csv", "not valid UTF-8"),
        (b"name,text\nx,y\n", "x.csv", 'CSV header must name "id" and "claim"'),
        (b'{"@type": "ClaimReview", ', "x.json", "not valid JSON"),
        (b"<html><body>no json-ld</body></html>", "x.html", "no <script"),
        (b"[" * 100_000 + b"]" * 100_000, "deep.json", "nested too deeply"),
    ],
)
def test_an_unreadable_file_fails_naming_the_problem_and_writes_nothing(data, name, message):
    record = _import(data, name)
    record.refresh_from_db()
    assert record.state == "failed"
    assert message in record.error
    assert FactCheck.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.FACT_CHECK_IMPORT_MAX_BYTES = 1000
    record = _import(samples.jsonl() * 10, "big.jsonl")
    assert record.state == "failed"
    assert "over the 1,000-byte limit" in record.error
    assert FactCheck.objects.count() == 0


def test_bad_jsonl_lines_are_reported_by_line_and_good_lines_kept():
    lines = samples.jsonl().decode().splitlines()
    bad = [
        lines[0],
        "{not json",
        json.dumps({"claim": "no id here"}),
        lines[1],
        json.dumps({"id": "x", "claim": "a", "url": "javascript:alert(1)"}),
        json.dumps({"id": "y" * 600, "claim": "a"}),
        "\xff".encode("latin-1").decode("latin-1"),
        lines[2],
    ]
    record = _import("\n".join(bad).encode("utf-8"), "rows.jsonl")
    assert (record.created, record.rejected) == (3, 5)
    rows = {e["row"]: e["message"] for e in record.errors}
    assert "not valid JSON" in rows[2]
    assert rows[3] == 'missing "id"'
    assert rows[5].startswith('"url" must be an http(s) address')
    assert rows[6] == '"id" is longer than 500 characters'
    assert 7 in rows


def test_bad_csv_rows_are_reported_by_line_and_good_rows_kept():
    data = (
        b"id,claim,title,rating,url,author,date\n"
        b'a1,"The bridge closed for 40 days.",t,False,https://x.example/a,Desk,2024-01-01\n'
        b",missing id,t,False,https://x.example/b,Desk,2024-01-01\n"
        b"a3,too,many,cells,https://x.example/c,Desk,2024,extra,extra\n"
        b'a4,"<script>alert(1)</script> Taxes rose 5 percent.",t,True,,Desk,\n'
    )
    record = _import(data, "rows.csv")
    assert (record.created, record.rejected) == (2, 2)
    assert [e["row"] for e in record.errors] == [3, 4]
    # Stored as text; the pages escape it (see test_claim_page).
    assert FactCheck.objects.get(external_id="a4").claim.startswith("<script>")


def test_bad_claim_reviews_in_a_page_are_reported_by_item():
    items = [samples.claim_review(r) for r in samples.RECORDS[:2]]
    items.insert(1, {"@type": "ClaimReview", "claimReviewed": "no url or id"})
    page = (
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><head>'
        f'<script type="application/ld+json">{json.dumps(items)}</script>'
        '<script type="application/ld+json">{broken</script>'
        "</head><body>&xxe;</body></html>"
    ).encode()
    record = _import(page, "page.html")
    assert record.created == 2
    messages = {e["row"]: e["message"] for e in record.errors}
    assert messages[2] == 'JSON-LD script 1: ClaimReview has no "url" or "@id" to identify it'
    assert "JSON-LD script 2: not valid JSON" in messages[4]
    assert not FactCheck.objects.filter(claim__contains="root:").exists()


def test_a_file_listing_a_fact_check_twice_keeps_the_later_row():
    rows = [samples.RECORDS[0], dict(samples.RECORDS[0], rating="True")]
    record = _import(samples.jsonl(rows), "twice.jsonl")
    assert record.created == 1
    assert FactCheck.objects.get().rating == "True"


class _Archive(http.server.BaseHTTPRequestHandler):
    body = samples.csv_bytes()
    content_type = "text/csv; charset=utf-8"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def archive_server(settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server = http.server.HTTPServer(("127.0.0.1", 0), _Archive)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_and_its_format_taken_from_the_content_type(archive_server):
    record = fact_checks_import_url(url=f"{archive_server}/export", via="cli")
    assert (record.state, record.format, record.created) == ("done", "csv", 4)
    assert record.source == f"{archive_server}/export"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9/archive.csv", "importing from internal addresses is not allowed"),
        ("http://169.254.169.254/latest/meta-data", "importing from internal addresses"),
        ("file:///etc/passwd", "only http and https URLs can be imported"),
    ],
)
def test_internal_and_non_web_urls_are_refused(settings, url, message):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    record = fact_checks_import_url(url=url, via="cli")
    record.refresh_from_db()
    assert record.state == "failed"
    assert message in record.error
    assert FactCheck.objects.count() == 0


def test_command_imports_a_file_and_reports_rejections(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_bytes(samples.jsonl() + b'{"claim": "no id"}\n')
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_fact_checks", str(path), stdout=out, stderr=err)
    assert "4 new, 0 updated, 0 unchanged, 1 rejected" in out.getvalue()
    assert 'row 5: missing "id"' in err.getvalue()
    assert FactCheck.objects.count() == 4
    assert FactCheckImport.objects.get().via == "cli"


def test_command_fails_on_an_unreadable_file(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x00\x00")
    with pytest.raises(CommandError, match="nothing imported: binary file"):
        call_command("import_fact_checks", str(path), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_fact_checks", str(tmp_path / "missing.csv"), stdout=StringIO())
