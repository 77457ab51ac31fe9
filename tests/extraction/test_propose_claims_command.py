"""`manage.py propose_claims`: a dry run of the pipeline on text files, no database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import scoring

ARTICLE = (
    "Flood defences fail in Riverton\n"
    "\n"
    "The Riverton council said on Monday that 1,200 homes were flooded after the river "
    "rose 2.5 metres overnight. Was anyone warned? "
    "“We had no notice at all,” said Mayor Ana Lopez.\n"
    "\n"
    "What a wonderful community this is.\n"
    "Subscribe to our newsletter\n"
)


class MarkerScorer:
    """Scores sentences with a digit high, everything else low."""

    name = "marker"
    threshold = 0.5

    def score(self, items):
        return [
            0.9 if any(c.isdigit() for c in i.text) or "notice" in i.text else 0.1 for i in items
        ]


@pytest.fixture(autouse=True)
def scorer(monkeypatch):
    monkeypatch.setattr(scoring, "load_scorer", lambda name: MarkerScorer())


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "riverton.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("propose_claims", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_json_lists_claims_with_exact_offsets_types_and_claimers(article):
    out, _ = run(str(article), "--json", "--outlet", "Riverton Post")
    [doc] = [json.loads(line) for line in out.splitlines()]
    assert doc["supported"] and doc["language"] == "en" and doc["scorer"] == "marker"
    assert doc["threshold"] == 0.5
    claims = doc["claims"]
    assert [c["text"] for c in claims] == [
        "The Riverton council said on Monday that 1,200 homes were flooded after the river "
        "rose 2.5 metres overnight.",
        "“We had no notice at all,” said Mayor Ana Lopez.",
    ]
    for c in claims:
        assert ARTICLE[c["start"] : c["end"]] == c["text"]
    assert [c["claimer"] for c in claims] == ["Riverton council", "Ana Lopez"]
    assert claims[0]["claim_type"] == "quantity"
    assert doc["claim_count"] == 2


def test_all_prints_every_sentence_with_its_kind(article):
    out, _ = run(str(article), "--json", "--all")
    doc = json.loads(out)
    kinds = {s["text"]: s["kind"] for s in doc["sentences"]}
    assert kinds["Flood defences fail in Riverton"] == "heading"
    assert kinds["Subscribe to our newsletter"] == "boilerplate"
    assert not any(s["checkworthy"] for s in doc["sentences"] if s["kind"] != "sentence")
    assert len(doc["sentences"]) == doc["sentence_count"] == 6


def test_text_output_shows_offsets_score_type_and_claimer(article):
    out, _ = run(str(article), "--outlet", "Riverton Post")
    lines = out.splitlines()
    assert lines[0].startswith(f"== {article}: 2 claim(s) in 6 sentence(s)")
    start = ARTICLE.index("The Riverton council")
    assert any(
        line.startswith(f"* {start:>6}-")
        and "0.900 quantity" in line
        and "Riverton council" in line
        for line in lines
    )


def test_threshold_option_overrides_the_scorers(article):
    out, _ = run(str(article), "--json", "--threshold", "0.95")
    assert json.loads(out)["claims"] == []


def test_unsupported_language_proposes_nothing(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text(
        "Der Stadtrat teilte am Montag mit, dass 1.200 Häuser überflutet wurden. " * 2,
        encoding="utf-8",
    )
    out, _ = run(str(path))
    assert "language 'de' is not supported; nothing proposed" in out


def test_unreadable_file_is_reported_and_the_others_still_run(article, tmp_path):
    missing = tmp_path / "missing.txt"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("propose_claims", str(missing), str(article), stdout=out, stderr=err)
    assert str(missing) in err.getvalue()
    assert f"== {article}:" in out.getvalue()


def test_windows_1252_file_is_decoded(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(
        "The council said 1,200 homes were flooded in the caf\xe9 district on Monday.".encode(
            "cp1252"
        )
    )
    out, _ = run(str(path), "--json", "--language", "en")
    [claim] = json.loads(out)["claims"]
    assert "café" in claim["text"]
