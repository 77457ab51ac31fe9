"""Claim representations of the API, and the bodies of review and assign requests.

Serializers build their dicts by hand in ``to_representation`` (claims through
``api.claims.rows.claim_row``, as the list pages do); the declared fields describe the schema.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rest_framework import serializers

from api.claims.rows import MATCHES_IN_ROW, ROW_FIELDS, claim_row, claim_values, link_bases
from api.fields import StrictCharField, iso, username
from api.filters import serializer_choice_errors
from api.matches.serializers import ClaimMatchSerializer
from claims.models import (
    ApprovalState,
    Claim,
    ClaimStatus,
    ClaimStatusChange,
    ClaimType,
    Evidence,
    VerdictApproval,
)
from claims.tiers import TIER_CHOICES
from factchecks.selectors import claim_fact_check_hits, fact_check_hit_dict
from matching.selectors import top_matches_by_claim


class ClaimLinksSerializer(serializers.Serializer):
    self = serializers.URLField(help_text="This claim in the API.")
    history = serializers.URLField()
    matches = serializers.URLField(help_text="All of the claim's active matches, paginated.")
    claimreview = serializers.URLField(
        allow_null=True,
        help_text=(
            "The ClaimReview JSON-LD; null until the claim has a verdict, 404 until the "
            "verdict is published."
        ),
    )
    article = serializers.URLField()


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as listed: everything but its evidence."""

    article = serializers.IntegerField(source="article_id", help_text="The article's id.")
    article_title = serializers.CharField(source="article.title")
    article_url = serializers.CharField(source="article.url", help_text="May be empty.")
    source = serializers.CharField(source="article.source")
    tier = serializers.ChoiceField(
        choices=TIER_CHOICES,
        help_text="Score tier (CLAIM_TIER_HIGH / CLAIM_TIER_MEDIUM settings): what to check first.",
    )
    assignee = serializers.CharField(allow_null=True, help_text="Username, or null.")
    reviewed_by = serializers.CharField(
        allow_null=True, help_text="Username of who set the current status, or null."
    )
    links = ClaimLinksSerializer()
    cluster_id = serializers.IntegerField(
        allow_null=True, help_text="The cluster of claims stating the same fact; null when alone."
    )
    matches = ClaimMatchSerializer(
        many=True,
        help_text="The best 10 active matches, best first; all of them: links.matches.",
    )
    match_count = serializers.IntegerField(help_text="How many active matches the claim has.")
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="When a claim to review should have a verdict (desk deadline)."
    )
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When the verdict is due for re-check; null: it does not expire."
    )
    expired = serializers.BooleanField(help_text="Whether expires_at has passed.")

    class Meta:
        model = Claim
        fields = list(ROW_FIELDS)
        read_only_fields = fields

    def to_representation(self, claim: Claim) -> dict:
        # Resolved once per serializer (a list shares one child), not per row.
        bases = self.__dict__.get("_bases")
        if bases is None:
            bases = self._bases = link_bases(self.context.get("request"))
        loaded = claim.__dict__
        if "matches" in loaded:  # claims_attach_matches
            matches, count = loaded["matches"][:MATCHES_IN_ROW], len(loaded["matches"])
        else:
            matches, count = top_matches_by_claim(
                {claim.pk: claim.inherited_from_id}, limit=MATCHES_IN_ROW
            )[claim.pk]
        return claim_row(claim_values(claim), matches=matches, match_count=count, bases=bases)


class EvidenceSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(allow_null=True, help_text="Username, or null.")

    class Meta:
        model = Evidence
        fields = ["url", "title", "added_by", "added_at"]
        read_only_fields = fields

    def to_representation(self, evidence: Evidence) -> dict:
        return {
            "url": evidence.url,
            "title": evidence.title,
            "added_by": username(evidence.added_by),
            "added_at": iso(evidence.added_at),
        }


class AwaitingApprovalSerializer(serializers.Serializer):
    """A verdict the desk's policy holds for a second reviewer (the claim's status is unchanged)."""

    id = serializers.IntegerField(help_text="The approval's id (send it to approve/send-back).")
    status = serializers.CharField(help_text="The verdict awaiting approval.")
    submitted_by = serializers.CharField(allow_null=True, help_text="Username, or null.")
    submitted_at = serializers.DateTimeField()
    note = serializers.CharField()
    evidence = serializers.ListField(child=serializers.DictField(), help_text="{url, title}")

    def to_representation(self, approval: VerdictApproval) -> dict:
        return {
            "id": approval.pk,
            "status": approval.to_status,
            "submitted_by": username(approval.submitted_by),
            "submitted_at": iso(approval.submitted_at),
            "note": approval.note,
            "evidence": [{"url": e["url"], "title": e.get("title", "")} for e in approval.evidence],
        }


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with its evidence; the response's ETag is its version."""

    evidence = EvidenceSerializer(many=True)
    awaiting_approval = AwaitingApprovalSerializer(
        allow_null=True,
        help_text="A verdict waiting for a second reviewer's approval, or null.",
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "evidence", "awaiting_approval"]
        read_only_fields = fields

    def to_representation(self, claim: Claim) -> dict:
        data = super().to_representation(claim)
        data["evidence"] = [EvidenceSerializer().to_representation(e) for e in claim.evidence.all()]
        # Published fact-checks in the archive that checked this claim, best first.
        hits = claim_fact_check_hits(claim_id=claim.pk)
        data["fact_checks"] = [fact_check_hit_dict(hit) for hit in hits]
        pending = claim.__dict__.get("pending_approvals")
        if pending is None:
            pending = list(
                claim.approvals.filter(state=ApprovalState.PENDING).select_related("submitted_by")
            )
        data["awaiting_approval"] = (
            AwaitingApprovalSerializer().to_representation(pending[0]) if pending else None
        )
        return data


class ChangeEvidenceSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField(allow_blank=True)


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(
        allow_null=True, help_text="Username of who made the change (the approver), or null."
    )
    submitted_by = serializers.CharField(
        allow_null=True,
        help_text="When a second reviewer approved the verdict: who submitted it; else null.",
    )
    undoes = serializers.IntegerField(
        allow_null=True, help_text="When this change is an undo: the version it undid; else null."
    )
    evidence = ChangeEvidenceSerializer(many=True, help_text="Links cited with this change.")

    class Meta:
        model = ClaimStatusChange
        fields = [
            "version",
            "from_status",
            "to_status",
            "changed_by",
            "submitted_by",
            "changed_at",
            "note",
            "evidence",
            "undoes",
        ]
        read_only_fields = fields

    def to_representation(self, change: ClaimStatusChange) -> dict:
        return {
            "version": change.version,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "changed_by": username(change.changed_by),
            "submitted_by": username(change.submitted_by),
            "changed_at": iso(change.changed_at),
            "note": change.note,
            "evidence": [{"url": e.url, "title": e.title} for e in change.evidence.all()],
            "undoes": change.undoes.version if change.undoes_id else None,
        }


class EvidenceInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text="An http(s) URL.")
    title = StrictCharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_url(self, value: str) -> str:
        # claim_set_status refuses it too; checked here so it is reported with the other errors.
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise serializers.ValidationError(
                f"Evidence URL must be an http(s) URL, got {value!r}."
            )
        return value


class ReviewRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ClaimStatus.choices, error_messages=serializer_choice_errors(ClaimStatus.choices)
    )
    note = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=10000,
        help_text="Required for disputed and unconfirmed.",
    )
    evidence = EvidenceInputSerializer(many=True, required=False, default=list, max_length=50)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text='The version you reviewed; or send it as `If-Match: "<version>"`.',
    )


class DecisionRequestSerializer(serializers.Serializer):
    """The body of approve and send-back."""

    approval = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The id of the verdict you decide (awaiting_approval.id): refused with 409 if "
        "another verdict is pending by then. Optional: the claim's pending verdict.",
    )
    note = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required to send back: what is missing. Optional when approving.",
    )


class UndoRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version the change to undo made (its `version` in the history); it "
        "must still be the claim's version.",
    )


class AssignRequestSerializer(serializers.Serializer):
    assignee = StrictCharField(
        allow_null=True, max_length=150, help_text="Username of a reviewer; null to unassign."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text='The version you saw; or send it as `If-Match: "<version>"`.',
    )


class AttributionRequestSerializer(serializers.Serializer):
    claimer = StrictCharField(
        required=False,
        max_length=300,
        help_text="Who makes the claim; omit to keep it. Kept when proposal re-runs.",
    )
    claim_type = serializers.ChoiceField(
        required=False,
        choices=ClaimType.choices,
        error_messages=serializer_choice_errors(ClaimType.choices),
        help_text="The claim's type; omit to keep it. Kept when proposal re-runs.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text='The version you saw; or send it as `If-Match: "<version>"`.',
    )

    def validate(self, attrs):
        if "claimer" not in attrs and "claim_type" not in attrs:
            raise serializers.ValidationError("Give a claimer, a claim type or both.")
        return attrs


class ClaimConflictSerializer(serializers.Serializer):
    """The error body of 409 and 412 answers: the error plus the claim as it is now."""

    status = serializers.IntegerField()
    code = serializers.CharField(
        help_text="stale_version, illegal_transition, approval_pending, approval_decided, "
        "approval_outdated or no_pending_approval."
    )
    message = serializers.CharField()
    from_status = serializers.CharField(required=False)
    to_status = serializers.CharField(required=False)
    allowed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="On illegal_transition: the statuses this claim may move to.",
    )
    current = ClaimDetailSerializer(help_text="The claim as stored now.")


class ChangesPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text="The next page while has_more; null when caught up."
    )
    cursor = serializers.CharField(
        allow_null=True,
        help_text="Where this page ends: store it and poll with ?cursor=... to get later changes.",
    )
    has_more = serializers.BooleanField()
    results = ClaimSerializer(many=True)
