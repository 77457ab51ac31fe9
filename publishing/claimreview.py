"""schema.org ClaimReview of a published fact-check: one builder for the public page's
JSON-LD and the API's export, so both say the same thing about the same URL."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from claims.models import ClaimStatus
from publishing.models import Publication
from publishing.selectors import fact_check_url, public_label

# The rating scale: worst 1 (disputed) .. best 3 (verified); alternateName carries the verdict
# in words (PUBLIC_VERDICT_LABELS), which is what fact-check aggregators display.
RATING_VALUES: dict[str, int] = {
    ClaimStatus.DISPUTED: 1,
    ClaimStatus.UNCONFIRMED: 2,
    ClaimStatus.VERIFIED: 3,
}
WORST_RATING, BEST_RATING = 1, 3


def claim_review(*, publication: Publication) -> dict | None:
    """The ClaimReview of a published claim; None when it is withdrawn or has no verdict now."""
    claim = publication.claim
    if not publication.is_published or claim.status not in RATING_VALUES:
        return None
    article = claim.article
    rating = {
        "@type": "Rating",
        "ratingValue": RATING_VALUES[claim.status],
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": public_label(claim.status),
    }
    if publication.rationale:
        rating["ratingExplanation"] = publication.rationale
    appearance: dict = {"@type": "CreativeWork", "headline": article.title}
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
    modified = max(
        [publication.published_at, *(c.created_at for c in publication.claim.corrections.all())]
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": fact_check_url(claim.pk),
        # The claim as stated, whole: never the article's (possibly truncated) title.
        "headline": f"Fact check: {claim.text}",
        "claimReviewed": claim.text,
        "datePublished": publication.first_published_at.date().isoformat(),
        "dateModified": modified.isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL,
        },
        "reviewRating": rating,
        "itemReviewed": item,
    }


def json_ld_script_body(data: dict) -> SafeString:
    """JSON for inside ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped
    as \\u sequences, so a claim quoting ``</script>`` cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
