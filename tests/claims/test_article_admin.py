"""claims.article_admin: the article admin pages show the article's claims and history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from articles.proposal_state import article_claim_run
from claims.article_admin import ArticleWithClaimsAdmin
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_claims_registers_the_article_admin_with_claims():
    assert isinstance(admin.site._registry[Article], ArticleWithClaimsAdmin)


def test_changelist_shows_the_claim_count_after_the_proposal_state(client, staff_user):
    article = ArticleFactory(title="Rainfall record", proposal_state="done")
    ClaimFactory(article=article, start=0, end=5)
    ClaimFactory(article=article, start=6, end=12)
    client.force_login(staff_user)

    response = client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 200
    columns = list(response.context["cl"].list_display)
    assert columns[columns.index("proposal_state") + 1] == "claim_count"
    assert response.context["cl"].result_list.get(pk=article.pk)._claim_count == 2


def test_change_page_shows_the_claims_and_the_proposal_history(client, staff_user):
    article = ArticleFactory(proposal_state="pending")
    claim = ClaimFactory(article=article)
    article_claim_run(article_id=article.pk, actor="celery@w1")
    client.force_login(staff_user)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert claim.text in page
    assert "proposal state changes" in page.lower()
    assert "celery@w1" in page
