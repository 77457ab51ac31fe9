"""Publishing's rows: what the public sees of a verdict, its history, corrections, and the
"corrections to make" queue of the articles that repeat a corrected claim.

A verdict is public only through a ``Publication`` a reviewer created (publishing.services);
its public text (the rationale, a correction's note) is written for readers, never copied
from the reviewers' internal notes without a person choosing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models import ClaimStatus


class PublicationState(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Publication(models.Model):
    """A claim's public fact-check page: published, or withdrawn (the page stays, with a notice)."""

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="publication"
    )
    state = models.CharField(
        max_length=16, choices=PublicationState.choices, default=PublicationState.PUBLISHED
    )
    # Written for readers: the verdict's note as the reviewer chose it at publish time.
    rationale = models.TextField()
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PublicationState.values), name="publication_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_at"], name="publication_state")]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.state}"

    @property
    def is_published(self) -> bool:
        return self.state == PublicationState.PUBLISHED


class PublicationAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Rationale updated"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CORRECTED = "corrected", "Corrected"


class PublicationChange(models.Model):
    """One row per publish, update, withdrawal or correction: the claim page's publishing log."""

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="publication_changes"
    )
    action = models.CharField(max_length=16, choices=PublicationAction.choices)
    # The claim's status when it happened (for a correction: the new one).
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=PublicationAction.values),
                name="publication_change_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.action}"


class Correction(models.Model):
    """A published verdict that changed: shown in the public page's corrections log."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="corrections")
    # The status change that corrected it: one correction per change, however often the
    # receiver runs.
    status_change = models.OneToOneField(
        "claims.ClaimStatusChange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction",
    )
    old_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    new_status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    public_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"claim {self.claim_id}: {self.old_status} → {self.new_status}"


class CorrectionTaskState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class CorrectionTask(models.Model):
    """A correction an article's editor has to make: one per (correction, article), closed by
    a person on the "corrections to make" page."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="tasks")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="correction_tasks"
    )
    # The claim in this article that repeats the corrected one (the corrected claim itself in
    # its own article).
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=8, choices=CorrectionTaskState.choices, default=CorrectionTaskState.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The editors' email (publishing.tasks): sent at most once per task.
    emailed_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "article"], name="correction_task_once_per_article"
            ),
            models.CheckConstraint(
                condition=Q(state__in=CorrectionTaskState.values),
                name="correction_task_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="correction_task_queue")]

    def __str__(self) -> str:
        return f"correction {self.correction_id} in article {self.article_id}: {self.state}"
