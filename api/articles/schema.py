"""The OpenAPI description of the articles endpoints, applied to ArticleViewSet in one decorator."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)

from api.articles.serializers import (
    ArticleDetailSerializer,
    ArticleImportItemSerializer,
    ArticleSerializer,
    BulkImportResultSerializer,
    ImportOutcomeSerializer,
    ProposeResultSerializer,
)
from api.errors import COMMON_OBJECT_ERRORS, COMMON_READ_ERRORS, ERR_400, ERR_413, LIST_ERRORS

IMPORT_REQUEST = PolymorphicProxySerializer(
    component_name="ArticleImportRequest",
    serializers=[ArticleImportItemSerializer, ArticleImportItemSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


article_schema = extend_schema_view(
    list=extend_schema(
        summary="List articles",
        description="Newest import first; without the body.",
        responses={200: ArticleSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One article",
        description="With its text and a count of its claims per status.",
        responses={200: ArticleDetailSerializer, **COMMON_OBJECT_ERRORS},
    ),
    create=extend_schema(
        summary="Import one article or a list",
        description=(
            "One JSON object, or a list of up to IMPORT_BULK_LIMIT (default 500). Duplicates "
            "(same canonical URL or same normalised text) are reported with the existing id. "
            "One object: 201 created, 200 duplicate, 400 with field errors. A list: 200 with "
            "one outcome per item, in order; the good items are imported even if others fail. "
            "Editors and import-scoped tokens only. Each new article is queued for claim proposal."
        ),
        request=IMPORT_REQUEST,
        responses={
            201: OpenApiResponse(ImportOutcomeSerializer, description="One article created."),
            200: PolymorphicProxySerializer(
                component_name="ArticleImportResponse",
                serializers=[ImportOutcomeSerializer, BulkImportResultSerializer],
                resource_type_field_name=None,
            ),
            400: ERR_400,
            413: ERR_413,
            **COMMON_READ_ERRORS,
        },
        examples=[
            OpenApiExample(
                "One article",
                request_only=True,
                value={
                    "title": "Council approves flood budget",
                    "body": "Harbour City Council approved a budget of $48 million on Tuesday.",
                    "url": "https://herald.example/news/1",
                    "source": "Harbour Herald",
                    "published_at": "2025-03-04T10:00:00Z",
                },
            )
        ],
        filters=False,
    ),
    propose=extend_schema(
        summary="Re-run claim proposal",
        description=(
            "Queues the article for claim proposal again. Claims a reviewer has touched are kept."
        ),
        request=None,
        responses={202: ProposeResultSerializer, **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
)
