"""The OpenAPI description of the webhook subscription endpoints."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from api.errors import COMMON_OBJECT_ERRORS, COMMON_READ_ERRORS, ERR_400, LIST_ERRORS
from api.webhooks.serializers import (
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)

webhook_schema = extend_schema_view(
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
