from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from claims import article_admin
from claims.models import (
    Claim,
    ClaimStatusChange,
    DeadlineRule,
    Evidence,
    ExpiryRule,
    SavedView,
)


class ScoreRangeFilter(admin.SimpleListFilter):
    title = _("score")
    parameter_name = "score_range"
    RANGES = {
        "0.9-1": (0.9, 1.01),
        "0.7-0.9": (0.7, 0.9),
        "0.5-0.7": (0.5, 0.7),
        "0-0.5": (0.0, 0.5),
    }

    def lookups(self, request, model_admin):
        return [(key, key) for key in self.RANGES]

    def queryset(self, request, queryset):
        if self.value() in self.RANGES:
            low, high = self.RANGES[self.value()]
            return queryset.filter(score__gte=low, score__lt=high)
        return queryset


class ClaimStatusChangeInline(admin.TabularInline):
    model = ClaimStatusChange
    fields = ("changed_at", "changed_by", "from_status", "to_status", "note", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("url", "title", "added_by", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("short_text", "article", "score", "claim_type", "claimer", "status", "assignee")
    list_filter = ("status", "claim_type", ScoreRangeFilter, "article__source")
    search_fields = ("text", "claimer", "article__title")
    list_select_related = ("article", "assignee")
    raw_id_fields = ("article",)
    # Status, version and reviewer change only through claims.services.claim_set_status,
    # which writes the history row; the admin shows them read-only.
    readonly_fields = (
        "article",
        "text",
        "start",
        "end",
        "score",
        "status",
        "assignee",
        "version",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
    )
    fields = (
        "article",
        "text",
        ("start", "end"),
        "score",
        "claim_type",
        "claimer",
        "status",
        "assignee",
        "version",
        ("reviewed_by", "reviewed_at"),
        ("created_at", "updated_at"),
    )
    inlines = [EvidenceInline, ClaimStatusChangeInline]

    @admin.display(description="claim", ordering="text")
    def short_text(self, obj):
        return obj.text[:120]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # A person corrected the type or claimer: the claim is now touched (version > 1), so
        # re-running proposal keeps it, and clients holding the old version see the change.
        if change and form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services (the status service, the matcher): shown, never edited
    here, so nothing bypasses the history and the version checks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimStatusChange)
class ClaimStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("claim", "from_status", "to_status", "changed_by", "changed_at", "note")
    list_filter = ("to_status", "from_status")
    search_fields = ("claim__text", "note")
    list_select_related = ("claim", "changed_by")
    date_hierarchy = "changed_at"


# The article pages show the article's claims; articles itself knows nothing of claims.
article_admin.register()


# --- The desk's deadline and expiry rules, saved views (claims.deadlines) --------------------


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "keyword", "hours", "active")
    list_filter = ("active",)
    list_editable = ("active",)
    search_fields = ("name", "source", "keyword")


@admin.register(ExpiryRule)
class ExpiryRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "claim_type", "source", "days", "active")
    list_filter = ("active", "claim_type")
    list_editable = ("active",)
    search_fields = ("name", "source")


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shared", "query", "created_at")
    list_filter = ("shared",)
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)
