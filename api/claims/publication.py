"""Publish and withdraw a claim's public fact-check over the API: bodies and representation."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import StrictCharField, iso
from publishing.claimreview import claim_review
from publishing.models import Publication
from publishing.selectors import fact_check_url
from publishing.services import RATIONALE_MAX_CHARS


class PublishRequestSerializer(serializers.Serializer):
    rationale = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=RATIONALE_MAX_CHARS,
        trim_whitespace=False,
        help_text=(
            "What readers see as the reason for the verdict. Omitted: the note of the change "
            "that set the verdict (without an inherited verdict's internal provenance)."
        ),
    )


class WithdrawRequestSerializer(serializers.Serializer):
    note = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=RATIONALE_MAX_CHARS,
        help_text="Internal: why it was withdrawn (kept in the publishing history, not shown).",
    )


class PublicationSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["published", "withdrawn"])
    rationale = serializers.CharField()
    url = serializers.URLField(help_text="The public fact-check page.")
    first_published_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    claimreview = serializers.JSONField(
        allow_null=True, help_text="The page's ClaimReview JSON-LD; null while withdrawn."
    )

    def to_representation(self, publication: Publication) -> dict:
        return {
            "claim": publication.claim_id,
            "state": publication.state,
            "rationale": publication.rationale,
            "url": fact_check_url(publication.claim_id),
            "first_published_at": iso(publication.first_published_at),
            "published_at": iso(publication.published_at),
            "withdrawn_at": iso(publication.withdrawn_at),
            "claimreview": claim_review(publication=publication),
        }
