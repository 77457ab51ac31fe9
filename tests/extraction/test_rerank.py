"""``rerank`` scores candidates exactly as a ``Ranker`` over an index of those candidates."""

from __future__ import annotations

import pytest

from extraction.retrieval import ArchiveIndex, FactCheck, default_ranker
from extraction.retrieval.rerank import rerank
from tests.factchecks.archive_samples import RECORDS

CANDIDATES = [FactCheck(id=r["id"], claim=r["claim"], title=r["title"]) for r in RECORDS] + [
    FactCheck(id="no-title", claim="The flood wall cost 12 million dollars, not 4 million."),
    FactCheck(id="no-claim", claim="", title="Hot water and colds: what the doctors say"),
    FactCheck(id="tags", claim="#FloodWall cost @Council 4m https://t.co/x", title="Tweet"),
]


@pytest.mark.parametrize(
    "query",
    [
        "The council spent 4 million dollars on the new flood wall in 2023.",
        "Hot water cures a cold in a day, a post claims. #health",
        "The orchestra will tour six cities in the spring.",
        "4",
    ],
)
def test_rerank_equals_the_ranker_on_an_index_of_the_candidates(query):
    expected = default_ranker(ArchiveIndex.build(CANDIDATES)).rank(query, top=5)
    got = rerank(query, CANDIDATES, top=5)
    assert [h.id for h in got] == [h.id for h in expected]
    assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-4)


@pytest.mark.parametrize(("query", "top"), [("", 5), ("   ", 5), ("flood", 0)])
def test_nothing_to_rank(query, top):
    assert rerank(query, CANDIDATES, top=top) == []
    assert rerank("flood", [], top=5) == []
