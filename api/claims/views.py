"""The claims API: list, detail, history, review, assign, publish, ClaimReview, changes, CSV.

Views parse, authorise, call one service and serialise; every write goes through
claims.services, the same functions the reviewer UI uses. Its errors answer over HTTP through
api.errors.DOMAIN_ERRORS; the OpenAPI description is in api.claims.schema.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.claims.changes import changes_page, next_link
from api.claims.claimreview import JSONLDRenderer
from api.claims.export import CSVRenderer, csv_response
from api.claims.filters import ClaimFilter
from api.claims.publication import (
    PublicationSerializer,
    PublishRequestSerializer,
    WithdrawRequestSerializer,
)
from api.claims.rows import claim_rows, claim_rows_queryset, link_bases
from api.claims.schema import claim_schema
from api.claims.selectors import (
    claim_detail_queryset,
    claim_history,
    claim_list_queryset,
    claim_with_article_queryset,
)
from api.claims.serializers import (
    AssignRequestSerializer,
    AttributionRequestSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    DecisionRequestSerializer,
    ReviewRequestSerializer,
    StatusChangeSerializer,
    UndoRequestSerializer,
)
from api.matches.views import ClaimMatchesMixin
from api.pagination import page_size
from api.permissions import READ, REVIEW, acting_user
from claims import review as verdicts
from claims.corrections import InvalidCorrection, claim_correct_attribution
from claims.models import Claim, ClaimStatusChange
from claims.services import NOTE_REQUIRED, NoteRequired, claim_assign
from factcheck.parsing import MAX_INT32, parse_int
from publishing.claimreview import claim_review
from publishing.selectors import publication_for_page
from publishing.services import publication_publish, publication_withdraw

# The triage order; with ?status=... it walks the (status, -score, created_at) index.
LIST_ORDERING = ("-score", "created_at", "id")

VERSION_MISSING = "Send the claim's version in an If-Match header or a version field."
IF_MATCH_INVALID = 'Expected the ETag of the claim, e.g. "3".'


def validated_body(request, serializer_class, *, note_rule: bool = True) -> tuple[dict, int | None]:
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
        note_rule
        and not {"status", "note"} & set(errors)
        and data.get("status") in NOTE_REQUIRED
        and isinstance(note, str)
        and not note.strip()
    ):
        errors["note"] = [str(NoteRequired(data["status"]))]
    if errors:
        raise ValidationError(errors)
    return data, version


@claim_schema
class ClaimViewSet(
    ClaimMatchesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    filterset_class = ClaimFilter
    read_permission = "claims.view_claim"
    capabilities = {
        "list": READ,
        "retrieve": READ,
        "history": READ,
        "matches": READ,
        "match_decision": REVIEW,
        "claimreview": READ,
        "changes": READ,
        "review": REVIEW,
        "approve": REVIEW,
        "send_back": REVIEW,
        "undo": REVIEW,
        "assign": REVIEW,
        "publish": REVIEW,
        "unpublish": REVIEW,
        "attribution": REVIEW,
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

    def current_state(self, exc) -> dict:
        """The claim as it is now, for the ``current`` of a 409/412 (api.errors.DOMAIN_ERRORS)."""
        claim = claim_detail_queryset().get(pk=self.kwargs["pk"])
        return ClaimDetailSerializer(claim, context=self.get_serializer_context()).data

    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        claim = self.get_object()
        changes = claim_history(claim_id=claim.pk)
        return Response(StatusChangeSerializer(changes, many=True).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        claim = self.get_object()
        status = request.data.get("status") if isinstance(request.data, dict) else None
        # A verdict whose note the policy rules on gets the policy's message (with the length
        # it needs, and the evidence rule beside it) rather than the bare "note required".
        policy_rules_note = isinstance(status, str) and verdicts.verdict_policy().needs_rationale(
            status
        )
        data, version = validated_body(
            request, ReviewRequestSerializer, note_rule=not policy_rules_note
        )
        result = verdicts.claim_review(
            claim_id=claim.pk,
            to_status=data["status"],
            user=acting_user(request),
            expected_version=version,
            note=data["note"],
            evidence=[dict(e) for e in data["evidence"]],
        )
        response = self._detail(result.claim.pk)
        if result.awaiting_approval:
            # Accepted, not done: the claim keeps its status until a second reviewer approves.
            response.status_code = 202
        return response

    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        claim = self.get_object()
        body = DecisionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = verdicts.verdict_approve(
            claim_id=claim.pk,
            approval_id=body.validated_data.get("approval"),
            user=acting_user(request),
            note=body.validated_data["note"],
        )
        return self._detail(result.claim.pk)

    @action(detail=True, methods=["post"], url_path="send-back", filterset_class=None)
    def send_back(self, request, pk=None):
        claim = self.get_object()
        body = DecisionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        verdicts.verdict_send_back(
            claim_id=claim.pk,
            approval_id=body.validated_data.get("approval"),
            user=acting_user(request),
            note=body.validated_data["note"],
        )
        return self._detail(claim.pk)

    @action(detail=True, methods=["post"], filterset_class=None)
    def undo(self, request, pk=None):
        claim = self.get_object()
        body = UndoRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = ClaimStatusChange.objects.filter(
            claim_id=claim.pk, version=body.validated_data["version"]
        ).first()
        if change is None:
            raise ValidationError(
                {"version": [f"Claim {claim.pk} has no status change with this version."]}
            )
        verdicts.claim_undo(change_id=change.pk, user=acting_user(request))
        return self._detail(claim.pk)

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
        updated = claim_assign(
            claim_id=claim.pk,
            assignee=assignee,
            user=acting_user(request),
            expected_version=version,
        )
        return self._detail(updated.pk)

    @action(detail=True, methods=["post"], filterset_class=None)
    def attribution(self, request, pk=None):
        claim = self.get_object()
        data, version = validated_body(request, AttributionRequestSerializer)
        try:
            updated = claim_correct_attribution(
                claim_id=claim.pk,
                claimer=data.get("claimer"),
                claim_type=data.get("claim_type"),
                user=acting_user(request),
                expected_version=version,
            )
        except InvalidCorrection as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
        return self._detail(updated.pk)

    @action(detail=True, methods=["get"], filterset_class=None)
    def claimreview(self, request, pk=None):
        claim = self.get_object()
        # The public page's own record (publishing.claimreview): only a published verdict,
        # and its url is that page on SITE_URL, whatever host the API was asked on.
        publication = publication_for_page(claim_id=claim.pk)
        data = claim_review(publication=publication) if publication else None
        if data is None:
            raise NotFound(
                f"Claim {claim.pk} has no published fact-check (it is {claim.status}"
                f"{', withdrawn' if publication else ', not published'})."
            )
        return Response(data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        claim = self.get_object()
        body = PublishRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = publication_publish(
            claim_id=claim.pk,
            user=acting_user(request),
            rationale=body.validated_data.get("rationale"),
        )
        return Response(PublicationSerializer(publication_for_page(claim_id=publication.pk)).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def unpublish(self, request, pk=None):
        claim = self.get_object()
        body = WithdrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = publication_withdraw(
            claim_id=claim.pk, user=acting_user(request), note=body.validated_data.get("note", "")
        )
        return Response(PublicationSerializer(publication_for_page(claim_id=publication.pk)).data)

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
