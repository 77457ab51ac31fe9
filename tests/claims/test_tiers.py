"""Score tiers: cut-offs from settings; the queue and the article page show them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.tiers import tier_for_score, tier_q
from tests.factories import ArticleFactory, ClaimFactory


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.CLAIM_TIER_HIGH = 0.43
    settings.CLAIM_TIER_MEDIUM = 0.132


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        (1.0, "high"),
        (0.43, "high"),
        (0.4299, "medium"),
        (0.132, "medium"),
        (0.13, "low"),
        (0, "low"),
    ],
)
def test_tier_cuts_at_the_settings_thresholds(score, tier):
    assert tier_for_score(score) == tier


def test_tiers_follow_changed_settings(settings):
    settings.CLAIM_TIER_HIGH = 0.95
    assert tier_for_score(0.9) == "medium"


def test_an_unknown_tier_is_refused():
    with pytest.raises(ValueError, match="unknown tier 'urgent'"):
        tier_q("urgent")


def _three_tiers():
    article = ArticleFactory()
    body = article.body
    spans = []
    for sentence in ("Harbour City", "The mayor", "Residents"):
        start = body.index(sentence)
        spans.append((start, body.index(".", start) + 1))
    high = ClaimFactory(article=article, start=spans[0][0], end=spans[0][1], score=0.2)
    # Scores set after creation so the text-order and score order differ.
    medium = ClaimFactory(article=article, start=spans[1][0], end=spans[1][1], score=0.3)
    low = ClaimFactory(article=article, start=spans[2][0], end=spans[2][1], score=0.05)
    Claim.objects.filter(pk=high.pk).update(score=0.97)
    return article, high, medium, low


@pytest.mark.django_db
def test_queue_shows_a_tier_badge_and_filters_by_tier(reviewer_client):
    _article, high, medium, low = _three_tiers()

    page = reviewer_client.get(reverse("claims:queue")).content.decode()
    assert page.count('<span class="tier tier-high" title="Score tier">High</span>') == 1
    assert page.count('<span class="tier tier-medium" title="Score tier">Medium</span>') == 1
    assert page.count('<span class="tier tier-low" title="Score tier">Low</span>') == 1
    # Ranked by score: the high one first.
    assert page.index(high.text) < page.index(medium.text) < page.index(low.text)

    only_medium = reviewer_client.get(reverse("claims:queue") + "?tier=medium").content.decode()
    assert medium.text in only_medium
    assert high.text not in only_medium and low.text not in only_medium


@pytest.mark.django_db
def test_queue_ignores_an_unknown_tier_and_says_so(reviewer_client):
    _three_tiers()
    page = reviewer_client.get(reverse("claims:queue") + "?tier=<script>").content.decode()
    assert "tier: Select a valid choice." in page
    assert page.count('title="Score tier"') == 3


@pytest.mark.django_db
def test_article_page_styles_highlights_by_tier_and_lists_high_first(reviewer_client):
    article, high, medium, low = _three_tiers()
    page = reviewer_client.get(reverse("claims:article", args=[article.pk])).content.decode()

    assert f'tier-high" href="{reverse("claims:claim", args=[high.pk])}"' in page
    assert 'data-tier="low"' in page
    assert "High</span> 1 · " in page
    side = page.split('aria-label="Claims, high tier first"', 1)[1]
    # The side list is by tier, not text order: medium comes before low, high first.
    assert side.index(high.text[:40]) < side.index(medium.text[:40]) < side.index(low.text[:40])
