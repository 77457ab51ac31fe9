"""Matches and clusters as the API shows them (built by matching.selectors' dict builders)."""

from __future__ import annotations

from rest_framework import serializers

from claims.models import ClaimStatus


class ClaimMatchSerializer(serializers.Serializer):
    """Another claim found to state the same fact, or to give a conflicting figure."""

    claim = serializers.IntegerField(help_text="The matching claim's id.")
    article = serializers.IntegerField(help_text="The matching claim's article id.")
    similarity = serializers.FloatField(min_value=0, max_value=1)
    relation = serializers.ChoiceField(
        choices=["same", "conflict"],
        help_text="same: the same fact; conflict: a different figure for the same quantity.",
    )
    inherited_from = serializers.BooleanField(
        help_text="This claim's verdict was inherited from the matching claim."
    )


class ClusterClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    article_title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    inherited_from = serializers.IntegerField(
        allow_null=True, help_text="The claim whose verdict this one inherited, if any."
    )


class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    claims = ClusterClaimSerializer(many=True)
