"""Archive index and ranker: order and ids on a small archive, save/load, edge cases."""

from __future__ import annotations

import json

import numpy as np
import pytest

from extraction.retrieval import ArchiveIndex, FactCheck, Ranker, default_ranker, read_archive
from extraction.retrieval.ranker import FEATURES
from extraction.retrieval.text import numbers, prepare
from tests.extraction.retrieval_archive import ARCHIVE, QUERIES


@pytest.fixture(scope="module")
def index():
    return ArchiveIndex.build(ARCHIVE)


@pytest.mark.parametrize(("query", "expected"), QUERIES)
@pytest.mark.parametrize("learned", [False, True], ids=["first-stage", "re-ranked"])
def test_the_fact_check_of_the_claim_comes_first(index, query, expected, learned):
    ranker = default_ranker(index) if learned else Ranker(index)
    hits = ranker.rank(query, top=3)
    assert hits[0].id == expected
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_top_larger_than_the_archive_returns_every_record_once(index):
    hits = default_ranker(index).rank("bridge closed", top=50)
    assert sorted(h.id for h in hits) == sorted(r.id for r in ARCHIVE)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_query_ranks_nothing(index, text):
    assert default_ranker(index).rank(text) == []


def test_query_without_known_words_still_returns_ids(index):
    hits = default_ranker(index).rank("zzzz qqqq", top=2)
    assert len(hits) == 2
    assert {h.id for h in hits} <= {r.id for r in ARCHIVE}


def test_saved_index_loads_and_ranks_the_same(index, tmp_path):
    path = tmp_path / "archive.npz"
    index.save(path)
    loaded = ArchiveIndex.load(path)
    assert loaded.records == index.records
    for query, _ in QUERIES:
        assert default_ranker(loaded).rank(query) == default_ranker(index).rank(query)


def test_loading_something_else_is_a_clear_error(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, a=np.zeros(2))
    with pytest.raises(ValueError, match="not a fact-check archive index"):
        ArchiveIndex.load(path)
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ValueError, match="not a fact-check archive index"):
        ArchiveIndex.load(path)


def test_duplicate_ids_keep_the_last_copy_once():
    newer = FactCheck(id="fc-bridge", claim="The bridge reopened in May.", rating="True")
    index = ArchiveIndex.build([*ARCHIVE, newer])
    assert index.ids.count("fc-bridge") == 1
    assert index.records[0] == newer


def test_empty_archive_is_refused():
    with pytest.raises(ValueError, match="no fact-check to index"):
        ArchiveIndex.build([])


def test_archive_of_stop_words_only_still_builds():
    index = ArchiveIndex.build(
        [FactCheck(id="1", claim="the of and"), FactCheck(id="2", claim="a")]
    )
    assert {h.id for h in default_ranker(index).rank("the", top=2)} == {"1", "2"}


def test_features_have_one_column_per_name(index):
    ranker = Ranker(index)
    query = prepare("bridge closed")
    cands = np.arange(len(ARCHIVE))
    shape = ranker.features(query, ranker.lexical(query), cands).shape
    assert shape == (len(ARCHIVE), len(FEATURES))


@pytest.mark.parametrize(
    ("text", "prepared"),
    [
        ("Fires #AustralianFires https://t.co/abc", "Fires #AustralianFires Australian Fires  "),
        ("@realDonaldTrump said", "@realDonaldTrump real Donald Trump said"),
        ("pic.twitter.com/xyz #COVID19", "  #COVID19 COVID 19"),
    ],
)
def test_prepare_drops_links_and_spells_out_tags(text, prepared):
    assert prepare(text) == prepared


def test_numbers_ignore_thousands_commas():
    assert numbers("1,200 people and 40% of 3") == {"1200", "40", "3"}


def test_archive_read_from_json_lines_ranks_by_its_ids(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r.as_dict()) for r in ARCHIVE), encoding="utf-8")
    index = ArchiveIndex.build(read_archive(path).records)
    assert default_ranker(index).rank(QUERIES[0][0], top=1)[0].id == QUERIES[0][1]
