from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class ClaimStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    DISMISSED = "dismissed", "Dismissed (not a claim)"


class ClaimType(models.TextChoices):
    QUANTITY = "quantity", "Quantity"
    EVENT = "event", "Event"
    QUOTE = "quote", "Quote / attribution"
    CAUSAL = "causal", "Causal"
    PREDICTION = "prediction", "Prediction"
    OTHER = "other", "Other"


# A claim's own content columns, in one order: proposal's bulk upsert writes them (with the two
# timestamps) and the API's rows read them (with the id); one list, so neither drifts.
CLAIM_CONTENT_COLUMNS = (
    "article_id",
    "text",
    "start",
    "end",
    "score",
    "claim_type",
    "claimer",
    "status",
    "version",
)


class Claim(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField(help_text="Check-worthiness in [0, 1].")
    claim_type = models.CharField(max_length=16, choices=ClaimType.choices, default=ClaimType.OTHER)
    claimer = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PROPOSED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every reviewer action (status, assignment): a claim with version > 1 has been
    # touched by a person, and re-running proposal must keep it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # --- Matching across articles (the matching app writes these) ---
    # Connected component of "same" links; null while the claim matches nothing.
    cluster = models.ForeignKey(
        "ClaimCluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    # A verdict applied from a matching claim: never silent, always with who and when.
    inherited_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="inheritors"
    )
    inherited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inherited_claim_verdicts",
    )
    inherited_at = models.DateTimeField(null=True, blank=True)
    # When the claim's match keys were written; null means "not matched yet".
    matched_at = models.DateTimeField(null=True, blank=True)
    # Desk deadlines: when a proposed claim should have a verdict (from its priority), and when
    # a verdict is due for re-verification. Null: no deadline / never expires.
    due_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When the desk's editors were told the claim is overdue, and when its verdict's expiry was
    # announced (signal, webhook, feed): each happens once (claims.deadlines).
    escalated_at = models.DateTimeField(null=True, blank=True)
    expiry_announced_at = models.DateTimeField(null=True, blank=True)
    # Set by a reviewer's correction (claims.corrections, one ClaimEdit row each): proposal
    # re-runs keep the reviewer's claimer / type. db_default: proposal inserts in raw SQL.
    claimer_locked = models.BooleanField(default=False, db_default=False)
    type_locked = models.BooleanField(default=False, db_default=False)
    # Which model version proposed (or last re-proposed) the claim (claims.desk_model).
    model_version = models.ForeignKey(
        "ClaimModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )

    class Meta:
        ordering = ["article_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_unique_span"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(score__gte=0.0) & Q(score__lte=1.0), name="claim_score_in_unit_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(claim_type__in=ClaimType.values), name="claim_type_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]
        indexes = [
            # The triage queue: claims to review, best score first, then oldest.
            models.Index(fields=["status", "-score", "created_at"], name="claim_queue"),
            # The queue sorted and filtered by due time; the overdue queue.
            models.Index(fields=["status", "due_at"], name="claim_due"),
            # The "due for re-check" queue: verdicts by re-verification date.
            models.Index(
                fields=["expires_at"], condition=Q(expires_at__isnull=False), name="claim_expiry"
            ),
            # The sweeps of claims.deadlines: overdue claims not escalated yet, verdicts whose
            # expiry was not announced yet (both stay small: a row leaves once handled).
            models.Index(
                fields=["due_at"],
                condition=Q(status="proposed", escalated_at__isnull=True, due_at__isnull=False),
                name="claim_escalation_pending",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(expires_at__isnull=False, expiry_announced_at__isnull=True),
                name="claim_expiry_unannounced",
            ),
            # The changes feed: cursor over (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="claim_changes_feed"),
            # The queue's "unassigned" filter, in queue order.
            models.Index(
                fields=["status", "-score", "created_at"],
                condition=Q(assignee__isnull=True),
                name="claim_queue_unassigned",
            ),
            # The matching sweep: claims proposed but not yet compared with other articles.
            models.Index(
                fields=["article"], condition=Q(matched_at__isnull=True), name="claim_unmatched"
            ),
        ]
        permissions = [("review_claim", "Can review claims (status, notes, evidence, assignment)")]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.article_id and self.article.body[self.start : self.end] != self.text:
            raise ValidationError(
                {"text": "The claim text must equal article.body[start:end] exactly."}
            )

    @property
    def is_touched(self) -> bool:
        return self.version > 1

    @property
    def tier(self) -> str:
        """ "high", "medium" or "low" (claims.tiers: thresholds from settings)."""
        from claims.tiers import tier_for_score

        return tier_for_score(self.score)


class ClaimStatusChange(models.Model):
    """One row per status change: the audit log and the source of the history timeline."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claim_status_changes",
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)
    # The claim's version after this change.
    version = models.PositiveIntegerField()
    # Verdict policy: who submitted a verdict a second reviewer approved (changed_by approved
    # it), and the change an undo reverses (one undo per change: the column is unique).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_status_changes",
    )
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "version"], name="status_change_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status} → {self.to_status}"


class Evidence(models.Model):
    """A link a reviewer cites for a verdict."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    status_change = models.ForeignKey(
        ClaimStatusChange,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Copied with an inherited verdict (matching.verdicts): the source claim's evidence row.
    inherited_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title or self.url


# --- Claim matching across articles (the matching app links claims into clusters) -----------


class ClaimCluster(models.Model):
    """Claims linked by "same" matches (a connected component), kept up to date incrementally."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"cluster {self.pk}"


# --- The desk's rules and saved views (claims.deadlines, claims.saved_views) -----------------

# A year in hours / ten years in days: a bound that still catches a typo (hours vs days).
MAX_DEADLINE_HOURS = 24 * 365
MAX_EXPIRY_DAYS = 3650


class DeadlineRule(models.Model):
    """An editor's rule: claims from a source, or on a topic, are due within ``hours``.

    A claim's due time is the most urgent of its score tier's hours and every active rule that
    matches it (claims.deadlines).
    """

    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The article's source (outlet), compared without case. Blank: any source.",
    )
    keyword = models.CharField(
        max_length=100,
        blank=True,
        help_text="A word or phrase in the claim or its article (whole words, any case). "
        "Blank: any topic.",
    )
    hours = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEADLINE_HOURS)],
        help_text="Claims this rule matches are due this many hours after they were proposed.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hours", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1) & Q(hours__lte=MAX_DEADLINE_HOURS),
                name="deadline_rule_hours_range",
            ),
            models.CheckConstraint(
                condition=~Q(source="") | ~Q(keyword=""), name="deadline_rule_matches_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hours} h)"

    def clean(self) -> None:
        self.source = self.source.strip()
        self.keyword = self.keyword.strip()
        if not self.source and not self.keyword:
            raise ValidationError("Give a source, a keyword or both: a rule must match something.")


class ExpiryRule(models.Model):
    """An editor's rule: verdicts on claims of a type, or from a source, expire after ``days``."""

    name = models.CharField(max_length=200)
    claim_type = models.CharField(
        max_length=16,
        blank=True,
        choices=ClaimType.choices,
        help_text="Blank: any claim type.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The article's source (outlet), compared without case. Blank: any source.",
    )
    days = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXPIRY_DAYS)],
        help_text="A verdict on a matching claim is due for re-check this many days after it "
        "was set.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["days", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=MAX_EXPIRY_DAYS),
                name="expiry_rule_days_range",
            ),
            models.CheckConstraint(
                condition=~Q(source="") | ~Q(claim_type=""), name="expiry_rule_matches_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.days} days)"

    def clean(self) -> None:
        self.source = self.source.strip()
        if not self.source and not self.claim_type:
            raise ValidationError(
                "Give a claim type, a source or both: a rule must match something."
            )


class SavedView(models.Model):
    """A reviewer's named queue filter (the queue's query string), maybe shared with the desk."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=60)
    # The queue's filter parameters, validated (claims.saved_views.clean_query) and normalised.
    query = models.CharField(max_length=1000, blank=True)
    shared = models.BooleanField(default=False, help_text="Shown to every reviewer of the desk.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name"),
        ]
        indexes = [
            models.Index(fields=["shared"], condition=Q(shared=True), name="saved_view_shared"),
        ]

    def __str__(self) -> str:
        return self.name


class ClaimEdit(models.Model):
    """A reviewer's correction of a claim's claimer or type: the claim's edit history."""

    class Field(models.TextChoices):
        CLAIMER = "claimer", "Claimer"
        CLAIM_TYPE = "claim_type", "Type"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="edits")
    field = models.CharField(max_length=16, choices=Field.choices)
    old_value = models.CharField(max_length=300, blank=True)
    new_value = models.CharField(max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claim_edits",
    )
    edited_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The claim's version after this edit.
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["edited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "version", "field"], name="claim_edit_unique_version_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.field} {self.old_value!r} → {self.new_value!r}"


