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
        choices=["same", "conflict", "differs_by_date"],
        help_text=(
            "same: the same fact; conflict: a different figure for the same quantity; "
            "differs_by_date: a running count given on different days that grew."
        ),
    )
    inherited_from = serializers.BooleanField(
        help_text="This claim's verdict was inherited from the matching claim."
    )


class MatchExplanationSerializer(serializers.Serializer):
    """Why the matcher linked two claims, as this claim's side reads it."""

    similarity = serializers.FloatField(help_text="Similarity of the two sentences.")
    context = serializers.FloatField(help_text="Similarity with their figures taken out.")
    names = serializers.ListField(child=serializers.CharField(), help_text="Names both write.")
    figures = serializers.ListField(child=serializers.CharField(), help_text="Figures both give.")
    dates = serializers.ListField(child=serializers.CharField(), help_text="Dates both give.")
    differences = serializers.ListField(
        child=serializers.DictField(),
        help_text='Differing figures: {"mine", "theirs", "kind", "verdict"}.',
    )
    confidence = serializers.FloatField(min_value=0, max_value=1)


class ClaimMatchDetailSerializer(ClaimMatchSerializer):
    """A match with its state and why it was made (GET /claims/{id}/matches/)."""

    id = serializers.IntegerField(help_text="The match's id (for the decision actions).")
    state = serializers.ChoiceField(
        choices=["suggested", "confirmed"],
        help_text=(
            "suggested: below MATCH_CONFIRM_THRESHOLD, passes no verdict on until confirmed; "
            "confirmed: by confidence or by a reviewer. Conflicts are always confirmed flags."
        ),
    )
    confidence = serializers.FloatField(
        allow_null=True, help_text="How sure the matcher is, in [0, 1]; null for old links."
    )
    explanation = MatchExplanationSerializer(help_text="Empty for links made before explanations.")
    summary = serializers.CharField(help_text="The explanation in one line, as the page shows it.")


class MatchDecisionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why (required to reject, unlink or mark not-a-conflict; remembered).",
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
