from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from articles.models import Article
from claims.models import Claim


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("text", "start", "end", "score", "claim_type", "claimer", "status", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("start",)

    def has_add_permission(self, request, obj=None):
        # Claims come from the proposal pipeline, with offsets that must match the body.
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "source",
        "published_at",
        "language",
        "proposal_state",
        "claim_count",
        "imported_at",
    )
    list_filter = ("proposal_state", "source", "language")
    search_fields = ("title", "url", "author", "source")
    date_hierarchy = "imported_at"
    readonly_fields = (
        "content_hash",
        "imported_by",
        "imported_at",
        "proposal_state",
        "proposal_error",
        "proposal_attempts",
        "proposal_queued_at",
        "proposal_started_at",
        "proposal_finished_at",
        "proposal_duration",
        "proposal_scorer",
        "proposed_claim_count",
        "link",
    )
    fieldsets = (
        (
            None,
            {"fields": ("title", "source", "url", "link", "author", "published_at", "language")},
        ),
        ("Text", {"fields": ("body", "content_hash")}),
        ("Import", {"fields": ("imported_by", "imported_at")}),
        (
            "Claim proposal",
            {
                "fields": (
                    "proposal_state",
                    "proposal_error",
                    "proposal_attempts",
                    "proposal_queued_at",
                    "proposal_started_at",
                    "proposal_finished_at",
                    "proposal_duration",
                    "proposal_scorer",
                    "proposed_claim_count",
                )
            },
        ),
    )
    inlines = [ClaimInline]
    actions = ["rerun_proposal"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claim_count=Count("claims"))

    @admin.display(description="claims", ordering="_claim_count")
    def claim_count(self, obj):
        return obj._claim_count

    @admin.display(description="duration (ms)")
    def proposal_duration(self, obj):
        return obj.proposal_duration_ms

    @admin.display(description="open")
    def link(self, obj):
        if not obj.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    def get_readonly_fields(self, request, obj=None):
        # The body is what claim offsets point into: editing it in place would orphan them.
        if obj is not None:
            return (*self.readonly_fields, "body")
        return self.readonly_fields

    @admin.action(description="Re-run claim proposal", permissions=["rerun"])
    def rerun_proposal(self, request, queryset):
        from claims.tasks import enqueue_proposal

        ids = list(queryset.values_list("pk", flat=True))
        for article_id in ids:
            enqueue_proposal(article_id)
        self.message_user(
            request, f"Queued claim proposal for {len(ids)} article(s).", messages.SUCCESS
        )

    def has_rerun_permission(self, request):
        return request.user.has_perm("articles.rerun_proposal")
