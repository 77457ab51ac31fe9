from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from integrations.models import (
    ApiToken,
    DeliveryState,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)
from integrations.services import (
    WebhookInvalid,
    api_token_create,
    api_token_revoke,
    webhook_subscription_create,
    webhook_subscription_update,
    webhook_url_validate,
)
from integrations.webhooks import webhook_redeliver


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "prefix", "user", "created_at", "last_used_at", "revoked")
    list_filter = ("scope", "revoked")
    search_fields = ("name", "prefix", "user__username")
    raw_id_fields = ("user",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "scope", "user")
        return (
            "name",
            "scope",
            "prefix",
            "user",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A token's scope and owner are fixed: make a new token rather than widen an old one.
        return (
            "scope",
            "prefix",
            "user",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked",
            "revoked_at",
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        created = api_token_create(
            name=obj.name, scope=obj.scope, user=obj.user, created_by=request.user
        )
        obj.pk = created.token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            format_html(
                "The key of “{}” is <code>{}</code>. Copy it now: it is stored hashed and "
                "cannot be shown again.",
                obj.name,
                created.key,
            ),
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token_id=token.pk)
        messages.success(request, f"Revoked {queryset.count()} token(s).")


class WebhookSubscriptionForm(forms.ModelForm):
    secret = forms.CharField(
        required=False,
        min_length=16,
        help_text="Leave empty to keep the current secret (or to generate one for a new hook).",
        widget=forms.PasswordInput(render_value=False),
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None checked: every event type.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ("name", "url", "events", "active")

    def clean_url(self):
        try:
            return webhook_url_validate(self.cleaned_data["url"])
        except WebhookInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("name", "url", "active", "created_at")
    list_filter = ("active",)
    fields = ("name", "url", "secret", "events", "active")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            webhook_subscription_update(
                subscription_id=obj.pk,
                name=data["name"],
                url=data["url"],
                secret=data["secret"] or None,
                events=data["events"],
                active=data["active"],
            )
            return
        subscription, secret = webhook_subscription_create(
            name=data["name"],
            url=data["url"],
            secret=data["secret"],
            events=data["events"],
            active=data["active"],
            created_by=request.user,
        )
        obj.pk = subscription.pk
        obj.refresh_from_db()
        if not data["secret"]:
            messages.warning(
                request,
                format_html(
                    "The signing secret is <code>{}</code>. Copy it now: it is not shown again.",
                    secret,
                ),
            )


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = (
        "subscription",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "created_at")
    list_filter = ("type",)
    readonly_fields = ("id", "type", "status_change", "payload", "created_at")
    inlines = [WebhookDeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "event",
        "subscription",
        "state",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "delivered_at",
    )
    list_filter = ("state", "subscription")
    list_select_related = ("event", "subscription")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Deliver the selected failed deliveries again")
    def redeliver(self, request, queryset):
        failed = queryset.filter(state=DeliveryState.FAILED)
        for delivery in failed:
            webhook_redeliver(delivery_id=delivery.pk)
        messages.success(request, f"Queued {failed.count()} delivery(ies) again.")
