"""The fact-check archive: published fact-checks from other organisations, the imports that
brought them in, the archive hits of each claim and each article's archive-matching state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FactCheckImport(models.Model):
    """One import of an archive file or URL: who, when, from where, what landed, what did not."""

    class Via(models.TextChoices):
        ADMIN = "admin", "Admin"
        CLI = "cli", "Command line"
        API = "api", "API"

    class State(models.TextChoices):
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fact_check_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    # A file name or the URL it was fetched from.
    source = models.CharField(max_length=2000)
    format = models.CharField(max_length=8, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DONE)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # The whole file's error (too big, binary, not the format), when nothing could be read.
    error = models.TextField(blank=True)
    # One {"row": line or item number, "message": ...} per rejected row (the first few hundred).
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["done", "failed"]), name="fact_check_import_state_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged


class FactCheck(models.Model):
    """A published fact-check: the claim it checked, its rating, who published it, when, where.

    Identified by (author, external_id): the same organisation re-publishing a file updates its
    rows. On PostgreSQL the table also has a generated ``search`` tsvector column with a GIN
    index (migration 0001), read by ``factchecks.search``; the model does not declare it so
    SQLite runs without it.
    """

    external_id = models.CharField(max_length=500)
    claim = models.TextField(blank=True)
    title = models.TextField(blank=True)
    rating = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    # As published ("2020-03-14", "March 14, 2020"); ``published_on`` when it parses.
    date_text = models.CharField(max_length=100, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    source_import = models.ForeignKey(
        FactCheckImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "external_id"], name="fact_check_unique_author_id"
            )
        ]
        indexes = [models.Index(fields=["updated_at"], name="fact_check_updated")]

    def __str__(self) -> str:
        return f"{self.author or 'unknown'}: {self.claim[:80]}"


class FactCheckHit(models.Model):
    """A fact-check in the archive that checks (the ranker thinks) the same claim."""

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="fact_check_hits"
    )
    fact_check = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="hits")
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "fact_check"], name="fact_check_hit_unique")
        ]
        indexes = [models.Index(fields=["claim", "-score"], name="fact_check_hit_claim")]

    def __str__(self) -> str:
        return f"claim {self.claim_id} ~ fact-check {self.fact_check_id} ({self.score:.2f})"


class ArchiveMatchingState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ArticleArchiveMatching(models.Model):
    """How the archive lookup went for an article's claims (as matching's ArticleMatching)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="archive_matching"
    )
    state = models.CharField(
        max_length=8, choices=ArchiveMatchingState.choices, default=ArchiveMatchingState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    failed_claims = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ArchiveMatchingState.values),
                name="article_archive_matching_state_valid",
            )
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="archive_matching_state")]

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.state}"
