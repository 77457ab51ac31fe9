"""MAP@5 of the shipped ranker on the CheckThat! 2020 dev queries (needs ../shared).

The floor is the dev figure measured when the re-ranker was trained (see
extraction/models/RETRIEVAL_MODEL_CARD.md) minus a margin for numeric noise across
platforms and library versions; a change that loses more than that fails here.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from extraction.retrieval import ArchiveIndex, Ranker, default_ranker, read_archive
from extraction.retrieval.evaluate import map_at_5, read_queries

MEASURED_DEV_MAP5 = 0.8181
MEASURED_FIRST_STAGE_DEV_MAP5 = 0.7181
MARGIN = 0.02


@pytest.fixture(scope="module")
def data():
    # Module-scoped (the index takes ~30 s to build), so it reads settings.SHARED_DIR itself
    # rather than through the function-scoped shared_dir fixture; it skips the same way.
    root = settings.SHARED_DIR / "data" / "claim-retrieval"
    if not root.exists():
        pytest.skip(f"{root} not found (../shared beside the repo)")
    archive = read_archive(root / "verified_claims.jsonl")
    assert archive.errors == []
    assert len(archive.records) == 10_375
    return ArchiveIndex.build(archive.records), read_queries(root / "dev_queries.jsonl")


def _map5(ranker: Ranker, queries: list[dict]) -> float:
    ranked = [[h.id for h in ranker.rank(q["text"], top=5)] for q in queries]
    return map_at_5(ranked, [set(q["relevant"]) for q in queries])


def test_dev_map5_of_the_shipped_ranker_stays_above_its_floor(data):
    index, queries = data
    assert _map5(default_ranker(index), queries) >= MEASURED_DEV_MAP5 - MARGIN


def test_first_stage_alone_stays_above_its_floor(data):
    index, queries = data
    assert _map5(Ranker(index), queries) >= MEASURED_FIRST_STAGE_DEV_MAP5 - MARGIN


@pytest.mark.parametrize(
    ("ranked", "relevant", "expected"),
    [
        ([["a", "b"]], [{"a"}], 1.0),
        ([["b", "a"]], [{"a"}], 0.5),
        ([["b", "c", "d", "e", "f", "a"]], [{"a"}], 0.0),
        ([["a", "x", "b"]], [{"a", "b"}], (1 + 2 / 3) / 2),
        ([["a"], ["x"]], [{"a"}, {"y"}], 0.5),
    ],
)
def test_map_at_5(ranked, relevant, expected):
    assert map_at_5(ranked, relevant) == pytest.approx(expected)
