"""The second-reviewer flow in the workspace: the "Awaiting approval" page, approve, send
back, and undo of one's own verdict. Plain form POSTs that redirect; htmx gets HX-Redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import review, selectors, services
from claims.models import Claim, ClaimStatusChange
from claims.views.common import (
    NO_REVIEW,
    S,
    can_review,
    claim_url,
    conflict_message,
    queue_form_from,
    render_claim_page,
    require,
    require_entry,
    respond_done,
)
from factcheck.parsing import parse_int
from factcheck.users import username

# Where a decision returns to: the approvals page, or the claim page (the default).
FROM_APPROVALS = "approvals"


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """Verdicts awaiting a second reviewer, oldest first, with approve and send-back forms."""
    require_entry(request)
    pending = selectors.pending_approvals()
    return render(
        request,
        "claims/approvals.html",
        {
            "approvals": pending,
            "can_review": can_review(request.user),
            "page_size": selectors.APPROVALS_PAGE_SIZE,
        },
    )


def _failed(request, claim_id: int, message: str, status: int) -> HttpResponse:
    """A refused decision: back on the approvals page with the message, or the claim page."""
    if request.POST.get("from") == FROM_APPROVALS:
        messages.error(request, message)
        return respond_done(request, reverse("claims:approvals"))
    queue_form = queue_form_from(request.POST.get("queue", ""))
    return render_claim_page(request, claim_id, queue_form, status=status, error=message)


def _done(request, claim_id: int) -> HttpResponse:
    if request.POST.get("from") == FROM_APPROVALS:
        return respond_done(request, reverse("claims:approvals"))
    queue_form = queue_form_from(request.POST.get("queue", ""))
    return respond_done(request, claim_url(claim_id, queue_form.query_string()))


# The refusals a decision can meet, and the status each answers with.
DECISION_ERRORS: dict[type[Exception], int] = {
    review.SelfApproval: 403,
    review.DecisionNoteRequired: 400,
    review.NoPendingApproval: 409,
    review.ApprovalDecided: 409,
    review.ApprovalOutdated: 409,
    services.StaleVersion: 409,
}


@login_required
@require_POST
def approval_approve(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Approve the claim's verdict awaiting approval (not one's own)."""
    require(can_review(request.user), NO_REVIEW)
    approval_id = parse_int(request.POST.get("approval", ""))
    try:
        result = review.verdict_approve(
            claim_id=claim_id,
            approval_id=approval_id,
            user=request.user,
            note=request.POST.get("decision_note", "")[: review.DECISION_NOTE_MAX],
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except tuple(DECISION_ERRORS) as exc:
        message = conflict_message(exc) if isinstance(exc, services.StaleVersion) else str(exc)
        return _failed(request, claim_id, message, DECISION_ERRORS[type(exc)])
    approval = result.approval
    messages.success(
        request,
        f"Claim #{claim_id} marked “{S(approval.to_status).label}”: you approved "
        f"{username(approval.submitted_by, 'someone')}'s verdict.",
    )
    return _done(request, claim_id)


@login_required
@require_POST
def approval_send_back(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Send the claim's verdict awaiting approval back to its reviewer, with a note."""
    require(can_review(request.user), NO_REVIEW)
    approval_id = parse_int(request.POST.get("approval", ""))
    note = request.POST.get("decision_note", "")
    if len(note) > review.DECISION_NOTE_MAX:
        return _failed(
            request,
            claim_id,
            f"The note is longer than {review.DECISION_NOTE_MAX} characters.",
            400,
        )
    try:
        approval = review.verdict_send_back(
            claim_id=claim_id, approval_id=approval_id, user=request.user, note=note
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except tuple(DECISION_ERRORS) as exc:
        return _failed(request, claim_id, str(exc), DECISION_ERRORS[type(exc)])
    messages.success(
        request,
        f"Claim #{claim_id}: the “{S(approval.to_status).label}” verdict was sent back to "
        f"{username(approval.submitted_by, 'its reviewer')}; the claim's status is unchanged.",
    )
    return _done(request, claim_id)


@login_required
@require_POST
def claim_undo(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Undo one's own latest verdict on a claim within UNDO_WINDOW_SECONDS."""
    require(can_review(request.user), NO_REVIEW)
    change_id = parse_int(request.POST.get("change", ""))
    queue_form = queue_form_from(request.POST.get("queue", ""))
    if (
        change_id is None
        or not ClaimStatusChange.objects.filter(pk=change_id, claim_id=claim_id).exists()
    ):
        raise Http404("No such change on this claim.")
    try:
        result = review.claim_undo(change_id=change_id, user=request.user)
    except review.UndoRefused as exc:
        request.session.pop("undo_change", None)
        return render_claim_page(request, claim_id, queue_form, status=409, error=str(exc))
    request.session.pop("undo_change", None)
    messages.success(
        request,
        f"Undone: claim #{claim_id} is “{S(result.claim.status).label}” again.",
    )
    return respond_done(request, claim_url(claim_id, queue_form.query_string()))
