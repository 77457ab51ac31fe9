"""Fixtures for the notifications tests: two matched articles whose claims can inherit."""

from __future__ import annotations

import pytest

from claims.services import claim_set_status
from matching.services import article_match_claims
from matching.verdicts import claim_apply_inherited_verdict
from tests.factories import ArticleFactory, ClaimFactory

# Project-written text.
HERALD = ["“We were promised this wall would hold for a hundred years,” Varga told reporters."]
COURIER = ["“They promised us the wall would last a century,” said Mayor Hilde Varga."]


def make_article(sentences: list[str], **fields):
    body = "\n\n".join(sentences)
    article = ArticleFactory(body=body, **fields)
    claims, pos = [], 0
    for sentence in sentences:
        start = body.index(sentence, pos)
        pos = start + len(sentence)
        claims.append(ClaimFactory(article=article, start=start, end=pos))
    return article, claims


@pytest.fixture(autouse=True)
def eager_tasks(monkeypatch):
    """Send in-process even when CI points Celery at Redis (tests/worker/ runs real workers)."""
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _fresh_key_counts():
    from matching import index

    index._df_cache.clear()


@pytest.fixture
def inherited(reviewer, other_reviewer, settings):
    """(source, inheritor): omar verified the source, rita carried its verdict over."""
    # Every link confirmed: only a confirmed match passes a verdict on, and these tests are
    # about the emails, not about the matcher's confidence.
    settings.MATCH_CONFIRM_THRESHOLD = 0.0
    herald, (source,) = make_article(HERALD, title="Tesk floods Marrowby")
    courier, (inheritor,) = make_article(COURIER, title="Marrowby under water")
    for article in (herald, courier):
        article_match_claims(article_id=article.pk)
    claim_set_status(claim_id=source.pk, to_status="verified", user=other_reviewer)
    claim_apply_inherited_verdict(claim_id=inheritor.pk, source_claim_id=source.pk, user=reviewer)
    source.refresh_from_db()
    inheritor.refresh_from_db()
    assert inheritor.inherited_from == source
    return source, inheritor
