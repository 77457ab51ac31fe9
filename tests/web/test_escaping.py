"""Hostile article and reviewer text is shown as text on every page, never run or linked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import content_hash
from claims.services import claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_SENTENCE = '<img src=x onerror="alert(1)"> said 5 <b>bold</b> homes & "more" flooded.'
HOSTILE_BODY = f"Intro <script>alert('body')</script> line.\n\n{HOSTILE_SENTENCE} Tail <i>x</i>."
HOSTILE_URL = "javascript:alert('url')"


@pytest.fixture
def hostile_claim(reviewer):
    article = ArticleFactory(
        title=HOSTILE_TITLE,
        body=HOSTILE_BODY,
        content_hash=content_hash(HOSTILE_BODY),
        url=HOSTILE_URL,
        source="<b>Source</b>",
    )
    start = HOSTILE_BODY.index(HOSTILE_SENTENCE)
    claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(HOSTILE_SENTENCE),
        claimer='"><script>alert("claimer")</script>',
    )
    claim_set_status(
        claim_id=claim.pk,
        to_status="disputed",
        user=reviewer,
        note="</textarea><script>alert('note')</script>",
        evidence=[{"url": "https://ok.example/?q=<x>", "title": "<script>alert('ev')</script>"}],
    )
    return claim


def _pages(claim):
    return [
        reverse("claims:queue") + "?status=all",
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[claim.article_id]),
    ]


def test_no_page_contains_hostile_markup_unescaped(reviewer_client, hostile_claim):
    for url in _pages(hostile_claim):
        html = reviewer_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "<b>bold</b>" not in html and "<b>Source</b>" not in html, url
        assert 'href="javascript:' not in html.lower(), url


def test_hostile_text_is_shown_as_escaped_text(reviewer_client, hostile_claim):
    claim_page = reviewer_client.get(reverse("claims:claim", args=[hostile_claim.pk]))
    html = claim_page.content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert (
        '<mark class="claim-mark st-disputed">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
        " said 5 &lt;b&gt;bold&lt;/b&gt; homes &amp; &quot;more&quot; flooded.</mark>"
    ) in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in html
    # The javascript: article URL is shown as text, not as a link.
    assert "javascript:alert(&#x27;url&#x27;) (not a web link)" in html
    assert 'href="https://ok.example/?q=&lt;x&gt;"' in html
