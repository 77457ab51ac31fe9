"""`manage.py retrieve_fact_checks`: order, ids, bad lines, archive formats, no database.

No test here is marked django_db: pytest-django refuses database access, so a command that
touched the ORM would fail.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.extraction.retrieval_archive import ARCHIVE, QUERIES

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r.as_dict()) for r in ARCHIVE) + "\n", encoding="utf-8")
    return path


def run(archive: Path, payload: str | bytes, **options):
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command(
            "retrieve_fact_checks", archive=archive, stdin=stdin, stdout=out, stderr=err, **options
        )
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), error


def jl(**obj) -> str:
    return json.dumps(obj) + "\n"


def test_one_line_per_query_in_order_with_the_right_fact_check_first(archive):
    payload = "".join(jl(id=f"q{i}", text=text) for i, (text, _) in enumerate(QUERIES))
    records, err, error = run(archive, payload, top=3)
    assert error is None and err == ""
    assert [r["id"] for r in records] == [f"q{i}" for i in range(len(QUERIES))]
    assert [r["results"][0]["id"] for r in records] == [expected for _, expected in QUERIES]
    for record in records:
        assert len(record["results"]) == 3
        scores = [hit["score"] for hit in record["results"]]
        assert scores == sorted(scores, reverse=True)
        assert all(isinstance(s, float) for s in scores)


def test_ids_keep_their_json_type(archive):
    records, _, error = run(archive, jl(id=7, text="bridge closed") + jl(id="7", text="x"))
    assert error is None
    assert [r["id"] for r in records] == [7, "7"]


def test_bad_lines_are_reported_with_their_number_and_the_run_goes_on(archive):
    payload = (
        jl(id="a", text=QUERIES[0][0])
        + "{oops\n"
        + "\n"
        + "[1, 2]\n"
        + jl(text="no id")
        + jl(id="b")
        + jl(id="c", text=["x"])
        + jl(id={"x": 1}, text="t")
        + '{"id": "d", "text": "\\ud800"}\n'
        + jl(id="e", text=QUERIES[1][0])
    ).encode() + b"\xff\xfe\n"
    records, err, error = run(archive, payload)
    assert str(error) == "8 bad input line(s); see the messages above"
    assert [r.get("error") for r in records] == [
        None,
        "line 2: not valid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))",
        "line 4: expected a JSON object",
        'line 5: missing "id"',
        'line 6: missing "text"',
        'line 7: "text" must be a string',
        'line 8: "id" must be a string or number',
        'line 9: "text" holds a lone surrogate',
        None,
        "line 11: not valid UTF-8 (invalid start byte at byte 0)",
    ]
    assert [r["id"] for r in records] == ["a", None, None, None, "b", "c", None, "d", "e", None]
    assert records[0]["results"][0]["id"] == QUERIES[0][1]
    assert records[8]["results"][0]["id"] == QUERIES[1][1]
    assert err.count("retrieve_fact_checks: line ") == 8
    assert "retrieve_fact_checks: line 11: not valid UTF-8" in err


def test_bad_archive_rows_are_reported_and_good_rows_used(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "id,claim,rating\nfc-1,Wolves walked through Valmont,True\n,no id,False\n", encoding="utf-8"
    )
    records, err, error = run(path, jl(id=1, text="wolves in Valmont"), top=5)
    assert error is None
    assert records == [
        {"id": 1, "results": [{"id": "fc-1", "score": records[0]["results"][0]["score"]}]}
    ]
    assert f'retrieve_fact_checks: {path}: row 3: missing "id"' in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,text\nx,y\n", 'CSV header must name "id" and "claim"'),
        (b"id,claim\n,\n", "no usable fact-check"),
        (b"\x00\x01\x02", "binary file"),
    ],
)
def test_unusable_archive_is_a_command_error(tmp_path, content, message):
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("retrieve_fact_checks", archive=path, stdin=io.StringIO(""))


def test_missing_archive_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("retrieve_fact_checks", archive=tmp_path / "no.jsonl", stdin=io.StringIO(""))


@pytest.mark.parametrize("top", [0, -1, 1001])
def test_top_out_of_range_is_a_command_error(archive, top):
    with pytest.raises(CommandError, match="--top must be between 1 and 1000"):
        call_command("retrieve_fact_checks", archive=archive, top=top, stdin=io.StringIO(""))


def test_saved_index_is_loaded_and_ranks_the_same(archive, tmp_path):
    saved = tmp_path / "archive.idx"
    payload = "".join(jl(id=i, text=text) for i, (text, _) in enumerate(QUERIES))
    built, err, _ = run(archive, payload, save_index=saved)
    assert f"index saved to {saved}" in err
    loaded, _, error = run(saved, payload)
    assert error is None
    assert loaded == built


def test_claimreview_page_archive(tmp_path):
    reviews = [
        {
            "@type": "ClaimReview",
            "url": f"https://checks.example.org/{r.id}",
            "claimReviewed": r.claim,
            "name": r.title,
        }
        for r in ARCHIVE
    ]
    path = tmp_path / "page.html"
    script = f'<script type="application/ld+json">{json.dumps(reviews)}</script>'
    path.write_text(f"<html><head>{script}</head></html>")
    records, _, error = run(path, jl(id=1, text=QUERIES[2][0]), top=1)
    assert error is None
    assert records[0]["results"][0]["id"] == f"https://checks.example.org/{QUERIES[2][1]}"


def test_manage_py_needs_no_secret_key_nor_database_and_exits_1_on_bad_lines(archive):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "DEBUG")}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # unusable: must not be touched
    payload = (jl(id=1, text=QUERIES[3][0]) + "{oops\n").encode()
    proc = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "retrieve_fact_checks",
            "--archive",
            str(archive),
            "--top",
            "2",
        ],
        input=payload,
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr.decode()
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert lines[0]["id"] == 1
    assert lines[0]["results"][0]["id"] == QUERIES[3][1]
    assert len(lines[0]["results"]) == 2
    assert lines[1]["error"].startswith("line 2: not valid JSON")
    assert "line 2: not valid JSON" in proc.stderr.decode()


def test_unwritable_save_index_is_a_command_error(archive, tmp_path):
    target = tmp_path / "missing-dir" / "archive.idx"
    with pytest.raises(CommandError, match=r"--save-index .*No such file or directory"):
        call_command(
            "retrieve_fact_checks", archive=archive, save_index=target, stdin=io.StringIO("")
        )
