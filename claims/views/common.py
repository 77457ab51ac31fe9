"""Shared pieces of the workspace views: permissions, URLs, the claim page context."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format

from claims import review, selectors, services
from claims.forms import QueueFilterForm
from claims.highlight import claim_context
from claims.models import Claim, ClaimStatus, ClaimStatusChange, ClaimType
from factcheck.parsing import parse_int
from factcheck.users import username

S = ClaimStatus
# The verdict buttons in screen order, with their keyboard shortcut.
VERDICT_BUTTONS = [
    (S.VERIFIED, "Verified", "v"),
    (S.DISPUTED, "Disputed", "d"),
    (S.UNCONFIRMED, "Unconfirmed", "u"),
    (S.DISMISSED, "Dismiss", "x"),
]
NO_ACCESS = (
    "Your account is signed in but is not in the Reviewers or Editors group, so it cannot use "
    "the fact-check workspace. Ask an administrator to add you to one of them."
)
NO_REVIEW = "Only Reviewers can change a claim's status, notes, evidence or assignment."
NO_RERUN = "Only Editors can re-run claim proposal."


# --- permissions ----------------------------------------------------------------------------


def can_enter(user) -> bool:
    return user.is_active and (user.is_staff or user.has_perm("claims.view_claim"))


def can_review(user) -> bool:
    return user.is_active and user.has_perm("claims.review_claim")


def can_rerun(user) -> bool:
    return user.is_active and user.has_perm("articles.rerun_proposal")


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_entry(request: HttpRequest) -> None:
    require(can_enter(request.user), NO_ACCESS)


# --- helpers --------------------------------------------------------------------------------


def queue_form_from(query: str | QueryDict) -> QueueFilterForm:
    data = query if isinstance(query, QueryDict) else QueryDict(query)
    return QueueFilterForm(data)


def claim_url(claim_id: int, queue_query: str = "") -> str:
    url = reverse("claims:claim", args=[claim_id])
    return f"{url}?{queue_query}" if queue_query else url


def queue_url(queue_query: str = "") -> str:
    url = reverse("claims:queue")
    return f"{url}?{queue_query}" if queue_query else url


def conflict_message(exc: services.StaleVersion) -> str:
    """What a reviewer who lost a race is told: the current state and who set it."""
    claim = exc.claim
    label = S(claim.status).label
    if claim.reviewed_by_id:
        when = date_format(claim.reviewed_at, "DATETIME_FORMAT") if claim.reviewed_at else ""
        by = f"set by {username(claim.reviewed_by, 'nobody')}" + (f" on {when}" if when else "")
    else:
        by = "not reviewed yet"
    return (
        f"Someone else changed this claim after you opened it, so your change was not saved. "
        f"It is now “{label}” ({by}); version {claim.version}. "
        f"Check its history, then submit again if you still want to change it."
    )


def claim_page_context(request: HttpRequest, claim: Claim, queue_form: QueueFilterForm, **extra):
    filters = queue_form.to_filters()
    queue_query = queue_form.query_string()
    previous_id, next_id = selectors.claim_queue_neighbours(
        claim=claim, filters=filters, user=request.user
    )
    reviewing = can_review(request.user)
    history = selectors.claim_history(claim_id=claim.pk)
    pending = review.pending_approval(claim_id=claim.pk)
    policy = review.verdict_policy()
    context = {
        "claim": claim,
        "article": claim.article,
        "paragraphs": claim_context(claim.article.body, claim.start, claim.end, claim),
        "history": history,
        "pending_approval": pending,
        "can_decide": reviewing and pending is not None,
        "own_pending": pending is not None and pending.submitted_by_id == request.user.pk,
        "policy_rules": policy_rules(policy),
        "undoable": undoable_changes(request, claim, history.changes) if reviewing else {},
        "evidence_links": [],
        "undo_change": undo_offer(request),
        "policy_missing": {},
        "queue_query": queue_query,
        "queue_url": queue_url(queue_query),
        "previous_url": claim_url(previous_id, queue_query) if previous_id else "",
        "next_url": claim_url(next_id, queue_query) if next_id else "",
        "can_review": reviewing,
        "can_rerun": can_rerun(request.user),
        "reviewers": selectors.reviewer_choices() if reviewing else [],
        "verdict_buttons": [
            (value, label, key, value in services.NOTE_REQUIRED)
            for value, label, key in VERDICT_BUTTONS
        ],
        "allowed": services.ALLOWED_TRANSITIONS[claim.status],
        "claim_types": ClaimType.choices,
        "note": "",
        "error": "",
        "conflict": "",
        "evidence_url": "",
        "evidence_title": "",
    }
    context.update(extra)
    return context


def policy_rules(policy) -> dict[str, str]:
    """Per verdict, what the desk's policy asks for, as a short phrase for the verdict form."""
    rules = {}
    for value in services.VERDICTS:
        parts = []
        if policy.needs_rationale(value):
            parts.append(f"a rationale of {policy.rationale_min_chars}+ characters")
        elif value in services.NOTE_REQUIRED:
            parts.append("a note")
        if policy.needs_evidence(value):
            parts.append("an evidence link")
        if policy.needs_approval(value):
            parts.append("a second reviewer's approval")
        rules[value] = ", ".join(parts)
    return rules


