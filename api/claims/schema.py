"""The OpenAPI description of the claims endpoints, applied to ClaimViewSet in one decorator.

Kept apart from the views so they read as what they do; drf-spectacular merges these with what
it infers from the serializers, filters and paginators.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from api.claims.publication import (
    PublicationSerializer,
    PublishRequestSerializer,
    WithdrawRequestSerializer,
)
from api.claims.serializers import (
    AssignRequestSerializer,
    AttributionRequestSerializer,
    ChangesPageSerializer,
    ClaimConflictSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    DecisionRequestSerializer,
    ReviewRequestSerializer,
    StatusChangeSerializer,
    UndoRequestSerializer,
)
from api.errors import COMMON_OBJECT_ERRORS, COMMON_READ_ERRORS, ERR_400, LIST_ERRORS
from api.matches.schema import MATCH_DECISION_SCHEMA, MATCHES_SCHEMA
from api.schema import PAGE_SIZE_PARAMETER

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

ERR_409_APPROVAL = OpenApiResponse(
    ClaimConflictSerializer,
    description=(
        "The decision cannot be made now: already decided by someone else (`approval_decided`), "
        "nothing awaiting approval (`no_pending_approval`), the claim moved since the verdict "
        "was submitted (`approval_outdated`), or an undo refused (`undo_refused`); `current` "
        "is the claim as it is now."
    ),
)

claim_schema = extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description=(
            "Claims, best check-worthiness first. Filters combine with AND. "
            "`?format=csv` (or `Accept: text/csv`) streams all matching rows as CSV instead."
        ),
        parameters=[CSV_FORMAT, PAGE_SIZE_PARAMETER],
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
    history=extend_schema(
        summary="A claim's status history",
        description="Every status change, oldest first, with who, when, the note and evidence.",
        responses={200: StatusChangeSerializer(many=True), **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
    matches=MATCHES_SCHEMA,
    match_decision=MATCH_DECISION_SCHEMA,
    review=extend_schema(
        summary="Review a claim (set its status)",
        description=(
            "Moves the claim to `status` through the same service as the reviewer UI, under the "
            "desk's verdict policy. Send the version you reviewed as `If-Match` (the detail's "
            "ETag) or `version`. A no-op when the status is unchanged. `note` is required for "
            "disputed and unconfirmed; the policy may ask for a rationale of N characters "
            "(`note`) and an evidence link (`evidence`): a 400 names each one missing. A verdict "
            "the policy sends to a second reviewer answers 202: the claim keeps its status and "
            "shows it under `awaiting_approval` until another reviewer approves it. Tokens "
            "without a user cannot review (403)."
        ),
        parameters=[IF_MATCH],
        request=ReviewRequestSerializer,
        responses={
            200: ClaimDetailSerializer,
            202: OpenApiResponse(
                ClaimDetailSerializer,
                description="The verdict awaits a second reviewer (`awaiting_approval`).",
            ),
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
    ),
    approve=extend_schema(
        summary="Approve the verdict awaiting approval",
        description=(
            "A second reviewer approves the claim's verdict in `awaiting_approval`: the claim "
            "moves to it, and the history names both the submitter (`submitted_by`) and you "
            "(`changed_by`). Nobody approves their own verdict (403 `self_approval`). Two "
            "approvers at once: one wins, the other gets 409 `approval_decided`."
        ),
        request=DecisionRequestSerializer,
        responses={
            200: ClaimDetailSerializer,
            400: ERR_400,
            409: ERR_409_APPROVAL,
            **COMMON_OBJECT_ERRORS,
        },
        filters=False,
    ),
    send_back=extend_schema(
        summary="Send the verdict awaiting approval back",
        description=(
            "Sends the claim's verdict in `awaiting_approval` back to its reviewer with a "
            "`note` (required); the claim keeps its status. The submitter may withdraw their "
            "own verdict this way."
        ),
        request=DecisionRequestSerializer,
        responses={
            200: ClaimDetailSerializer,
            400: ERR_400,
            409: ERR_409_APPROVAL,
            **COMMON_OBJECT_ERRORS,
        },
        filters=False,
    ),
    undo=extend_schema(
        summary="Undo your latest verdict",
        description=(
            "Within UNDO_WINDOW_SECONDS (default 600) the reviewer who set a verdict can undo "
            "it: a new status change back to the previous status, referencing the undone one "
            "(`undoes` in the history). `version` is the version the change made; refused with "
            "409 `undo_refused` if the claim changed since, the window passed, it was not "
            "your change, or it was already undone."
        ),
        request=UndoRequestSerializer,
        responses={
            200: ClaimDetailSerializer,
            400: ERR_400,
            409: ERR_409_APPROVAL,
            **COMMON_OBJECT_ERRORS,
        },
        filters=False,
    ),
    assign=extend_schema(
        summary="Assign a claim to a reviewer",
        description="`assignee` is a username (a user who may review), or null to unassign.",
        parameters=[IF_MATCH],
        request=AssignRequestSerializer,
        responses={200: ClaimDetailSerializer, 400: ERR_400, 412: ERR_412, **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
    attribution=extend_schema(
        summary="Correct a claim's claimer and type",
        description=(
            "A reviewer's correction: `claimer` and/or `claim_type`. Each changed field gets a "
            "history row and is kept when proposal re-runs on the article. A no-op when "
            "nothing changes. Send the version as `If-Match` or `version`."
        ),
        parameters=[IF_MATCH],
        request=AttributionRequestSerializer,
        responses={200: ClaimDetailSerializer, 400: ERR_400, 412: ERR_412, **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
    claimreview=extend_schema(
        summary="schema.org ClaimReview of a published fact-check",
        description=(
            "The JSON-LD of the claim's public fact-check page (`application/ld+json`), the "
            "same record the page carries; `url` is that page on SITE_URL. The rating scale is "
            "1 = disputed, 2 = unconfirmed, 3 = verified; `alternateName` is the public label "
            "(PUBLIC_VERDICT_LABELS). 404 unless the verdict is published (not withdrawn)."
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
    ),
    publish=extend_schema(
        summary="Publish the claim's verdict (or update its public rationale)",
        description=(
            "Makes the fact-check public at `url` (no login). Only a claim with a verdict; "
            "publishing again with a new rationale updates it. Recorded in the publishing "
            "history. 409 `not_publishable` for a claim without a verdict."
        ),
        request=PublishRequestSerializer,
        responses={200: PublicationSerializer, 400: ERR_400, **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
    unpublish=extend_schema(
        summary="Withdraw the claim's public fact-check",
        description=(
            "The public page stays, with a notice of the withdrawal, and loses its ClaimReview. "
            "409 `not_published` when it is not published."
        ),
        request=WithdrawRequestSerializer,
        responses={200: PublicationSerializer, 400: ERR_400, **COMMON_OBJECT_ERRORS},
        filters=False,
    ),
    changes=extend_schema(
        summary="Changes feed",
        description=(
            "Claims in the order they last changed, `(updated_at, id)`, after `cursor` (or "
            "`updated_after`). Follow `next` while `has_more`; then store `cursor` and poll with "
            "it later: no change is missed or repeated, even many in one second. Changes show "
            "up after a settle delay of a couple of seconds. Accepts the list filters."
        ),
        parameters=[CURSOR, PAGE_SIZE_PARAMETER],
        responses={200: ChangesPageSerializer, 400: ERR_400, **COMMON_READ_ERRORS},
    ),
)
