"""The scoring benchmark's input is distinct sentences, and it reads the chunk cache's hit rate."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from bench import offline
from extraction.scoring import chunk_cache_stats, load_scorer
from extraction.types import ScoringItem


def test_generated_input_has_no_repeated_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(offline, "TRAINING_SENTENCES", tmp_path / "absent.jsonl")
    path = tmp_path / "in.jsonl"
    assert offline.write_sentences(path, 3_000) == 0
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) == 3_000
    assert len({r["text"] for r in rows}) == 3_000
    assert rows[0]["doc"] == "d0" and rows[40]["doc"] == "d1"


def test_training_sentences_come_first_when_present(shared_dir, tmp_path):
    sentences, from_training = offline.distinct_sentences(500)
    assert from_training == 500 and len(set(sentences)) == 500


@pytest.mark.parametrize(
    ("stderr", "rate"),
    [
        ("tokenizer chunk cache: 30 hits, 10 misses, hit rate 0.7500", 0.75),
        ("tokenizer chunk cache: 0 hits, 0 misses, hit rate 0.0000", None),
        ("something else", None),
    ],
)
def test_hit_rate_is_read_from_stderr(stderr, rate):
    assert offline.parse_cache_stats(stderr) == rate


def test_chunk_cache_counts_hits_and_misses():
    scorer = load_scorer("default")
    before = chunk_cache_stats()
    if before is None:
        pytest.skip("no trained model file: the rule scorer has no tokenizer")
    scorer.score([ScoringItem(text="Zyxqv wobbled 17 frumious bandersnatches.")])
    middle = chunk_cache_stats()
    assert middle["misses"] > before["misses"]
    scorer.score([ScoringItem(text="Zyxqv wobbled 17 frumious bandersnatches.")])
    after = chunk_cache_stats()
    assert after["misses"] == middle["misses"]
    assert after["hits"] - middle["hits"] == 5
    assert 0.0 < after["hit_rate"] < 1.0


def test_score_sentences_reports_the_cache_on_request():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "score_sentences",
        "--cache-stats",
        stdin=io.StringIO('{"id": 1, "text": "The council spent 4 million dollars."}\n'),
        stdout=out,
        stderr=err,
    )
    assert json.loads(out.getvalue())["id"] == 1
    assert "tokenizer chunk cache:" in err.getvalue() and "hit rate" in err.getvalue()
