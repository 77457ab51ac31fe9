"""The claim page's "checked elsewhere" section (``{% load factchecks %}``): claims never
imports factchecks."""

from __future__ import annotations

from django import template

from factchecks.matching import article_archive_status
from factchecks.selectors import claim_fact_check_hits

register = template.Library()


@register.inclusion_tag("factchecks/claim_fact_checks.html")
def claim_fact_checks(claim) -> dict:
    """Fact-checks in the archive that checked this claim, and a failed lookup if it failed."""
    return {
        "hits": list(claim_fact_check_hits(claim_id=claim.pk)),
        "status": article_archive_status(article_id=claim.article_id),
        "claim": claim,
    }
