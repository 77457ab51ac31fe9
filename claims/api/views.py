"""The claims API: list, detail, history, review, assign, ClaimReview, changes feed, CSV.

Views parse, authorise, call one service and serialise; every write goes through
claims.services, the same functions the reviewer UI uses.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles.api.parsers import JSONBodyParser
from claims.api.changes import changes_page, next_link
from claims.api.claimreview import RATINGS, JSONLDRenderer, claim_review
from claims.api.export import CSVRenderer, csv_response
from claims.api.filters import ClaimFilter
from claims.api.rows import claim_rows, claim_rows_queryset, link_bases
from claims.api.selectors import (
    claim_detail_queryset,
    claim_history,
    claim_latest_note,
    claim_list_queryset,
    claim_match_rows,
    claim_with_article_queryset,
)
from claims.api.serializers import (
    AssignRequestSerializer,
    ChangesPageSerializer,
    ClaimConflictSerializer,
    ClaimDetailSerializer,
    ClaimMatchSerializer,
    ClaimSerializer,
    ReviewRequestSerializer,
    StatusChangeSerializer,
)
from claims.models import Claim, ClaimStatus
from claims.services import (
    ALLOWED_TRANSITIONS,
    NOTE_REQUIRED,
    IllegalTransition,
    InvalidEvidence,
    NoteRequired,
    StaleVersion,
    claim_assign,
    claim_set_status,
)
from factcheck.parsing import MAX_INT32, parse_int
from integrations.api_errors import (
    COMMON_OBJECT_ERRORS,
    COMMON_READ_ERRORS,
    ERR_400,
    LIST_ERRORS,
    ApiError,
)
from integrations.pagination import page_size
from integrations.permissions import READ, REVIEW, acting_user
from matching.selectors import cluster_as_dict, match_entry

# The triage order; with ?status=... it walks the (status, -score, created_at) index.
LIST_ORDERING = ("-score", "created_at", "id")

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The claim version you acted on, as in the ETag: `"3"`. Or send `version`.',
)
CSV_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="`csv` streams every matching claim as CSV (or send `Accept: text/csv`).",
)
PAGE_SIZE = OpenApiParameter(
    "page_size", OpenApiTypes.INT, description="Rows per page (default 50, at most 200)."
)
CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.STR, description="The `cursor` of the previous page or poll."
)
ERR_409 = OpenApiResponse(
    ClaimConflictSerializer,
    description="Illegal transition: the transitions table does not allow this move.",
    examples=[
        OpenApiExample(
            "illegal_transition",
            value={
                "status": 409,
                "code": "illegal_transition",
                "message": "A claim cannot go from dismissed to verified.",
                "from_status": "dismissed",
                "to_status": "verified",
                "allowed": ["proposed"],
                "current": {"id": 7, "status": "dismissed", "version": 2},
            },
        )
    ],
)
ERR_412 = OpenApiResponse(
    ClaimConflictSerializer,
    description="Stale version: the claim changed since you read it; `current` is how it is now.",
)


VERSION_MISSING = "Send the claim's version in an If-Match header or a version field."
IF_MATCH_INVALID = 'Expected the ETag of the claim, e.g. "3".'


def validated_body(request, serializer_class) -> tuple[dict, int | None]:
    """The request body and the version the client acted on, or one 400 with every error.

    If-Match wins over the body's ``version``; ``*`` means any version. A review's note rule
    is checked here too (claim_set_status checks it again), so a client learns of a missing
    note together with its other mistakes, not one request later.
    """
    body = serializer_class(data=request.data)
    errors = {} if body.is_valid() else dict(body.errors)
    raw = request.data if isinstance(request.data, dict) else {}
    data = body.validated_data if not errors else raw
    version = None
    header = request.headers.get("If-Match")
    if header is not None:
        value = header.strip()
        if value != "*":
            version = parse_int(value.removeprefix("W/").strip('"'), maximum=MAX_INT32)
            if version is None:
                errors["If-Match"] = [IF_MATCH_INVALID]
    elif data.get("version") is None:
        errors.setdefault("version", [VERSION_MISSING])
    else:
        version = data["version"]
    note = data.get("note") or ""
    if (
        not {"status", "note"} & set(errors)
        and data.get("status") in NOTE_REQUIRED
        and isinstance(note, str)
        and not note.strip()
    ):
        errors["note"] = [str(NoteRequired(data["status"]))]
    if errors:
        raise ValidationError(errors)
    return data, version


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description=(
            "Claims, best check-worthiness first. Filters combine with AND. "
            "`?format=csv` (or `Accept: text/csv`) streams all matching rows as CSV instead."
        ),
        parameters=[CSV_FORMAT, PAGE_SIZE],
        responses={
            (200, "application/json"): ClaimSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV download."),
            **LIST_ERRORS,
        },
    ),
    retrieve=extend_schema(
        summary="One claim",
        description="The claim with its evidence. The `ETag` header is its version.",
        responses={200: ClaimDetailSerializer, **COMMON_OBJECT_ERRORS},
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = ClaimFilter
    parser_classes = [JSONBodyParser]
    read_permission = "claims.view_claim"
    capabilities = {
        "list": READ,
        "retrieve": READ,
        "history": READ,
        "matches": READ,
        "claimreview": READ,
        "changes": READ,
        "review": REVIEW,
        "assign": REVIEW,
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return claim_detail_queryset()
        if self.action == "claimreview":
            return claim_with_article_queryset()
        if self.action == "list":
            # Dicts of the shown values, built into rows by claim_rows; the page's matches in
            # the same query.
            return claim_rows_queryset(with_matches=True)
        return claim_list_queryset()

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    def get_renderers(self):
        renderers = super().get_renderers()
        # No action: a method the endpoint lacks, which must be a 405 even with ?format=csv.
        if self.action in ("list", None):
            return [*renderers, CSVRenderer()]
        if self.action == "claimreview":
            return [JSONLDRenderer(), JSONRenderer()]
        return renderers

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by(*LIST_ORDERING)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            # values_list() over the bare model: no instances, no joins beyond the columns.
            rows = self.filter_queryset(Claim.objects.all())
            return csv_response(rows)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(claim_rows(page, bases=link_bases(request)))

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def _detail(self, claim: Claim | int) -> Response:
        if not isinstance(claim, Claim):
            claim = claim_detail_queryset().get(pk=claim)
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": f'"{claim.version}"'})

    def _current(self, claim_id: int) -> dict:
        claim = claim_detail_queryset().get(pk=claim_id)
        return ClaimDetailSerializer(claim, context=self.get_serializer_context()).data

    @extend_schema(
        summary="A claim's status history",
        description="Every status change, oldest first, with who, when, the note and evidence.",
        responses={200: StatusChangeSerializer(many=True), **COMMON_OBJECT_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        claim = self.get_object()
        changes = claim_history(claim_id=claim.pk)
        return Response(StatusChangeSerializer(changes, many=True).data)

    @extend_schema(
        summary="All of a claim's matches",
        description=(
            "Every active match (the same fact, or a conflicting figure), best first, "
            "paginated. Claim rows carry only the best 10 and `match_count`."
        ),
        responses={200: ClaimMatchSerializer(many=True), **COMMON_OBJECT_ERRORS},
        parameters=[PAGE_SIZE],
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def matches(self, request, pk=None):
        claim = self.get_object()
        page = self.paginate_queryset(claim_match_rows(claim_id=claim.pk))
        results = []
        for row in page:
            mine_first = row["claim_id"] == claim.pk
            other = row["other_id"] if mine_first else row["claim_id"]
            article = row["other__article_id"] if mine_first else row["claim__article_id"]
            results.append(
                match_entry(
                    other, article, row["similarity"], row["relation"], claim.inherited_from_id
                )
            )
        return self.get_paginated_response(results)

    @extend_schema(
        summary="Review a claim (set its status)",
        description=(
            "Moves the claim to `status` through the same service as the reviewer UI. Send the "
            "version you reviewed as `If-Match` (the detail's ETag) or `version`. A no-op when "
            "the status is unchanged. `note` is required for disputed and unconfirmed."
        ),
        parameters=[IF_MATCH],
        request=ReviewRequestSerializer,
        responses={
            200: ClaimDetailSerializer,
            400: ERR_400,
            409: ERR_409,
            412: ERR_412,
            **COMMON_OBJECT_ERRORS,
        },
        examples=[
            OpenApiExample(
                "Dispute with evidence",
                request_only=True,
                value={
                    "status": "disputed",
                    "note": "The budget was $38 million, not $48 million.",
                    "evidence": [{"url": "https://council.example/budget.pdf", "title": "Budget"}],
                    "version": 1,
                },
            )
        ],
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        claim = self.get_object()
        data, version = validated_body(request, ReviewRequestSerializer)
        try:
            updated = claim_set_status(
                claim_id=claim.pk,
                to_status=data["status"],
                user=acting_user(request),
                expected_version=version,
                note=data["note"],
                evidence=[dict(e) for e in data["evidence"]],
            )
        except StaleVersion as exc:
            raise ApiError(
                str(exc), code="stale_version", status_code=412, current=self._current(claim.pk)
            ) from exc
        except IllegalTransition as exc:
            raise ApiError(
                str(exc),
                code="illegal_transition",
                status_code=409,
                from_status=exc.from_status,
                to_status=exc.to_status,
                allowed=sorted(ALLOWED_TRANSITIONS[exc.from_status]),
                current=self._current(claim.pk),
            ) from exc
        except NoteRequired as exc:
            raise ValidationError({"note": [str(exc)]}) from exc
        except InvalidEvidence as exc:
            raise ValidationError({"evidence": [str(exc)]}) from exc
        return self._detail(updated.pk)

    @extend_schema(
        summary="Assign a claim to a reviewer",
        description="`assignee` is a username (a user who may review), or null to unassign.",
        parameters=[IF_MATCH],
        request=AssignRequestSerializer,
        responses={200: ClaimDetailSerializer, 400: ERR_400, 412: ERR_412, **COMMON_OBJECT_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request, pk=None):
        claim = self.get_object()
        data, version = validated_body(request, AssignRequestSerializer)
        assignee = None
        name = data["assignee"]
        if name is not None:
            assignee = get_user_model().objects.filter(username=name, is_active=True).first()
            if assignee is None or not assignee.has_perm("claims.review_claim"):
                raise ValidationError({"assignee": [f"{name!r} is not an active reviewer."]})
        try:
            updated = claim_assign(
                claim_id=claim.pk,
                assignee=assignee,
                user=acting_user(request),
                expected_version=version,
            )
        except StaleVersion as exc:
            raise ApiError(
                str(exc), code="stale_version", status_code=412, current=self._current(claim.pk)
            ) from exc
        return self._detail(updated.pk)

    @extend_schema(
        summary="schema.org ClaimReview of a reviewed claim",
        description=(
            "JSON-LD for publishing the verdict (`application/ld+json`). The rating scale is "
            "1 = disputed, 2 = unconfirmed, 3 = verified; `alternateName` is the verdict. "
            "404 while the claim has no verdict (proposed or dismissed)."
        ),
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="ClaimReview JSON-LD."
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="ClaimReview JSON-LD."
            ),
            **COMMON_OBJECT_ERRORS,
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def claimreview(self, request, pk=None):
        claim = self.get_object()
        if claim.status not in RATINGS:
            raise NotFound(f"Claim {claim.pk} has no verdict yet (it is {claim.status}).")
        data = claim_review(
            claim=claim,
            url=request.build_absolute_uri(request.path),
            explanation=claim_latest_note(claim_id=claim.pk),
        )
        return Response(data)

    @extend_schema(
        summary="Changes feed",
        description=(
            "Claims in the order they last changed, `(updated_at, id)`, after `cursor` (or "
            "`updated_after`). Follow `next` while `has_more`; then store `cursor` and poll with "
            "it later: no change is missed or repeated, even many in one second. Changes show "
            "up after a settle delay of a couple of seconds. Accepts the list filters."
        ),
        parameters=[CURSOR, PAGE_SIZE],
        responses={200: ChangesPageSerializer, 400: ERR_400, **COMMON_READ_ERRORS},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def changes(self, request):
        # The page's matches in a second query: tests/api/test_changes_feed.py pins the feed
        # at two queries (reading them in the page query, as the list does, measured faster).
        filterset = ClaimFilter(request.query_params, queryset=claim_rows_queryset())
        if not filterset.is_valid():
            errors = dict(filterset.errors)
            try:
                page_size(request)
            except ValidationError as exc:
                errors.update(exc.detail)
            raise ValidationError(errors)
        page = changes_page(
            filterset.qs,
            cursor=request.query_params.get("cursor") or None,
            updated_after=filterset.form.cleaned_data.get("updated_after"),
            size=page_size(request),
        )
        return Response(
            {
                "next": next_link(request, page),
                "cursor": page.cursor,
                "has_more": page.has_more,
                "results": claim_rows(page.rows, bases=link_bases(request)),
            }
        )


class ClusterClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    article_title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    inherited_from = serializers.IntegerField(
        allow_null=True, help_text="The claim whose verdict this one inherited, if any."
    )


class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    claims = ClusterClaimSerializer(many=True)


class ClusterViewSet(viewsets.ViewSet):
    """Clusters: claims in different articles that state the same fact."""

    read_permission = "claims.view_claim"
    capabilities = {"retrieve": READ}
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="A cluster of matching claims",
        description="The claims linked as the same fact across articles, with their statuses.",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The cluster's id."
            )
        ],
        responses={200: ClusterSerializer, **COMMON_OBJECT_ERRORS},
    )
    def retrieve(self, request, pk=None):
        cluster_id = parse_int(pk)
        if cluster_id is None:
            raise NotFound()
        data = cluster_as_dict(cluster_id=cluster_id)
        if data is None:
            raise NotFound()
        return Response(ClusterSerializer(data).data)
