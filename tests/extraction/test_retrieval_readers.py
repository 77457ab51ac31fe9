"""Archive readers: ClaimReview JSON-LD (page and file), CSV, JSON Lines; bad rows, hostile files.

Fixtures are written here for the project (invented fact-checks, example.org links).
"""

from __future__ import annotations

import json

import pytest

from extraction.retrieval import FactCheck, RowError, read_archive
from extraction.retrieval.records import ArchiveError


def review(n: int, **extra) -> dict:
    obj = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checks.example.org/{n}",
        "claimReviewed": f"The river bridge number {n} was closed for a year.",
        "name": f"Was bridge {n} closed?",
        "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1},
        "author": {"@type": "Organization", "name": "Example Checks"},
        "datePublished": "2024-03-0" + str(n),
    }
    obj.update(extra)
    return obj


def fc(n: int) -> FactCheck:
    return FactCheck(
        id=f"https://checks.example.org/{n}",
        claim=f"The river bridge number {n} was closed for a year.",
        title=f"Was bridge {n} closed?",
        rating="False",
        url=f"https://checks.example.org/{n}",
        author="Example Checks",
        date=f"2024-03-0{n}",
    )


def page(*scripts: str) -> bytes:
    body = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<!doctype html><html><head><title>t</title>{body}</head><body>x</body></html>".encode()


BAD_JSON = "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
CSV_HEADER = "id,claim,title,rating,url,author,date\n"


@pytest.mark.parametrize(
    ("name", "data", "records", "errors"),
    [
        ("one.json", json.dumps(review(1)).encode(), [fc(1)], []),
        ("list.jsonld", json.dumps([review(1), review(2)]).encode(), [fc(1), fc(2)], []),
        (
            "graph.json",
            json.dumps(
                {"@context": "https://schema.org", "@graph": [review(1), review(2)]}
            ).encode(),
            [fc(1), fc(2)],
            [],
        ),
        (
            "itemlist.json",
            json.dumps(
                {
                    "@type": "ItemList",
                    "itemListElement": [
                        {"@type": "ListItem", "position": 1, "item": review(1)},
                        {"@type": "ListItem", "position": 2, "item": review(2)},
                    ],
                }
            ).encode(),
            [fc(1), fc(2)],
            [],
        ),
        (
            "mixed.json",
            json.dumps(
                [review(1), {"@type": "NewsArticle"}, review(3, url=None), review(2)]
            ).encode(),
            [fc(1), fc(2)],
            [
                RowError(2, "not a ClaimReview (@type 'NewsArticle')"),
                RowError(3, 'ClaimReview has no "url" or "@id" to identify it'),
            ],
        ),
        ("page.html", page(json.dumps(review(1)), json.dumps([review(2)])), [fc(1), fc(2)], []),
        (
            "broken.html",
            page(json.dumps(review(1)), "{not json", json.dumps(review(2))),
            [fc(1), fc(2)],
            [
                RowError(
                    2,
                    f"JSON-LD script 2: not valid JSON ({BAD_JSON})",
                )
            ],
        ),
        (
            "archive.csv",
            (
                CSV_HEADER
                + "https://checks.example.org/1,The river bridge number 1 was closed for a year.,"
                "Was bridge 1 closed?,False,https://checks.example.org/1,Example Checks,"
                "2024-03-01\n"
                ",no id here,,,,,\n"
                "7,,,,,,\n"
                'https://checks.example.org/2,"The river bridge number 2 was closed for a year.",'
                "Was bridge 2 closed?,False,https://checks.example.org/2,Example Checks,"
                "2024-03-02\n"
                "8,a,b,c,d,e,f,g\n"
            ).encode(),
            [fc(1), fc(2)],
            [
                RowError(3, 'missing "id"'),
                RowError(4, 'needs a "claim" or a "title"'),
                RowError(6, "8 cells for 7 columns"),
            ],
        ),
        (
            "feed.jsonl",
            b"\n".join(
                [
                    json.dumps(fc(1).as_dict()).encode(),
                    b"{broken",
                    b"[1, 2]",
                    b"",
                    json.dumps({"id": 5, "claim": ["x"]}).encode(),
                    b'{"id": "9", "claim": "caf\xe9"}',
                    json.dumps(review(2)).encode(),
                ]
            ),
            [fc(1), fc(2)],
            [
                RowError(
                    2,
                    f"not valid JSON ({BAD_JSON})",
                ),
                RowError(3, "expected a JSON object"),
                RowError(5, '"claim" must be a string'),
                RowError(6, "not valid UTF-8 (invalid continuation byte at byte 25)"),
            ],
        ),
    ],
)
def test_reader_keeps_good_rows_and_reports_bad_ones(name, data, records, errors):
    result = read_archive(data, name=name)
    assert result.records == records
    assert result.errors == errors


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (json.dumps([review(1)]).encode(), "json"),
        (json.dumps(review(1), indent=2).encode(), "json"),
        (
            json.dumps(fc(1).as_dict()).encode() + b"\n" + json.dumps(fc(2).as_dict()).encode(),
            "jsonl",
        ),
        (page(json.dumps(review(1))), "html"),
        (b"id,claim\n1,a claim\n", "csv"),
    ],
)
def test_format_is_sniffed_when_the_name_does_not_tell(data, fmt):
    assert read_archive(data, name="upload").format == fmt


