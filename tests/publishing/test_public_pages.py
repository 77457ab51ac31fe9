"""The public fact-check pages: no login, read-only, cacheable, and nothing internal."""

from __future__ import annotations

import pytest

from claims.services import claim_add_evidence, claim_set_status
from matching.models import ClaimMatch, MatchRelation
from matching.verdicts import claim_apply_inherited_verdict
from publishing.services import publication_publish, publication_withdraw
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_published_fact_check_renders_without_login_with_everything_a_reader_needs(
    client, published_claim, reviewer, settings
):
    settings.PUBLIC_VERDICT_LABELS = {**settings.PUBLIC_VERDICT_LABELS, "verified": "Correct"}
    claim_add_evidence(
        claim_id=published_claim.pk,
        url="https://council.example/budget.pdf",
        title="Budget papers 2025",
        user=reviewer,
    )
    article = published_claim.article

    response = client.get(f"/fact-checks/{published_claim.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert published_claim.text in html
    assert "Dana Whitfield" in html
    assert article.title in html and article.source in html and article.url in html
    assert "4 March 2025" in html
    assert "Our verdict: <strong>Correct</strong>" in html
    assert "The council&#x27;s budget papers list $48 million" in html
    assert 'href="https://council.example/budget.pdf"' in html
    assert "Budget papers 2025" in html
    # No reviewer chrome, no forms, no CSRF token, no session.
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert "Triage queue" not in html and reviewer.username not in html
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_public_pages_are_cacheable_by_anyone(client, published_claim):
    for url in (
        f"/fact-checks/{published_claim.pk}/",
        f"/fact-checks/articles/{published_claim.article_id}/",
        f"/fact-checks/articles/{published_claim.article_id}/embed/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=300"}, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert not response.cookies, url


def test_a_verdict_nobody_published_has_no_public_page(client, verified_claim):
    assert client.get(f"/fact-checks/{verified_claim.pk}/").status_code == 404
    assert client.get(f"/fact-checks/articles/{verified_claim.article_id}/").status_code == 404
    assert (
        client.get(f"/fact-checks/articles/{verified_claim.article_id}/embed/").status_code == 404
    )


def test_the_article_page_lists_only_published_checks(client, published_claim, reviewer):
    article = published_claim.article
    start = article.body.index("The mayor")
    end = article.body.index("2028.") + len("2028.")
    unpublished = ClaimFactory(article=article, start=start, end=end, claimer="Dana Whitfield")
    claim_set_status(claim_id=unpublished.pk, to_status="disputed", user=reviewer, note="x")

    response = client.get(f"/fact-checks/articles/{article.pk}/")

    html = response.content.decode()
    assert published_claim.text in html
    assert unpublished.text not in html
    assert f"https://facts.example.org/fact-checks/{published_claim.pk}/" in html


def test_internal_notes_never_appear_on_public_pages(client, article, reviewer):
    claim = ClaimFactory(article=article)
    claim_set_status(
        claim_id=claim.pk,
        to_status="disputed",
        user=reviewer,
        note="INTERNAL: source is my cousin, double-check with legal",
    )
    publication_publish(
        claim_id=claim.pk, user=reviewer, rationale="The budget papers give $38 million."
    )

    pages = [
        client.get(url).content.decode()
        for url in (
            f"/fact-checks/{claim.pk}/",
            f"/fact-checks/articles/{article.pk}/",
            f"/fact-checks/articles/{article.pk}/embed/",
        )
    ]

    for html in pages:
        assert "INTERNAL" not in html and "cousin" not in html
        assert reviewer.username not in html


def test_an_inherited_verdict_publishes_the_source_note_never_the_provenance_line(
    client, reviewer, other_reviewer
):
    source = ClaimFactory(article=ArticleFactory(title="Source story"))
    claim_set_status(
        claim_id=source.pk,
        to_status="disputed",
        user=other_reviewer,
        note="Budget papers say $38 million.",
    )
    repeat = ClaimFactory(article=ArticleFactory(title="Repeat story"))
    low, high = sorted((source.pk, repeat.pk))
    ClaimMatch.objects.create(
        claim_id=low, other_id=high, similarity=0.95, relation=MatchRelation.SAME
    )
    claim_apply_inherited_verdict(claim_id=repeat.pk, source_claim_id=source.pk, user=reviewer)

    # The default rationale (no text given, as the API allows) comes from the verdict's note.
    publication = publication_publish(claim_id=repeat.pk, user=reviewer)

    assert publication.rationale == "Budget papers say $38 million."
    html = client.get(f"/fact-checks/{repeat.pk}/").content.decode()
    assert "Budget papers say $38 million." in html
    assert "inherited" not in html.lower()
    assert f"#{source.pk}" not in html
    assert other_reviewer.username not in html and reviewer.username not in html


def test_a_withdrawn_fact_check_keeps_its_page_with_a_notice_and_no_claimreview(
    client, published_claim, reviewer
):
    publication = publication_withdraw(claim_id=published_claim.pk, user=reviewer, note="oops")

    response = client.get(f"/fact-checks/{published_claim.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    date = publication.withdrawn_at.strftime("%-d %B %Y")
    assert "This fact-check was withdrawn on" in html and date in html
    assert "application/ld+json" not in html
    assert 'name="robots" content="noindex"' in html
    assert "oops" not in html


HOSTILE = 'Mayor says "<script>alert(1)</script>" & </script><b>bold</b> cost $1.'


def test_hostile_claim_text_is_escaped_in_the_page_and_inside_the_json_ld(client, reviewer):
    article = ArticleFactory(
        title="<img src=x onerror=alert(2)>", body=f"{HOSTILE}\n\nMore text follows here."
    )
    claim = ClaimFactory(article=article, end=len(HOSTILE), claimer="<i>Evil</i>")
    claim_set_status(claim_id=claim.pk, to_status="verified", user=reviewer)
    publication_publish(claim_id=claim.pk, user=reviewer, rationale="<script>x()</script> ok")

    html = client.get(f"/fact-checks/{claim.pk}/").content.decode()

    assert "<script>alert(1)" not in html
    assert "<script>x()" not in html
    assert "<img src=x" not in html and "<i>Evil</i>" not in html
    # The only </script> in the page closes the JSON-LD block.
    assert html.count("</script>") == 1
    assert html.count("<script") == 1
    assert "\\u003c/script\\u003e" in html


def test_unknown_and_huge_ids_are_404(client):
    assert client.get("/fact-checks/999999/").status_code == 404
    assert client.get("/fact-checks/99999999999999999999/").status_code == 404
    assert client.get("/fact-checks/articles/99999999999999999999/embed/").status_code == 404


def test_the_embed_may_be_framed_by_the_configured_sites_and_the_page_not(
    client, published_claim, settings
):
    settings.PUBLIC_EMBED_FRAME_ANCESTORS = ["https://cms.example"]
    embed = client.get(f"/fact-checks/articles/{published_claim.article_id}/embed/")
    page = client.get(f"/fact-checks/{published_claim.pk}/")

    csp = embed.get("Content-Security-Policy") or embed["Content-Security-Policy-Report-Only"]
    assert "frame-ancestors https://cms.example" in csp
    assert "X-Frame-Options" not in embed
    assert page["X-Frame-Options"] == "DENY"
    page_csp = page.get("Content-Security-Policy") or page["Content-Security-Policy-Report-Only"]
    assert "frame-ancestors 'none'" in page_csp
    assert "<form" not in embed.content.decode()
