from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from claims import article_admin, corrections, desk_model
from claims.models import (
    Claim,
    ClaimEdit,
    ClaimModelVersion,
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


class ClaimEditInline(admin.TabularInline):
    model = ClaimEdit
    fields = ("edited_at", "edited_by", "field", "old_value", "new_value", "version")
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
        "model_version",
        "claimer_locked",
        "type_locked",
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
        ("model_version", "claimer_locked", "type_locked"),
    )
    inlines = [EvidenceInline, ClaimStatusChangeInline, ClaimEditInline]

    @admin.display(description="claim", ordering="text")
    def short_text(self, obj):
        return obj.text[:120]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Type and claimer are the only editable fields: a correction goes through the same
        # service as the claim page (history row, reviewer-set flag, version bump), so
        # re-running proposal keeps it and clients holding the old version see the change.
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = set(form.changed_data)
        if not changed & {"claimer", "claim_type"}:
            return
        try:
            corrections.claim_correct_attribution(
                claim_id=obj.pk,
                claimer=obj.claimer if "claimer" in changed else None,
                claim_type=obj.claim_type if "claim_type" in changed else None,
                user=request.user,
            )
        except corrections.InvalidCorrection as exc:
            messages.error(request, f"Not saved: {exc}")


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


@admin.register(ClaimModelVersion)
class ClaimModelVersionAdmin(admin.ModelAdmin):
    """Model versions with their figures; activate one to roll back, or train a desk layer."""

    list_display = (
        "name",
        "kind",
        "active",
        "created_at",
        "trained_on",
        "held_back_ap",
        "held_back_f1",
        "cross_validated_ap",
    )
    list_filter = ("kind", "active")
    readonly_fields = (
        "name",
        "kind",
        "active",
        "created_at",
        "trained_on",
        "figures",
        "parameters",
        "note",
    )
    actions = ["activate_version", "train_desk_layer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Claims point at the version that proposed them; an active one must stay.
        return obj is not None and not obj.active and super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        desk_model.active_model_version()  # the shipped row exists to be listed and rolled back to
        return super().changelist_view(request, extra_context)

    @staticmethod
    def _figure(obj, part: str, when: str, name: str) -> str:
        block = (obj.figures or {}).get(part, {})
        if not block:
            return "—"
        return f"{block['before'][name]:.3f} → {block['after'][name]:.3f}"

    @admin.display(description="held-back AP (shipped → desk)")
    def held_back_ap(self, obj):
        return self._figure(obj, "held_back", "after", "ap")

    @admin.display(description="held-back F1")
    def held_back_f1(self, obj):
        return self._figure(obj, "held_back", "after", "f1")

    @admin.display(description="cross-validated AP")
    def cross_validated_ap(self, obj):
        return self._figure(obj, "cross_validated", "after", "ap")

    @admin.action(description="Activate the selected version (roll back or forward)")
    def activate_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to activate.", messages.ERROR)
            return
        version = desk_model.model_version_activate(version_id=queryset.get().pk)
        self.message_user(request, f"{version.name} is now the active model version.")

    @admin.action(description="Train a desk layer from reviewer decisions (selection ignored)")
    def train_desk_layer(self, request, queryset):
        result = desk_model.desk_model_train()
        level = messages.SUCCESS if result.activated else messages.WARNING
        self.message_user(request, result.message, level)


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