def test_reader_reads_a_file_by_path(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ID, Claim ,Rating\n1,Bridges fell,False\n", encoding="utf-8-sig")
    result = read_archive(path)
    assert result.records == [FactCheck(id="1", claim="Bridges fell", rating="False")]


def test_utf16_csv_with_bom_is_read():
    result = read_archive("id,claim\n1,Café closed\n".encode("utf-16"), name="a.csv")
    assert result.records == [FactCheck(id="1", claim="Café closed")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file (NUL bytes)"),
        ("a.csv", b"id,claim\n1,caf\xe9\n", "not valid UTF-8 (invalid continuation byte at byte"),
        ("a.csv", b"", "empty CSV: expected a header row"),
        ("a.csv", b"name,text\nx,y\n", 'CSV header must name "id" and "claim"'),
        ("a.json", b"{", "not valid JSON"),
        ("a.json", b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply"),
        ("a.json", b"[]", "no ClaimReview object found"),
        ("a.html", b"<html><body><p>no data</p></body></html>", "no <script"),
        ("a.xml", b"x", "unknown format"),
    ],
)
def test_unreadable_files_raise_a_clear_error(name, data, message):
    with pytest.raises(ArchiveError, match=None) as info:
        read_archive(data, name=name, format="xml" if name.endswith(".xml") else None)
    assert message in str(info.value)


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ArchiveError, match="2,000 bytes, over the 1,000-byte limit"):
        read_archive(path, max_bytes=1000)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match=r"cannot read .*nope\.csv: No such file"):
        read_archive(tmp_path / "nope.csv")


def test_deeply_nested_json_ld_item_is_a_row_error_not_a_crash():
    nested: list = [review(1)]
    for _ in range(40):
        nested = [nested]
    result = read_archive(json.dumps([review(2), nested]).encode(), name="a.json")
    assert result.records == [fc(2)]
    assert result.errors == [RowError(2, "JSON-LD nested too deeply")]


def test_single_object_of_another_type_is_a_row_error():
    result = read_archive(b'{"@type": "Person", "name": "x"}', name="a.json")
    assert result.errors == [RowError(1, "not a ClaimReview (@type 'Person')")]


def test_html_entities_are_not_expanded_and_scripts_stay_text(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY lol "lollollollollollol">]>'
        "<html><head>"
        '<script type="application/ld+json">'
        # As producers write it: "</" escaped so the claim cannot close the script element.
        + json.dumps(review(1, claimReviewed="&xxe; &lol; <script>alert(1)</script>")).replace(
            "</", "<\\/"
        )
        + "</script><script>alert(2)</script>"
        + '<script type="application/ld+json">{"claimReviewed": "<script>x</script>"}</script>'
        + "</head><body>&xxe;</body></html>"
    ).encode()
    result = read_archive(hostile, name="p.html")
    assert [r.claim for r in result.records] == ["&xxe; &lol; <script>alert(1)</script>"]
    assert "TOPSECRET" not in repr(result)
    # An unescaped "</script>" ends the element early: that script is a bad row, not a crash.
    assert [e.row for e in result.errors] == [2]
    assert result.errors[0].message.startswith("JSON-LD script 2: not valid JSON")


def test_overlong_field_is_a_row_error():
    data = json.dumps({"id": "1", "claim": "x" * 6000}).encode()
    result = read_archive(data, name="a.jsonl")
    assert result.errors == [RowError(1, '"claim" is longer than 5000 characters')]


def test_csv_field_over_the_csv_limit_stops_reading_with_an_error_and_keeps_earlier_rows():
    data = b'id,claim\n1,Bridges fell\n2,"' + b"x" * 200_000 + b'"\n3,Never read\n'
    result = read_archive(data, name="a.csv")
    assert result.records == [FactCheck(id="1", claim="Bridges fell")]
    assert len(result.errors) == 1
    assert "field larger than field limit" in result.errors[0].message
    assert result.errors[0].message.endswith("reading stopped here")
