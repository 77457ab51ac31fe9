"""The claims pages' matching parts, loaded by their templates: claims never imports matching."""

from __future__ import annotations

from django import template

from matching.selectors import claim_match_views
from matching.state import article_matching_status

register = template.Library()


@register.inclusion_tag("matching/claim_matches.html", takes_context=True)
def claim_matches(context: template.Context, claim) -> dict:
    """The claim page's match sections: the same claim elsewhere (confirmed), suggested
    matches (confirm / reject) and conflicting figures ("not a conflict"), each with why."""
    views = claim_match_views(claim=claim)
    return {
        "claim": claim,
        "matches": [v for v in views if v.relation == "same" and not v.is_suggestion],
        "suggestions": [v for v in views if v.is_suggestion],
        "conflicts": [v for v in views if v.is_figures],
        "can_review": context.get("can_review", False),
        "queue_query": context.get("queue_query", ""),
        # The forms post back; the inclusion template gets a fresh context without it.
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def article_matching(article_id: int) -> dict:
    """How matching went for an article (``{% article_matching article.pk as matching %}``)."""
    return article_matching_status(article_id=article_id)
