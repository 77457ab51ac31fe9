"""Match pages and actions: the "verdict changed" and conflicts queues, and a claim's matches
(inherit a verdict; confirm, reject or unlink a match; "not a conflict"; keep a flagged
claim's status).

The actions answer as the claim page's own do (claims.views.common): a redirect, or the page
again with the error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import services
from claims.models import Claim
from claims.views.common import (
    NO_REVIEW,
    S,
    can_review,
    claim_url,
    conflict_message,
    form_errors_by_field,
    queue_form_from,
    render_claim_page,
    require,
    require_entry,
    respond_done,
)
from matching import decisions, selectors, verdicts
from matching.forms import DecisionForm, InheritForm
from matching.models import ClaimMatch

# The queues are worked from the top; a longer backlog is reached as the top is resolved.
QUEUE_LIMIT = 100


@login_required
@require_GET
def verdict_changed(request: HttpRequest) -> HttpResponse:
    """Claims that inherited a verdict which has since changed at its source."""
    require_entry(request)
    rows = list(selectors.rereview_queue()[: QUEUE_LIMIT + 1])
    return render(
        request,
        "matching/verdict_changed.html",
        {
            "rows": rows[:QUEUE_LIMIT],
            "more": len(rows) > QUEUE_LIMIT,
            "can_review": can_review(request.user),
        },
    )


@login_required
@require_GET
def conflicts(request: HttpRequest) -> HttpResponse:
    """Claims in different articles that give different figures for the same quantity."""
    require_entry(request)
    rows = list(selectors.conflict_queue()[: QUEUE_LIMIT + 1])
    return render(
        request,
        "matching/conflicts.html",
        {"rows": rows[:QUEUE_LIMIT], "more": len(rows) > QUEUE_LIMIT},
    )


@login_required
@require_POST
def rereview_resolve(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Keep a flagged claim's current status: the reviewer looked and it still holds."""
    require(can_review(request.user), NO_REVIEW)
    resolved = verdicts.claim_resolve_rereview(claim_id=claim_id, user=request.user)
    if resolved:
        messages.success(request, f"Claim #{claim_id} keeps its status; removed from this queue.")
    else:
        messages.info(request, f"Claim #{claim_id} was no longer flagged.")
    return HttpResponseRedirect(reverse("matching:verdict_changed"))


@login_required
@require_POST
def claim_inherit(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Give a claim the verdict of a matching claim, recorded as inherited; stay on the claim."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = InheritForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    try:
        claim = verdicts.claim_apply_inherited_verdict(
            claim_id=claim_id,
            source_claim_id=form.cleaned_data["source"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return render_claim_page(
            request, claim_id, queue_form, status=409, conflict=conflict_message(exc)
        )
    except (
        verdicts.NotMatched,
        verdicts.NothingToInherit,
        services.IllegalTransition,
        services.NoteRequired,
    ) as exc:
        return render_claim_page(request, claim_id, queue_form, status=409, error=str(exc))
    messages.success(
        request,
        f"Claim #{claim.pk} marked “{S(claim.status).label}”, inherited from claim "
        f"#{form.cleaned_data['source']}, with its evidence.",
    )
    # The reviewer was judging this claim: they stay on it (not the source, not the next one).
    return respond_done(request, claim_url(claim_id, queue_form.query_string()))


# action -> (the service, what the button says, the success message, what a reason is for).
# Confirm is one click; the others take a reason and a confirmation step.
ACTIONS = {
    "confirm": (decisions.match_confirm, "Confirm match", "The match is confirmed.", ""),
    "reject": (
        decisions.match_reject,
        "Yes, reject this suggestion",
        "The suggestion was rejected; it will not be proposed again.",
        "reject a match",
    ),
    "unlink": (
        verdicts.claim_unlink_match,
        "Yes, unlink this match",
        "The match was unlinked; the change is recorded and it will not be proposed again.",
        "unlink a match",
    ),
    "not_conflict": (
        decisions.conflict_dismiss,
        "Yes, this is not a conflict",
        "Marked “not a conflict”; it will not be flagged again.",
        "mark this not a conflict",
    ),
}


@login_required
@require_POST
def match_decide(request: HttpRequest, claim_id: int, action: str) -> HttpResponse:
    """Confirm, reject, unlink or "not a conflict" for one of the claim's matches.

    Reject, unlink and "not a conflict" need a reason and a second step: the first post shows
    what will happen with the reason given, and only its "Yes" button (``confirmed``) acts.
    """
    require(can_review(request.user), NO_REVIEW)
    if action not in ACTIONS:
        raise Http404("No such action.")
    service, button, done, purpose = ACTIONS[action]
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    match_id = form.cleaned_data["match"]
    match = (
        ClaimMatch.objects.filter(Q(claim_id=claim_id) | Q(other_id=claim_id), pk=match_id)
        .select_related("claim__article", "other__article")
        .first()
    )
    if match is None:
        raise Http404("No such match for this claim.")
    reason = form.cleaned_data["reason"]
    try:
        if action != "confirm":
            reason = decisions.clean_reason(reason, action=purpose)
            if not form.cleaned_data["confirmed"]:
                other = match.other if match.claim_id == claim_id else match.claim
                return render(
                    request,
                    "matching/confirm_decision.html",
                    {
                        "claim_id": claim_id,
                        "match": match,
                        "other": other,
                        "action": action,
                        "button": button,
                        "reason": reason,
                        "queue_query": queue_form.query_string(),
                    },
                )
        service(match_id=match_id, user=request.user, reason=reason)
    except decisions.ReasonRequired as exc:
        return render_claim_page(request, claim_id, queue_form, status=400, error=str(exc))
    except decisions.MatchNotOpen as exc:
        return render_claim_page(request, claim_id, queue_form, status=409, error=str(exc))
    messages.success(request, done)
    return respond_done(request, claim_url(claim_id, queue_form.query_string()))
