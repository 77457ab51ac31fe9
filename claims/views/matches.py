"""Matching queues: claims whose inherited verdict changed, and conflicting figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import matching
from claims.views.common import NO_REVIEW, can_review, require, require_entry

# The queues are worked from the top; a longer backlog is reached as the top is resolved.
QUEUE_LIMIT = 100


@login_required
@require_GET
def verdict_changed(request: HttpRequest) -> HttpResponse:
    """Claims that inherited a verdict which has since changed at its source."""
    require_entry(request)
    rows = list(matching.rereview_queue()[: QUEUE_LIMIT + 1])
    return render(
        request,
        "claims/verdict_changed.html",
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
    rows = list(matching.conflict_queue()[: QUEUE_LIMIT + 1])
    return render(
        request,
        "claims/conflicts.html",
        {"rows": rows[:QUEUE_LIMIT], "more": len(rows) > QUEUE_LIMIT},
    )


@login_required
@require_POST
def rereview_resolve(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Keep a flagged claim's current status: the reviewer looked and it still holds."""
    require(can_review(request.user), NO_REVIEW)
    resolved = matching.claim_resolve_rereview(claim_id=claim_id, user=request.user)
    if resolved:
        messages.success(request, f"Claim #{claim_id} keeps its status; removed from this queue.")
    else:
        messages.info(request, f"Claim #{claim_id} was no longer flagged.")
    return HttpResponseRedirect(reverse("claims:verdict_changed"))
