"""Webhook subscriptions as the API shows and takes them."""

from __future__ import annotations

from rest_framework import serializers

from api.fields import HttpUrlField, StrictBooleanField, StrictCharField, iso
from api.filters import serializer_choice_errors
from integrations.models import WebhookEventType, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A subscription; ``secret`` is write-only except in the response that created it."""

    name = StrictCharField(max_length=200)
    active = StrictBooleanField(required=False, help_text="Inactive subscriptions get nothing.")

    events = serializers.ListField(
        child=serializers.ChoiceField(
            choices=WebhookEventType.choices,
            error_messages=serializer_choice_errors(WebhookEventType.choices),
        ),
        required=False,
        max_length=20,
        help_text="Event types to receive; empty or omitted: all.",
    )
    secret = StrictCharField(
        write_only=True,
        required=False,
        min_length=16,
        max_length=200,
        help_text="HMAC key for X-Factcheck-Signature; generated when omitted.",
    )
    url = HttpUrlField(max_length=2000, help_text="http(s); no private addresses.")

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "active", "secret", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def to_representation(self, subscription: WebhookSubscription) -> dict:
        return {
            "id": subscription.pk,
            "name": subscription.name,
            "url": subscription.url,
            "events": list(subscription.events),
            "active": subscription.active,
            "created_at": iso(subscription.created_at),
            "updated_at": iso(subscription.updated_at),
        }


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(help_text="Shown in this response only: store it now.")

    class Meta(WebhookSubscriptionSerializer.Meta):
        read_only_fields = WebhookSubscriptionSerializer.Meta.fields
