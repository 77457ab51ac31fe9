"""The OpenAPI description of the matches and clusters endpoints."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from api.errors import COMMON_OBJECT_ERRORS
from api.matches.serializers import (
    ClaimMatchDetailSerializer,
    ClusterSerializer,
    MatchDecisionRequestSerializer,
)
from api.schema import PAGE_SIZE_PARAMETER

# GET /claims/{id}/matches/ (an action of ClaimViewSet, applied by api.claims.schema).
MATCHES_SCHEMA = extend_schema(
    summary="All of a claim's matches",
    description=(
        "Every active match (the same fact, a conflicting figure, or figures that differ by "
        "date), best first, paginated, each with its state (suggested or confirmed), "
        "confidence and explanation. Claim rows carry only the best 10 and `match_count`."
    ),
    responses={200: ClaimMatchDetailSerializer(many=True), **COMMON_OBJECT_ERRORS},
    parameters=[PAGE_SIZE_PARAMETER],
    filters=False,
)

# POST /claims/{id}/matches/{match}/{decision}/ (an action of ClaimViewSet).
MATCH_DECISION_SCHEMA = extend_schema(
    summary="Decide on one of a claim's matches",
    description=(
        "`confirm` a suggestion (it joins the cluster and passes verdicts on), `reject` a "
        "suggestion, `unlink` a confirmed match, or mark differing figures `not-a-conflict`. "
        "All but confirm need a `reason`; each is recorded with the user and never proposed "
        "again when matching re-runs. Answers with the match as GET .../matches/ shows it."
    ),
    request=MatchDecisionRequestSerializer,
    responses={200: ClaimMatchDetailSerializer, **COMMON_OBJECT_ERRORS},
    parameters=[
        OpenApiParameter("match_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        OpenApiParameter(
            "decision",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            enum=["confirm", "reject", "unlink", "not-a-conflict"],
        ),
    ],
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
