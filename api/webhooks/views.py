"""Webhook subscriptions in the API (admin-scoped tokens and staff only).

Bad values the service finds (an unsafe URL...) answer as field errors through
api.errors.DOMAIN_ERRORS; the OpenAPI description is in api.webhooks.schema.
"""

from __future__ import annotations

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api.permissions import ADMIN, acting_user
from api.webhooks.schema import webhook_schema
from api.webhooks.serializers import WebhookSubscriptionSerializer
from integrations.models import WebhookSubscription
from integrations.services import webhook_subscription_create, webhook_subscription_update


@webhook_schema
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
        subscription, secret = webhook_subscription_create(
            name=data.get("name", ""),
            url=data["url"],
            secret=data.get("secret", ""),
            events=data.get("events", []),
            active=data.get("active", True),
            created_by=acting_user(request),
        )
        out = WebhookSubscriptionSerializer(subscription).data
        return Response({**out, "secret": secret}, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        subscription = self.get_object()
        body = self.get_serializer(subscription, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subscription = webhook_subscription_update(
            subscription_id=subscription.pk,
            name=data.get("name"),
            url=data.get("url"),
            secret=data.get("secret"),
            events=data.get("events"),
            active=data.get("active"),
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)
