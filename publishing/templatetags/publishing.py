"""The claim page's publishing section, loaded by claims' template: claims never imports
publishing (``{% load publishing %}{% claim_publication claim %}``)."""

from __future__ import annotations

from django import template

from claims.services import VERDICTS
from publishing.models import Publication
from publishing.selectors import fact_check_url, publication_changes
from publishing.services import default_rationale

register = template.Library()


@register.inclusion_tag("publishing/claim_publication.html", takes_context=True)
def claim_publication(context: template.Context, claim) -> dict:
    """Publish / update / withdraw the claim's public fact-check, with its publishing log."""
    publication = Publication.objects.filter(claim_id=claim.pk).first()
    can_publish = claim.status in VERDICTS
    rationale = ""
    if can_publish:
        rationale = publication.rationale if publication else default_rationale(claim=claim)
    return {
        "claim": claim,
        "publication": publication,
        "can_publish": can_publish,
        "rationale": rationale,
        "public_url": fact_check_url(claim.pk) if publication else "",
        "changes": list(publication_changes(claim_id=claim.pk)),
        "can_review": context.get("can_review", False),
        "queue_query": context.get("queue_query", ""),
        "csrf_token": context.get("csrf_token"),
    }
