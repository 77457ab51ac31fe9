from django.contrib import admin, messages

from notifications.models import Notification, NotificationPreference, NotificationState
from notifications.services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "to_email",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("state", "kind")
    search_fields = ("to_email", "subject", "user__username", "dedupe_key")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.action(description="Send the selected failed emails again")
    def resend(self, request, queryset):
        failed = list(queryset.filter(state=NotificationState.FAILED).values_list("pk", flat=True))
        for notification_id in failed:
            notification_resend(notification_id=notification_id)
        skipped = queryset.count() - len(failed)
        messages.success(
            request,
            f"Queued {len(failed)} email(s) again"
            + (f"; {skipped} not failed, left alone." if skipped else "."),
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "assigned", "verdict_decided", "source_changed", "daily_digest")
    list_filter = ("assigned", "verdict_decided", "source_changed", "daily_digest")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
