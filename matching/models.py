"""Matching's rows: links between claims in different articles, the candidate index, re-review
flags and each article's matching state.

They were created by claims' migrations and keep those tables (``db_table``); ClaimCluster and
the claim's own matching columns (cluster, inherited_from, matched_at) stay in claims.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from claims.models import ClaimStatus


class MatchRelation(models.TextChoices):
    SAME = "same", "Same claim"
    CONFLICT = "conflict", "Conflicting figures"
    # A running tally given for two different days: it grew, as tallies do (issue #18).
    DIFFERS_BY_DATE = "differs_by_date", "Figures differ by date"


# The relations listed in the conflicts section and queue.
FIGURE_RELATIONS = (MatchRelation.CONFLICT, MatchRelation.DIFFERS_BY_DATE)


class MatchState(models.TextChoices):
    """Whether a "same" link passes verdicts on: confirmed (by confidence or a reviewer) or not."""

    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"


class ClaimMatch(models.Model):
    """Two claims in different articles that state the same fact or conflicting figures.

    One row per unordered pair (``claim_id < other_id``). Unlinking is recorded, never deleted,
    so a reviewer's "not the same" survives re-running the matcher.
    """

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="matches_as_first"
    )
    other = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="matches_as_second"
    )
    similarity = models.FloatField()
    relation = models.CharField(max_length=16, choices=MatchRelation.choices)
    # For conflicts, the figures side by side: [[text in claim, text in other, kind], ...].
    details = models.JSONField(default=list, blank=True)
    # Why the matcher linked them (extraction.matching.MatchEvidence.as_dict, in (claim, other)
    # order) and how sure it is, in [0, 1]; null for links made before explanations existed.
    confidence = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    # A "same" link below MATCH_CONFIRM_THRESHOLD is a suggestion until a reviewer confirms it;
    # only confirmed links form clusters and pass verdicts on. Links made before suggestions
    # existed passed verdicts on, so the default keeps them confirmed.
    state = models.CharField(
        max_length=16, choices=MatchState.choices, default=MatchState.CONFIRMED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmed_claim_matches",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unlinked_claim_matches",
    )
    unlinked_at = models.DateTimeField(null=True, blank=True)
    unlink_note = models.TextField(blank=True)

    class Meta:
        # Created by claims' migrations; the rows moved apps, the table kept its name.
        db_table = "claims_claimmatch"
        ordering = ["-similarity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claim_match_unique_pair"),
            models.CheckConstraint(condition=Q(claim__lt=F("other")), name="claim_match_ordered"),
            models.CheckConstraint(
                condition=Q(relation__in=MatchRelation.values), name="claim_match_relation_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["other", "claim"], name="claim_match_other"),
            # The conflicts queue and its navigation badge: open conflicts only, newest first.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(relation="conflict", unlinked_at__isnull=True),
                name="claim_match_open_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.relation} {self.other_id} ({self.similarity:.2f})"

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected suggestion"
    UNLINKED = "unlinked", "Wrong match: unlinked"
    NOT_CONFLICT = "not_conflict", "Not a conflict"


# Decisions that keep a pair from ever being proposed again.
NEGATIVE_DECISIONS = (Decision.REJECTED, Decision.UNLINKED, Decision.NOT_CONFLICT)


class ClaimMatchDecision(models.Model):
    """A reviewer's decision on a pair of claims: the audit row, and the matcher's memory.

    One row per decision (a pair may be confirmed, later unlinked). ``claim_id < other_id`` as
    on ClaimMatch; the matcher's write step never proposes a pair with a negative decision.
    """

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(
        ClaimMatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__lt=F("other")), name="claim_match_decision_ordered"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="claim_match_decision_valid"
            ),
        ]
        indexes = [models.Index(fields=["claim", "other"], name="claim_match_decision_pair")]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.other_id}: {self.decision} by {self.decided_by_id}"


class ClaimMatchKey(models.Model):
    """Inverted index for candidate retrieval: one row per (key, claim), looked up by key."""

    key = models.CharField(max_length=64)
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="match_keys")

    class Meta:
        # Created by claims' migrations; the rows moved apps, the table kept its name.
        db_table = "claims_claimmatchkey"
        constraints = [
            models.UniqueConstraint(fields=["key", "claim"], name="claim_match_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} -> {self.claim_id}"


class ClaimMatchTerm(models.Model):
    """How many claims carry a key (document frequency): rare keys find candidates first."""

    key = models.CharField(max_length=64, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "claims_claimmatchterm"

    def __str__(self) -> str:
        return f"{self.key}: {self.df}"


class RereviewReason(models.TextChoices):
    VERDICT_CHANGED = "verdict_changed", "Source verdict changed"
    UNLINKED = "unlinked", "Match unlinked"


class ClaimRereview(models.Model):
    """A claim whose inherited verdict no longer holds: the "verdict changed" queue.

    Either the source's verdict changed, or a reviewer unlinked the match it came through.
    """

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="rereviews")
    reason = models.CharField(
        max_length=16, choices=RereviewReason.choices, default=RereviewReason.VERDICT_CHANGED
    )
    source = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    source_change = models.ForeignKey(
        "claims.ClaimStatusChange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    flagged_at = models.DateTimeField(auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # Created by claims' migrations; the rows moved apps, the table kept its name.
        db_table = "claims_claimrereview"
        ordering = ["flagged_at", "id"]
        constraints = [
            # At most one open flag per claim: a second change at the source updates it.
            models.UniqueConstraint(
                fields=["claim"], condition=Q(resolved_at__isnull=True), name="rereview_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"re-review {self.claim_id} (source {self.source_id}: {self.to_status})"


class MatchingState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ArticleMatching(models.Model):
    """How claim matching went for one article, shown on its admin, API and page.

    Kept on the matching side (articles knows nothing of claims or matching). ``failed_claims``
    are the ids of claims whose comparison raised in the latest pass; they stay unmatched, so the
    matching sweep retries them (up to CLAIM_MATCH_MAX_ATTEMPTS passes). ``claims_over_cap`` is
    how many proposals PROPOSAL_MAX_CLAIMS_PER_ARTICLE left out of the article (its
    lowest-scoring), as claims announced with ``claims_proposed``.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="claim_matching",
    )
    state = models.CharField(
        max_length=16, choices=MatchingState.choices, default=MatchingState.PENDING
    )
    error = models.TextField(blank=True)
    failed_claims = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claims_over_cap = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Created by claims' migrations; the rows moved apps, the table kept its name.
        db_table = "claims_articlematching"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MatchingState.values), name="article_matching_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="article_matching_state")]

    def __str__(self) -> str:
        return f"article {self.article_id}: matching {self.state}"
