"""Matching on PostgreSQL: no JIT on the app's connections, no deadlock between workers."""

from __future__ import annotations

import random
import string
import threading

import pytest
from django.db import connection, connections

from claims.models import Claim
from matching import index, services
from matching.models import ArticleMatching, ClaimMatch
from matching.services import article_match_claims
from tests.matching.test_services import make_article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_app_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def _sentences(n: int) -> list[str]:
    rng = random.Random(21)

    def name() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=9)).capitalize()

    return [
        f"Councillor {name()} said {100 + 7 * i} homes in {name()} would be rebuilt by {name()}."
        for i in range(n)
    ]


def test_two_workers_matching_articles_that_share_claims_do_not_deadlock(monkeypatch):
    """Two articles carry the same 80 claims in opposite orders, matched at the same moment.

    Each worker inserts the same match rows and links the same claims; taken in each article's
    own order, the locks cross (issue #21: 7 deadlocks under concurrent imports).
    """
    index._df_cache.clear()
    sentences = _sentences(80)
    first, _ = make_article(sentences, title="Rebuilding plan approved")
    second, _ = make_article(sentences[::-1], title="Rebuilding plan approved")
    # Both workers have indexed and compared before either writes: the writes overlap.
    compared, writing = threading.Barrier(2, timeout=60), threading.Barrier(2, timeout=60)
    real_chunk, real_write = services._match_chunk, services._write_matches

    def match_chunk(**kwargs):
        compared.wait()
        return real_chunk(**kwargs)

    def write_matches(rows, *, chunk_ids):
        writing.wait()
        return real_write(rows, chunk_ids=chunk_ids)

    monkeypatch.setattr(services, "_match_chunk", match_chunk)
    monkeypatch.setattr(services, "_write_matches", write_matches)
    errors: list[BaseException] = []

    def worker(article_id: int) -> None:
        try:
            article_match_claims(article_id=article_id)
        except BaseException as exc:  # reported below, with its type
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a.pk,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert ClaimMatch.objects.filter(relation="same").count() == 80
    clusters = Claim.objects.values_list("cluster_id", flat=True)
    assert None not in clusters and len(set(clusters)) == 80  # each pair its own cluster
    assert set(ArticleMatching.objects.values_list("state", flat=True)) == {"done"}
