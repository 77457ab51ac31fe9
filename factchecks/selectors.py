"""Reads of the fact-check archive for the claim page and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from factchecks.models import FactCheckHit, FactCheckImport


def claim_fact_check_hits(*, claim_id: int) -> QuerySet[FactCheckHit]:
    """A claim's archive hits, best first, with their fact-checks (one query)."""
    return (
        FactCheckHit.objects.filter(claim_id=claim_id)
        .select_related("fact_check")
        .order_by("-score", "id")
    )


def fact_check_hit_dict(hit: FactCheckHit) -> dict:
    """One hit in the API shape (``fact_checks`` of the claim detail)."""
    fc = hit.fact_check
    return {
        "id": fc.pk,
        "external_id": fc.external_id,
        "claim": fc.claim or fc.title,
        "title": fc.title,
        "rating": fc.rating,
        "url": fc.url,
        "author": fc.author,
        "date": fc.published_on.isoformat() if fc.published_on else fc.date_text,
        "score": round(hit.score, 4),
    }


def fact_check_import_dict(record: FactCheckImport) -> dict:
    """An import's outcome in the API shape."""
    return {
        "id": record.pk,
        "state": record.state,
        "source": record.source,
        "format": record.format,
        "created": record.created,
        "updated": record.updated,
        "unchanged": record.unchanged,
        "rejected": record.rejected,
        "error": record.error,
        "errors": record.errors,
    }
