"""schema.org ClaimReview JSON-LD for a claim with a verdict."""

from __future__ import annotations

from django.conf import settings
from rest_framework.renderers import JSONRenderer

from claims.models import Claim, ClaimStatus

# The rating scale: worst 1 (disputed) .. best 3 (verified). alternateName carries the verdict
# in words, which is what fact-check aggregators display.
RATINGS: dict[str, tuple[int, str]] = {
    ClaimStatus.DISPUTED: (1, "Disputed"),
    ClaimStatus.UNCONFIRMED: (2, "Unconfirmed"),
    ClaimStatus.VERIFIED: (3, "Verified"),
}
WORST_RATING, BEST_RATING = 1, 3


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def claim_review(*, claim: Claim, url: str, explanation: str = "") -> dict:
    """The ClaimReview of a claim; the caller checks it has a verdict (status in RATINGS)."""
    value, verdict = RATINGS[claim.status]
    article = claim.article
    rating = {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": verdict,
    }
    if explanation:
        rating["ratingExplanation"] = explanation
    appearance = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if article.published_at:
        appearance["datePublished"] = article.published_at.isoformat()
    if article.source:
        appearance["publisher"] = {"@type": "Organization", "name": article.source}
    item: dict = {"@type": "Claim", "appearance": appearance}
    if claim.claimer:
        # A claimer named like the outlet is the outlet; anyone else is taken to be a person.
        kind = "Organization" if claim.claimer == article.source else "Person"
        item["author"] = {"@type": kind, "name": claim.claimer}
    if article.published_at:
        item["datePublished"] = article.published_at.date().isoformat()
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "datePublished": (claim.reviewed_at or claim.updated_at).date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORGANIZATION_NAME,
            "url": settings.FACTCHECK_ORGANIZATION_URL,
        },
        "reviewRating": rating,
        "itemReviewed": item,
    }
