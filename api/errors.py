"""One JSON error format for every API error, and its OpenAPI description.

Every error body is ``{"status": 404, "code": "not_found", "message": "...", "fields": {...}}``;
``fields`` (field name -> list of messages, nested for lists of objects) is present on 400s
with field errors, and some errors add context (a 409/412 carries the claim's ``current``
state). The services' own errors (StaleVersion, WebhookInvalid...) are mapped to HTTP here,
once, in DOMAIN_ERRORS: views call the service and let them through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

from articles.services import ImportBatchTooLarge
from claims.review import (
    ApprovalDecided,
    ApprovalOutdated,
    ApprovalPending,
    DecisionNoteRequired,
    NoPendingApproval,
    PolicyUnmet,
    SelfApproval,
    UndoRefused,
)
from claims.services import (
    ALLOWED_TRANSITIONS,
    IllegalTransition,
    InvalidEvidence,
    NoteRequired,
    StaleVersion,
)
from integrations.services import WebhookInvalid
from matching.decisions import MatchNotOpen, ReasonRequired
from publishing.services import InvalidRationale, NotPublishable, NotPublished

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An API error with a code and extra keys merged into the error body."""

    def __init__(self, message: str, *, code: str, status_code: int, **extra):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.extra = extra


def _flatten_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = _flatten_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
        return "Invalid input."
    if isinstance(detail, list):
        for item in detail:
            inner = _flatten_message(item)
            if inner:
                return inner
        return "Invalid input."
    return str(detail)


def _plain(detail):
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_plain(v) for v in detail]
    return str(detail)


def error_body(status_code: int, code: str, message: str, **extra) -> dict:
    return {"status": status_code, "code": code, "message": message, **extra}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


