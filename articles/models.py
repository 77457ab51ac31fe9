from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def content_hash(body: str) -> str:
    """The duplicate key of an article's text: sha256 of its folded NFC form."""
    folded = " ".join(unicodedata.normalize("NFC", body).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class ProposalState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    # The article's language has no claim model: nothing is proposed, never English guesses.
    UNSUPPORTED = "unsupported", "Unsupported language"


class Article(models.Model):
    title = models.CharField(max_length=500)
    # Normalised text; every Claim's offsets point into it, so it is never rewritten in place
    # once claims exist without re-running proposal.
    body = models.TextField()
    source = models.CharField("source / outlet", max_length=200, blank=True, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    language = models.CharField(max_length=16, blank=True)
    content_hash = models.CharField(max_length=64, unique=True, editable=False)

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_articles",
    )
    imported_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    proposal_state = models.CharField(
        max_length=16, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    proposal_error = models.TextField(blank=True)
    proposal_attempts = models.PositiveIntegerField(default=0)
    # Proposal requests so far (claims.proposal): a run that sees the count move while it ran
    # leaves the article pending. A counter, not timestamps: SQLite's clock has millisecond
    # resolution, so a request and a run start can carry the same time.
    proposal_requests = models.PositiveIntegerField(default=0, editable=False)
    proposal_queued_at = models.DateTimeField(null=True, blank=True)
    proposal_started_at = models.DateTimeField(null=True, blank=True)
    proposal_finished_at = models.DateTimeField(null=True, blank=True)
    proposal_scorer = models.CharField(max_length=100, blank=True)
    proposed_claim_count = models.PositiveIntegerField(default=0)
    # Every sentence's [start, end, score], kept for ranking even below the proposal threshold.
    sentence_scores = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            # Several articles may have no URL; a URL, when present, names one article.
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_url_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(proposal_state__in=ProposalState.values),
                name="article_proposal_state_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["proposal_state", "proposal_queued_at"], name="article_state_queued"
            ),
        ]
        permissions = [
            ("import_articles", "Can import articles"),
            ("rerun_proposal", "Can re-run claim proposal"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_article_change", args=[self.pk])

    @property
    def proposal_duration_ms(self) -> int | None:
        if self.proposal_started_at and self.proposal_finished_at:
            delta = self.proposal_finished_at - self.proposal_started_at
            return int(delta.total_seconds() * 1000)
        return None


class ArticleProposalChange(models.Model):
    """One change of an article's proposal state (articles.proposal_state writes it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="proposal_changes")
    from_state = models.CharField(max_length=16, choices=ProposalState.choices)
    to_state = models.CharField(max_length=16, choices=ProposalState.choices)
    # The database's clock, like the article's proposal timestamps.
    at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)
    # The article's proposal_attempts after the change (a run's attempt number).
    attempt = models.PositiveIntegerField(default=0)
    # Who moved it: the worker's hostname, "user <name>", "sweep" or "" when unknown.
    actor = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "at"], name="article_proposal_change_at")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
