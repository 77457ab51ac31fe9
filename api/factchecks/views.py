"""Fact-check archive imports in the API (tokens with the "import" scope, editors).

POST /api/v1/fact-check-imports/ takes a JSON body ``{"url": "https://..."}`` (fetched by the
importer's SSRF-safe fetcher) or ``{"content": "...", "name": "archive.csv", "format": "csv"}``
(JSON only, like every endpoint: its parser guards against hostile nesting). The answer is
the import's record: 201 when rows landed (rejected rows listed under ``errors`` with their
line or item), 400 ``import_failed`` when nothing could be read.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.errors import (
    COMMON_OBJECT_ERRORS,
    COMMON_READ_ERRORS,
    ERR_400,
    LIST_ERRORS,
    ApiError,
)
from api.permissions import IMPORT, acting_user
from factchecks.models import FactCheckImport
from factchecks.selectors import fact_check_import_dict
from factchecks.services import fact_checks_import, fact_checks_import_url

FORMATS = ["html", "json", "csv", "jsonl"]


class FactCheckImportRequestSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, max_length=2000)
    content = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    name = serializers.CharField(required=False, max_length=200, default="")
    format = serializers.ChoiceField(choices=FORMATS, required=False, allow_null=True)

    def validate(self, data):
        given = [k for k in ("url", "content") if data.get(k) not in (None, "")]
        if len(given) != 1:
            raise serializers.ValidationError("Send exactly one of url or content.")
        return data


class FactCheckImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = FactCheckImport
        fields = [
            "id", "state", "source", "format", "created", "updated", "unchanged", "rejected",
            "error", "errors",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="List fact-check archive imports, newest first",
        responses={200: FactCheckImportSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One fact-check archive import",
        responses={200: FactCheckImportSerializer, **COMMON_OBJECT_ERRORS},
    ),
    create=extend_schema(
        summary="Import published fact-checks (ClaimReview JSON-LD, CSV, JSON Lines)",
        request=FactCheckImportRequestSerializer,
        responses={
            201: FactCheckImportSerializer,
            400: ERR_400,
            **COMMON_READ_ERRORS,
        },
    ),
)
class FactCheckImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = FactCheckImport.objects.order_by("-created_at", "-id")
    serializer_class = FactCheckImportSerializer
    filterset_class = None
    capabilities = {"list": IMPORT, "retrieve": IMPORT, "create": IMPORT}

    def create(self, request, *args, **kwargs):
        body = FactCheckImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = acting_user(request)
        if data.get("url"):
            record = fact_checks_import_url(url=data["url"], via="api", imported_by=user)
        else:
            raw, name = data["content"].encode("utf-8"), data["name"] or "upload"
            record = fact_checks_import(
                data=raw, source=name, via="api", imported_by=user, format=data.get("format")
            )
        out = fact_check_import_dict(record)
        if record.state == FactCheckImport.State.FAILED and not record.accepted:
            raise ApiError(record.error, code="import_failed", status_code=400, result=out)
        return Response(out, status=status.HTTP_201_CREATED)
