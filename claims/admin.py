from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
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
    VerdictApproval,
    VerdictPolicy,
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
    fields = (
        "changed_at",
        "changed_by",
        "submitted_by",
        "from_status",
        "to_status",
        "note",
        "version",
        "undoes",
    )
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


@admin.register(VerdictApproval)
class VerdictApprovalAdmin(ReadOnlyAdmin):
    """Verdicts awaiting a second reviewer and their outcome (decided on the claim page)."""

    list_display = ("claim", "to_status", "submitted_by", "submitted_at", "state", "decided_by")
    list_filter = ("state", "to_status")
    list_select_related = ("claim", "submitted_by", "decided_by")
    raw_id_fields = ("claim",)


@admin.register(VerdictPolicy)
class VerdictPolicyAdmin(admin.ModelAdmin):
    """The one policy row: staff edit it; it is never added (the migration made it) or deleted."""

    fieldsets = (
        (
            "Second reviewer",
            {
                "fields": (
                    "verified_needs_approval",
                    "disputed_needs_approval",
                    "unconfirmed_needs_approval",
                ),
                "description": "A verdict checked here waits for another reviewer's approval; "
                "the claim's status changes only when it is approved.",
            },
        ),
        (
            "Rationale",
            {
                "fields": (
                    "rationale_min_chars",
                    "verified_needs_rationale",
                    "disputed_needs_rationale",
                    "unconfirmed_needs_rationale",
                ),
            },
        ),
        (
            "Evidence",
            {
                "fields": (
                    "verified_needs_evidence",
                    "disputed_needs_evidence",
                    "unconfirmed_needs_evidence",
                ),
                "description": "At least one evidence link, sent with the verdict or added to "
                "the claim before it. Dismissing a claim never needs anything.",
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list is a detour, open the row itself (for those who may see it).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        policy = VerdictPolicy.current()
        return redirect("admin:claims_verdictpolicy_change", policy.pk)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


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
