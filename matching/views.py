"""Match pages and actions: the "verdict changed" and conflicts queues, and a claim's matches
(inherit a verdict, unlink a wrong match, keep a flagged claim's status).

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
    redirect_to_next_claim,
    render_claim_page,
    require,
    require_entry,
)
from matching import selectors, verdicts
from matching.forms import InheritForm, UnlinkForm
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
    """Give a claim the verdict of a matching claim, recorded as inherited; then go on."""
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
        f"#{form.cleaned_data['source']}.",
    )
    return redirect_to_next_claim(request, claim, queue_form)


@login_required
@require_POST
def match_unlink(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Record that a proposed match is wrong; it stops being shown and linked."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    match_id = form.cleaned_data["match"]
    if not ClaimMatch.objects.filter(
        Q(claim_id=claim_id) | Q(other_id=claim_id), pk=match_id
    ).exists():
        raise Http404("No such match for this claim.")
    verdicts.claim_unlink_match(
        match_id=match_id, user=request.user, note=form.cleaned_data["note"]
    )
    messages.success(request, "The match was unlinked; the change is recorded.")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))
