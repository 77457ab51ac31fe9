"""Article representations of the API and the documented shape of import requests."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import StrictCharField, iso, list_url, username
from articles.models import Article
from claims.models import ClaimStatus
from factchecks.matching import article_archive_status


class ArticleLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    claims = serializers.URLField(help_text="The claims list filtered to this article.")
    propose = serializers.URLField(help_text="POST here to re-run claim proposal.")


class ArticleSerializer(serializers.ModelSerializer):
    """An article as listed: no body."""

    imported_by = serializers.CharField(allow_null=True, help_text="Username, or null.")
    links = ArticleLinksSerializer()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "source",
            "url",
            "author",
            "published_at",
            "language",
            "imported_by",
            "imported_at",
            "updated_at",
            "proposal_state",
            "proposal_error",
            "proposed_claim_count",
            "links",
        ]
        read_only_fields = fields

    def to_representation(self, article: Article) -> dict:
        request = self.context.get("request")
        base = list_url(request, "api:article-list")
        claims = list_url(request, "api:claim-list")
        own = f"{base}{article.pk}/"
        return {
            "id": article.pk,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "author": article.author,
            "published_at": iso(article.published_at),
            "language": article.language,
            "imported_by": username(article.imported_by),
            "imported_at": iso(article.imported_at),
            "updated_at": iso(article.updated_at),
            "proposal_state": article.proposal_state,
            "proposal_error": article.proposal_error,
            "proposed_claim_count": article.proposed_claim_count,
            "links": {
                "self": own,
                "claims": f"{claims}?article={article.pk}",
                "propose": f"{own}propose/",
            },
        }


class ClaimsSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    proposed = serializers.IntegerField()
    verified = serializers.IntegerField()
    disputed = serializers.IntegerField()
    unconfirmed = serializers.IntegerField()
    dismissed = serializers.IntegerField()


class MatchingStatusSerializer(serializers.Serializer):
    """How matching its claims against the archive went (matching.state)."""

    state = serializers.ChoiceField(choices=["pending", "running", "done", "failed"])
    error = serializers.CharField(help_text="Why matching failed, with the failing claims' ids.")
    failed_claims = serializers.ListField(child=serializers.IntegerField())
    attempts = serializers.IntegerField()
    finished_at = serializers.DateTimeField(allow_null=True)
    claims_over_cap = serializers.IntegerField(
        help_text="Proposals left out by PROPOSAL_MAX_CLAIMS_PER_ARTICLE (lowest-scoring)."
    )
    note = serializers.CharField(help_text="Says so in words when the claim cap was hit.")


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its text, how many of its claims are in each status, and its matching."""

    claims_summary = ClaimsSummarySerializer()
    matching = MatchingStatusSerializer()

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "body",
            "proposal_scorer",
            "proposal_attempts",
            "proposal_queued_at",
            "proposal_started_at",
            "proposal_finished_at",
            "claims_summary",
            "matching",
        ]
        read_only_fields = fields

    def to_representation(self, article: Article) -> dict:
        data = super().to_representation(article)
        counts = self.context.get("claims_summary", {})
        summary = {status: counts.get(status, 0) for status in ClaimStatus.values}
        data.update(
            body=article.body,
            proposal_scorer=article.proposal_scorer,
            proposal_attempts=article.proposal_attempts,
            proposal_queued_at=iso(article.proposal_queued_at),
            proposal_started_at=iso(article.proposal_started_at),
            proposal_finished_at=iso(article.proposal_finished_at),
            claims_summary={"total": sum(summary.values()), **summary},
        )
        if (matching := self.context.get("matching")) is not None:
            data["matching"] = {**matching, "finished_at": iso(matching["finished_at"])}
        # Matching its claims against the fact-check archive (factchecks), failures included.
        archive = article_archive_status(article_id=article.pk)
        data["archive_matching"] = {**archive, "finished_at": iso(archive["finished_at"])}
        return data


class ArticleImportItemSerializer(serializers.Serializer):
    """One article to import (documentation of the body; articles.services validates it).

    Empty or null optional fields mean "not given", as the importer treats them.
    """

    title = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=500,
        help_text="Defaults to line 1.",
    )
    body = serializers.RegexField(
        r"\S", help_text="The article text (plain text; at most 5 MB); not only whitespace."
    )
    url = serializers.URLField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=2000,
        help_text="Canonical URL.",
    )
    source = StrictCharField(
        required=False, allow_null=True, allow_blank=True, max_length=200, help_text="Outlet."
    )
    author = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=300)
    published_at = serializers.DateTimeField(required=False, allow_null=True, help_text="ISO 8601.")
    language = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=16,
        help_text="e.g. en; empty: detected.",
    )


class ImportOutcomeSerializer(serializers.Serializer):
    index = serializers.IntegerField(required=False, help_text="Position in a bulk request.")
    status = serializers.ChoiceField(choices=["created", "duplicate", "error"])
    id = serializers.IntegerField(
        required=False, help_text="The new article, or the existing one for a duplicate."
    )
    title = serializers.CharField(required=False)
    url = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On error: field name -> messages.",
    )
    detail = serializers.CharField(required=False, help_text="On error: a sentence.")
    filled = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="On a duplicate: the existing article's blank fields this item filled in.",
    )
    notes = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="What the import left out or changed (e.g. a dropped out-of-range date).",
    )


class BulkImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
    results = ImportOutcomeSerializer(many=True)


class ProposeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    proposal_state = serializers.CharField()
    proposal_queued_at = serializers.DateTimeField(allow_null=True)
