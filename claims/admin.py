from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from claims import article_admin
from claims.models import Claim, ClaimStatusChange, Evidence, VerdictApproval, VerdictPolicy


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
        # One row: the list is a detour, open the row itself.
        policy = VerdictPolicy.current()
        return redirect("admin:claims_verdictpolicy_change", policy.pk)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


# The article pages show the article's claims; articles itself knows nothing of claims.
article_admin.register()
