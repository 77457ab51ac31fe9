"""Webhook subscriptions in the API (admin-scoped tokens and staff only)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from claims.api.serializers import iso
from integrations.api_errors import (
    COMMON_OBJECT_ERRORS,
    COMMON_READ_ERRORS,
    ERR_400,
    LIST_ERRORS,
)
from integrations.fields import HttpUrlField, StrictBooleanField, StrictCharField
from integrations.filters import serializer_choice_errors
from integrations.models import WebhookEventType, WebhookSubscription
from integrations.permissions import ADMIN, acting_user
from integrations.services import (
    WebhookInvalid,
    webhook_subscription_create,
    webhook_subscription_update,
)


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


def _invalid(exc: WebhookInvalid) -> ValidationError:
    return ValidationError({exc.field: [str(exc)]})


@extend_schema_view(
    list=extend_schema(
        summary="List webhook subscriptions",
        responses={200: WebhookSubscriptionSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One webhook subscription",
        responses={200: WebhookSubscriptionSerializer, **COMMON_OBJECT_ERRORS},
    ),
    create=extend_schema(
        summary="Subscribe a URL to events",
        responses={
            201: OpenApiResponse(
                WebhookSubscriptionCreatedSerializer, description="Includes the secret, once."
            ),
            400: ERR_400,
            **COMMON_READ_ERRORS,
        },
    ),
    partial_update=extend_schema(
        summary="Change a subscription",
        responses={200: WebhookSubscriptionSerializer, 400: ERR_400, **COMMON_OBJECT_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete a subscription", responses={204: None, **COMMON_OBJECT_ERRORS}
    ),
)
class WebhookSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = WebhookSubscription.objects.order_by("name", "id")
    serializer_class = WebhookSubscriptionSerializer
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = None
    capabilities = {
        "list": ADMIN,
        "retrieve": ADMIN,
        "create": ADMIN,
        "partial_update": ADMIN,
        "destroy": ADMIN,
    }

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            subscription, secret = webhook_subscription_create(
                name=data.get("name", ""),
                url=data["url"],
                secret=data.get("secret", ""),
                events=data.get("events", []),
                active=data.get("active", True),
                created_by=acting_user(request),
            )
        except WebhookInvalid as exc:
            raise _invalid(exc) from exc
        out = WebhookSubscriptionSerializer(subscription).data
        return Response({**out, "secret": secret}, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        subscription = self.get_object()
        body = self.get_serializer(subscription, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            subscription = webhook_subscription_update(
                subscription_id=subscription.pk,
                name=data.get("name"),
                url=data.get("url"),
                secret=data.get("secret"),
                events=data.get("events"),
                active=data.get("active"),
            )
        except WebhookInvalid as exc:
            raise _invalid(exc) from exc
        return Response(WebhookSubscriptionSerializer(subscription).data)