def request_too_large() -> ApiError:
    """The 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, naming the limits behind it."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(
        f"The request body is larger than the limit of {_megabytes(limit)}. Send at most "
        f"{settings.IMPORT_BULK_LIMIT} articles per request, each up to "
        f"{_megabytes(settings.IMPORT_MAX_BYTES)}, in more requests if need be.",
        code="too_large",
        status_code=413,
        max_bytes=limit,
    )


@dataclass(frozen=True, slots=True)
class DomainError:
    """How a service's exception answers over HTTP.

    ``field`` (a name, or a function of the exception naming it) makes it a 400 with the
    message under that field, exactly like a serializer's error, and ``fields`` (a function of
    the exception giving field -> message) a 400 naming several; otherwise it is an ApiError
    with ``status`` and ``code``, plus the ``details(exc)`` keys and, with ``current``, the object's
    state now as the view renders it (``view.current_state(exc)``), so a client can retry.
    """

    status: int = 400
    code: str = "invalid"
    field: str | Callable[[Exception], str] | None = None
    fields: Callable[[Exception], dict[str, str]] | None = None
    details: Callable[[Exception], dict] | None = None
    current: bool = False


# Every domain error the API can meet, mapped to HTTP once (the views just call the service).
DOMAIN_ERRORS: dict[type[Exception], DomainError] = {
    StaleVersion: DomainError(412, "stale_version", current=True),
    IllegalTransition: DomainError(
        409,
        "illegal_transition",
        details=lambda exc: {
            "from_status": exc.from_status,
            "to_status": exc.to_status,
            "allowed": sorted(ALLOWED_TRANSITIONS[exc.from_status]),
        },
        current=True,
    ),
    NoteRequired: DomainError(field="note"),
    # The verdict policy (claims.review): what a verdict lacks, per field (note, evidence).
    PolicyUnmet: DomainError(fields=lambda exc: exc.missing),
    DecisionNoteRequired: DomainError(field="note"),
    SelfApproval: DomainError(403, "self_approval"),
    ApprovalPending: DomainError(
        409,
        "approval_pending",
        details=lambda exc: {"approval": exc.approval.pk},
        current=True,
    ),
    ApprovalDecided: DomainError(
        409,
        "approval_decided",
        details=lambda exc: {"approval": exc.approval.pk, "state": exc.approval.state},
        current=True,
    ),
    ApprovalOutdated: DomainError(409, "approval_outdated", current=True),
    NoPendingApproval: DomainError(409, "no_pending_approval", current=True),
    UndoRefused: DomainError(409, "undo_refused", current=True),
    InvalidEvidence: DomainError(field="evidence"),
    ImportBatchTooLarge: DomainError(field="non_field_errors"),
    WebhookInvalid: DomainError(field=lambda exc: exc.field),
    NotPublishable: DomainError(409, "not_publishable"),
    NotPublished: DomainError(409, "not_published"),
    InvalidRationale: DomainError(field="rationale"),
    ReasonRequired: DomainError(field="reason"),
    MatchNotOpen: DomainError(409, "match_not_open"),
}


def _domain_error(exc: Exception, context) -> exceptions.APIException | None:
    """The API exception for a domain error in DOMAIN_ERRORS (nearest class first), or None."""
    mapping = next((DOMAIN_ERRORS[cls] for cls in type(exc).__mro__ if cls in DOMAIN_ERRORS), None)
    if mapping is None:
        return None
    if mapping.fields is not None:
        return exceptions.ValidationError(
            {field: [message] for field, message in mapping.fields(exc).items()}
        )
    if mapping.field is not None:
        field = mapping.field(exc) if callable(mapping.field) else mapping.field
        return exceptions.ValidationError({field: [str(exc)]})
    extra = mapping.details(exc) if mapping.details else {}
    if mapping.current:
        extra["current"] = context["view"].current_state(exc)
    return ApiError(str(exc), code=mapping.code, status_code=mapping.status, **extra)


def api_exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: render every error in the one format above."""
    exc = _domain_error(exc, context) or exc
    if isinstance(exc, RequestDataTooBig):
        exc = request_too_large()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format == "csv":
        # An error answers in JSON even when the client asked for CSV.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return JsonResponse(error_body(500, "server_error", "Internal server error."), status=500)
    if isinstance(exc, ApiError):
        body = error_body(exc.status_code, exc.code, str(exc.detail), **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        body = error_body(400, "invalid", _flatten_message(detail))
        body["fields"] = _plain(detail) if isinstance(detail, dict) else {}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        body = error_body(response.status_code, code, _flatten_message(detail))
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["retry_after"] = int(exc.wait + 0.999)
    response.data = body
    return response


# No CSRF check: there is nothing to protect, and a POST to an unknown API path must get the
# API's JSON 404, not Django's HTML 403.
@csrf_exempt
def not_found_view(request, *args, **kwargs):
    """JSON 404 for any path under /api/v1/ that matches no endpoint."""
    return JsonResponse(error_body(404, "not_found", "No API endpoint at this path."), status=404)


# --- OpenAPI --------------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {}},
                {"type": "object"},
                {"type": "string"},
            ]
        },
        "example": {"note": ["A note is required to mark a claim disputed."]},
    }
)
class FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(
        help_text="Machine-readable error code, e.g. invalid, not_authenticated, "
        "permission_denied, not_found, stale_version, illegal_transition, throttled."
    )
    message = serializers.CharField(help_text="A sentence for humans.")
    fields = FieldErrorsField(
        required=False, help_text="On 400: field name -> list of error messages."
    )
    retry_after = serializers.IntegerField(required=False, help_text="On 429: seconds to wait.")
    max_bytes = serializers.IntegerField(
        required=False, help_text="On 413: the largest request body accepted, in bytes."
    )


def error_response(description: str, serializer=ErrorSerializer) -> OpenApiResponse:
    return OpenApiResponse(response=serializer, description=description)


ERR_400 = error_response("Invalid input: `fields` holds the errors per field.")
ERR_401 = error_response("No credentials, or an invalid or revoked token.")
ERR_403 = error_response("The token's scope or the user's role does not allow this.")
ERR_404 = error_response("No such object.")
ERR_429 = error_response("Too many requests for this token; see `Retry-After`.")
ERR_413 = error_response("The request body is over the limit in `max_bytes`.")

ERR_PAGE_404 = error_response("No such page (past the last one).")
COMMON_READ_ERRORS = {401: ERR_401, 403: ERR_403, 429: ERR_429}
LIST_ERRORS = {400: ERR_400, 404: ERR_PAGE_404, **COMMON_READ_ERRORS}
COMMON_OBJECT_ERRORS = {**COMMON_READ_ERRORS, 404: ERR_404}
