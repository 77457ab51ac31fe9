"""The OpenAPI description of the matches and clusters endpoints."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from api.errors import COMMON_OBJECT_ERRORS
from api.matches.serializers import ClaimMatchSerializer, ClusterSerializer
from api.schema import PAGE_SIZE_PARAMETER

# GET /claims/{id}/matches/ (an action of ClaimViewSet, applied by api.claims.schema).
MATCHES_SCHEMA = extend_schema(
    summary="All of a claim's matches",
    description=(
        "Every active match (the same fact, or a conflicting figure), best first, "
        "paginated. Claim rows carry only the best 10 and `match_count`."
    ),
    responses={200: ClaimMatchSerializer(many=True), **COMMON_OBJECT_ERRORS},
    parameters=[PAGE_SIZE_PARAMETER],
    filters=False,
)

cluster_schema = extend_schema_view(
    retrieve=extend_schema(
        summary="A cluster of matching claims",
        description="The claims linked as the same fact across articles, with their statuses.",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The cluster's id."
            )
        ],
        responses={200: ClusterSerializer, **COMMON_OBJECT_ERRORS},
    ),
)