UNDO_SESSION_KEY = "undo_change"


def offer_undo(request: HttpRequest, change) -> None:
    """Remember the verdict just set, so the next page offers its Undo button."""
    request.session[UNDO_SESSION_KEY] = {"change": change.pk, "claim": change.claim_id}


def undo_offer(request: HttpRequest):
    """The change the message after a verdict offers to undo, while it still can be; else None."""
    offer = request.session.get(UNDO_SESSION_KEY)
    if not offer or not can_review(request.user):
        return None
    change = (
        ClaimStatusChange.objects.select_related("claim")
        .filter(pk=offer.get("change"), undone_by__isnull=True)
        .first()
    )
    if change is None or review.undo_refusal(
        change, user=request.user, claim_version=change.claim.version
    ):
        request.session.pop(UNDO_SESSION_KEY, None)
        return None
    return change


def undoable_changes(request: HttpRequest, claim: Claim, changes) -> dict[int, bool]:
    """The history rows this user may undo now (at most the latest one): change id -> True."""
    if not changes:
        return {}
    latest = changes[-1]
    if getattr(latest, "undone", False):
        return {}
    if review.undo_refusal(latest, user=request.user, claim_version=claim.version):
        return {}
    return {latest.pk: True}


def render_claim_page(
    request: HttpRequest, claim_id: int, queue_form, *, status: int = 200, **extra
):
    try:
        claim = selectors.claim_detail(claim_id=claim_id)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    context = claim_page_context(request, claim, queue_form, **extra)
    # htmx swaps the review panel only; a plain post gets the whole page.
    template = (
        "claims/partials/review_response.html" if request.htmx else "claims/claim_detail.html"
    )
    return render(request, template, context, status=status)


def respond_done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful action: a redirect, or for htmx a client-side redirect."""
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def redirect_to_next_claim(
    request: HttpRequest, claim: Claim, queue_form: QueueFilterForm
) -> HttpResponse:
    """After a verdict: open the next claim of the same filtered queue, or the queue itself."""
    _, next_id = selectors.claim_queue_neighbours(
        claim=claim, filters=queue_form.to_filters(), user=request.user
    )
    queue_query = queue_form.query_string()
    if next_id is None:
        messages.info(request, "That was the last claim in this queue.")
        return respond_done(request, queue_url(queue_query))
    return respond_done(request, claim_url(next_id, queue_query))


def form_errors_by_field(form) -> str:
    return " ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())


def resolve_assignee(request: HttpRequest, value: str):
    if value == "me":
        return request.user
    if value == "none":
        return None
    user_id = parse_int(value)
    user = None
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not can_review(user):
        raise ValueError("Claims can only be assigned to active reviewers.")
    return user


def form_errors_text(form) -> str:
    return " ".join(err for errs in form.errors.values() for err in errs)
