"""GET /api/v1/: where everything is, for a newcomer with a browser or curl.

Public like the schema and the docs: it names URLs, never data (every list still asks for a
token or a session). Left out of the OpenAPI schema, which describes the resources.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

# (key, URL name) of each list and feed, in the order the README introduces them.
ENDPOINTS = (
    ("articles", "api:article-list"),
    ("claims", "api:claim-list"),
    ("claims_changes", "api:claim-changes"),
    ("webhooks", "api:webhook-list"),
)


@extend_schema(exclude=True)
class ApiIndexView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        # Clusters have no list (a claim row's cluster_id leads to one): a URL template.
        cluster = request.build_absolute_uri(reverse("api:cluster-detail", args=[0]))
        return Response(
            {
                "name": "factcheck REST API",
                "version": "v1",
                "endpoints": {
                    **{key: url(name) for key, name in ENDPOINTS},
                    "cluster": cluster.removesuffix("0/") + "{id}/",
                },
                "schema": url("api:schema"),
                "docs": url("api:docs"),
                "authentication": (
                    "Send `Authorization: Token <key>` (or `Bearer <key>`); browser sessions "
                    "work too. The schema and docs are public."
                ),
            }
        )