class ClaimModelVersion(models.Model):
    """A claim scorer version: the shipped model, or a desk layer fitted on reviewer decisions.

    Exactly one is active (the partial unique constraint allows at most one; claims.desk_model
    creates the shipped row, active, when there is none). Proposal scores with the active one.
    """

    class Kind(models.TextChoices):
        SHIPPED = "shipped", "Shipped model"
        DESK = "desk", "Desk layer"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # The desk layer's weights (extraction.desk.DeskLayer); empty for the shipped model.
    parameters = models.JSONField(default=dict, blank=True)
    # Cross-validated and held-back figures, before (shipped alone) and after.
    figures = models.JSONField(default=dict, blank=True)
    trained_on = models.PositiveIntegerField(default=0, help_text="Reviewer decisions used.")
    active = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="Why it was or was not activated.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_model_version"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["shipped", "desk"]), name="model_version_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}{' (active)' if self.active else ''}"


# --- Verdict policy: rationale, evidence and a second reviewer (claims.review) ------------------


class VerdictPolicy(models.Model):
    """The desk's verdict policy: one row (pk 1), edited by staff in the admin."""

    SINGLETON_PK = 1

    verified_needs_approval = models.BooleanField("Verified needs a second reviewer", default=False)
    disputed_needs_approval = models.BooleanField("Disputed needs a second reviewer", default=True)
    unconfirmed_needs_approval = models.BooleanField(
        "Unconfirmed needs a second reviewer", default=False
    )
    verified_needs_rationale = models.BooleanField("Verified needs a rationale", default=True)
    disputed_needs_rationale = models.BooleanField("Disputed needs a rationale", default=True)
    unconfirmed_needs_rationale = models.BooleanField(
        "Unconfirmed needs a rationale", default=False
    )
    verified_needs_evidence = models.BooleanField("Verified needs evidence", default=True)
    disputed_needs_evidence = models.BooleanField("Disputed needs evidence", default=True)
    unconfirmed_needs_evidence = models.BooleanField("Unconfirmed needs evidence", default=False)
    rationale_min_chars = models.PositiveSmallIntegerField(
        "Shortest rationale (characters)",
        default=40,
        help_text="A rationale (the verdict's note) must have at least this many characters.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "verdict policy"
        verbose_name_plural = "verdict policy"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="verdict_policy_singleton"),
            models.CheckConstraint(
                condition=Q(rationale_min_chars__lte=5000), name="verdict_policy_rationale_max"
            ),
        ]

    def __str__(self) -> str:
        return "Verdict policy"

    @classmethod
    def current(cls) -> VerdictPolicy:
        """The policy row, created with the defaults if a fresh database has none."""
        policy, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return policy

    def _rule(self, status: str, rule: str) -> bool:
        # Dismissed and reopening (proposed) never need anything.
        return bool(getattr(self, f"{status}_needs_{rule}", False))

    def needs_approval(self, status: str) -> bool:
        return self._rule(status, "approval")

    def needs_rationale(self, status: str) -> bool:
        return self._rule(status, "rationale")

    def needs_evidence(self, status: str) -> bool:
        return self._rule(status, "evidence")


class ApprovalState(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back"


class VerdictApproval(models.Model):
    """A verdict waiting for a second reviewer, and what became of it (claims.review)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="approvals")
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    # The claim's status when the verdict was submitted: approval is refused if it moved.
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    note = models.TextField(blank=True)
    # [{"url": ..., "title": ...}], checked on submission; written as Evidence on approval.
    evidence = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="submitted_verdicts",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_verdicts",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    status_change = models.OneToOneField(
        ClaimStatusChange,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approval",
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            # One verdict awaits approval per claim at a time.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state="pending"),
                name="verdict_approval_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ApprovalState.values), name="verdict_approval_state_valid"
            ),
        ]
        indexes = [
            # The "Awaiting approval" page and badge: pending verdicts, oldest first.
            models.Index(
                fields=["submitted_at"],
                condition=Q(state="pending"),
                name="verdict_approval_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.to_status} ({self.state})"
