"""The articles API: list, detail with a claims summary, import (one or bulk), re-run proposal."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from articles.api.filters import ArticleFilter
from articles.api.parsers import JSONBodyParser
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleImportItemSerializer,
    ArticleSerializer,
    BulkImportResultSerializer,
    ImportOutcomeSerializer,
    ProposeResultSerializer,
)
from articles.models import Article
from articles.services import ImportBatchTooLarge, article_import_payload
from claims.models import Claim
from claims.proposal import article_rerun_proposal
from integrations.api_errors import (
    COMMON_OBJECT_ERRORS,
    COMMON_READ_ERRORS,
    ERR_400,
    ERR_413,
    LIST_ERRORS,
)
from integrations.models import ApiToken
from integrations.permissions import IMPORT, READ, RERUN, acting_user
from matching.state import article_matching_status

IMPORT_REQUEST = PolymorphicProxySerializer(
    component_name="ArticleImportRequest",
    serializers=[ArticleImportItemSerializer, ArticleImportItemSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


@extend_schema_view(
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
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = ArticleFilter
    parser_classes = [JSONBodyParser]
    read_permission = "articles.view_article"
    capabilities = {"list": READ, "retrieve": READ, "create": IMPORT, "propose": RERUN}

    def get_queryset(self):
        queryset = Article.objects.select_related("imported_by").order_by("-imported_at", "-id")
        if self.action != "retrieve":
            queryset = queryset.defer("body", "sentence_scores")
        return queryset

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        counts = dict(
            Claim.objects.filter(article_id=article.pk)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        context = {
            **self.get_serializer_context(),
            "claims_summary": counts,
            "matching": article_matching_status(article_id=article.pk),
        }
        return Response(ArticleDetailSerializer(article, context=context).data)

    @extend_schema(
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
    )
    def create(self, request, *args, **kwargs):
        payload = request.data
        single = isinstance(payload, dict)
        if single:
            items = [payload]
        elif isinstance(payload, list) and payload:
            items = payload
        else:
            raise ValidationError(
                {"non_field_errors": ["Send one article object or a non-empty list of them."]}
            )
        try:
            outcomes = article_import_payload(items, imported_by=acting_user(request))
        except ImportBatchTooLarge as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        entries = [o.as_api_dict(None if single else i) for i, o in enumerate(outcomes)]
        if single:
            entry = entries[0]
            if entry["status"] == "error":
                raise ValidationError(entry["errors"])
            code = status.HTTP_201_CREATED if entry["status"] == "created" else status.HTTP_200_OK
            return Response(entry, status=code)
        tally = {
            s: sum(e["status"] == s for e in entries) for s in ("created", "duplicate", "error")
        }
        return Response(
            {
                "created": tally["created"],
                "duplicates": tally["duplicate"],
                "errors": tally["error"],
                "results": entries,
            }
        )

    @extend_schema(
        summary="Re-run claim proposal",
        description=(
            "Queues the article for claim proposal again. Claims a reviewer has touched are kept."
        ),
        request=None,
        responses={202: ProposeResultSerializer, **COMMON_OBJECT_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def propose(self, request, pk=None):
        article = self.get_object()
        # A token's scope already allowed this; the service checks a signed-in user's role.
        user = None if isinstance(request.auth, ApiToken) else acting_user(request)
        article = article_rerun_proposal(article_id=article.pk, user=user)
        return Response(ProposeResultSerializer(article).data, status=status.HTTP_202_ACCEPTED)
