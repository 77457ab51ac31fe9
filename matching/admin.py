"""Admin for matching's rows: read-only, as for claims (reviewers act from the workspace)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from claims.admin import ReadOnlyAdmin
from matching.models import ArticleMatching, ClaimMatch, ClaimRereview
from matching.state import matching_reset
from matching.tasks import publish_matching


@admin.register(ClaimMatch)
class ClaimMatchAdmin(ReadOnlyAdmin):
    """Same-fact and conflicting-figure links; reviewers unlink from the claim page."""

    list_display = (
        "claim",
        "relation",
        "other",
        "similarity",
        "state",
        "confidence",
        "created_at",
        "unlinked_at",
    )
    list_filter = ("relation", "state", ("unlinked_at", admin.EmptyFieldListFilter))
    search_fields = ("claim__text", "other__text")
    list_select_related = ("claim", "other")
    raw_id_fields = ("claim", "other", "unlinked_by", "confirmed_by")

    # Deleting an article deletes its claims' links: a superuser may, as for the claims.
    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


@admin.register(ClaimRereview)
class ClaimRereviewAdmin(ReadOnlyAdmin):
    """The "verdict changed" queue: inherited verdicts whose source changed or was unlinked."""

    list_display = (
        "claim",
        "source",
        "reason",
        "from_status",
        "to_status",
        "flagged_at",
        "resolved_at",
    )
    list_filter = ("reason", "to_status", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("claim__text",)
    list_select_related = ("claim", "source")
    raw_id_fields = ("claim", "source", "source_change", "resolved_by")

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


@admin.register(ArticleMatching)
class ArticleMatchingAdmin(ReadOnlyAdmin):
    """How matching went per article: failures with the failing claims, and the claim cap."""

    list_display = (
        "article",
        "state",
        "attempts",
        "claims_over_cap",
        "short_error",
        "finished_at",
        "updated_at",
    )
    list_filter = ("state", ("error", admin.EmptyFieldListFilter))
    search_fields = ("article__title", "error")
    list_select_related = ("article",)
    raw_id_fields = ("article",)
    actions = ("retry_matching",)

    # Deleting an article deletes its matching state: a superuser may, as for the claims.
    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.error[:120]

    @admin.action(description=_("Retry matching (a fresh set of attempts)"))
    def retry_matching(self, request, queryset):
        ids = list(queryset.values_list("article_id", flat=True))
        matching_reset(article_ids=ids)
        for article_id in ids:
            publish_matching(article_id, only_unmatched=True)
        self.message_user(request, _("Matching queued for %d articles.") % len(ids))
