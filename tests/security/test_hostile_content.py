"""Hostile article text (script tags, event handlers, javascript: links) is shown escaped on
every page that shows it, and evidence links accept only http(s), on every way in."""

import pytest
from rest_framework.test import APIClient

from articles.importing.types import ArticleDraft
from articles.models import Article
from articles.services import article_import
from claims.models import Evidence
from integrations.services import api_token_create
from tests.factories import ClaimFactory, ReviewerFactory

TITLE = "Budget <script>alert('title')</script> approved"
FIRST = "The council approved <img src=x onerror=alert('body')> a $48 million budget."
BODY = (
    f"{FIRST}\n\n"
    "Read <a href=\"javascript:alert('link')\">the plan</a> "
    "and <svg onload=alert(1)></svg> now.\n\n"
    "The mayor said the plan would protect 12,000 homes by 2028."
)
# What must never reach a page as markup.
RAW = [
    "<script>alert('title')",
    "<img src=x onerror",
    'href="javascript:',
    "<svg onload",
]
ESCAPED_TITLE = "Budget &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; approved"


@pytest.fixture
def hostile_claim(editor):
    outcome = article_import(
        ArticleDraft(title=TITLE, body=BODY, source="Herald <b>", origin="test"),
        imported_by=editor,
        propose=False,
    )
    assert outcome.status == "created", outcome
    return ClaimFactory(
        article=Article.objects.get(pk=outcome.article_id),
        claimer="<script>alert('claimer')</script>",
        claim_type="quantity",
    )


def _pages(claim):
    article = claim.article
    return [
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/",
        f"/claims/{claim.pk}/",
        f"/articles/{article.pk}/",
        # The browsable API renders the same data as HTML.
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/articles/{article.pk}/",
    ]


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_every_page(client, staff_user, hostile_claim):
    client.force_login(staff_user)
    shown = 0
    for url in _pages(hostile_claim):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, (url, raw)
        assert "<script>alert('claimer')" not in html, url
        # The page does show the text, escaped (the lists show at least the title).
        if "&lt;script&gt;alert(" in html or "&lt;img src=x onerror" in html:
            shown += 1
    assert shown == len(_pages(hostile_claim))


@pytest.mark.django_db
def test_article_page_escapes_the_title_exactly(client, staff_user, hostile_claim):
    client.force_login(staff_user)
    html = client.get(f"/articles/{hostile_claim.article_id}/").content.decode()
    assert ESCAPED_TITLE in html


@pytest.mark.django_db
def test_api_returns_hostile_text_as_data_not_markup(hostile_claim):
    created = api_token_create(name="reader", scope="read", user=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created.key}")
    response = client.get(f"/api/v1/articles/{hostile_claim.article_id}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["title"] == TITLE


BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "http:/no-host",
    "//evil.example/x",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", BAD_URLS)
def test_reviewer_pages_refuse_non_http_evidence(reviewer_client, url):
    claim = ClaimFactory()
    response = reviewer_client.post(f"/claims/{claim.pk}/evidence/", {"url": url, "title": "x"})
    assert response.status_code == 400
    response = reviewer_client.post(
        f"/claims/{claim.pk}/status/",
        {
            "to_status": "verified",
            "version": claim.version,
            "evidence_url": url,
            "evidence_title": "x",
        },
    )
    assert response.status_code in (400, 409)
    assert Evidence.objects.count() == 0
    claim.refresh_from_db()
    assert claim.status == "proposed"
    assert claim.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", BAD_URLS)
def test_api_refuses_non_http_evidence(url):
    claim = ClaimFactory()
    created = api_token_create(name="desk", scope="review", user=ReviewerFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created.key}")
    response = client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "verified", "version": 1, "note": "", "evidence": [{"url": url}]},
        format="json",
    )
    assert response.status_code == 400
    assert Evidence.objects.count() == 0
    claim.refresh_from_db()
    assert claim.status == "proposed"


@pytest.mark.django_db
def test_http_evidence_is_accepted_and_linked_safely(reviewer_client):
    claim = ClaimFactory()
    response = reviewer_client.post(
        f"/claims/{claim.pk}/evidence/",
        {"url": "https://council.example/budget.pdf?a=1&b=<2>", "title": "<b>Budget</b>"},
    )
    assert response.status_code in (200, 302)
    assert Evidence.objects.get().url == "https://council.example/budget.pdf?a=1&b=<2>"
    html = reviewer_client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'href="https://council.example/budget.pdf?a=1&amp;b=&lt;2&gt;"' in html
    assert "&lt;b&gt;Budget&lt;/b&gt;" in html
