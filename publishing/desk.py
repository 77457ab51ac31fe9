"""The desk's publishing pages and actions: publish/withdraw from the claim page, and the
"corrections to make" queue (editors and staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.models import Claim
from claims.views.common import (
    NO_REVIEW,
    can_review,
    claim_url,
    form_errors_by_field,
    queue_form_from,
    render_claim_page,
    require,
)
from factcheck.navigation import invalidate_nav_counts
from publishing import selectors, services
from publishing.forms import CloseTaskForm, PublishForm, WithdrawForm
from publishing.models import CorrectionTask

QUEUE_LIMIT = 100
NO_CORRECTIONS = "Only Editors and staff work the corrections queue."


@login_required
@require_POST
def claim_publish(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Publish a claim's verdict (or update its public rationale)."""
    require(can_review(request.user), NO_REVIEW)
    form = PublishForm(request.POST)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    try:
        publication = services.publication_publish(
            claim_id=claim_id, user=request.user, rationale=form.cleaned_data["rationale"]
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except (services.NotPublishable, services.InvalidRationale) as exc:
        return render_claim_page(request, claim_id, queue_form, status=409, error=str(exc))
    page = selectors.fact_check_url(publication.claim_id)
    messages.success(request, f"Claim #{claim_id} is published: {page}")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def claim_unpublish(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Withdraw a published fact-check; its public page stays with a notice."""
    require(can_review(request.user), NO_REVIEW)
    form = WithdrawForm(request.POST)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    try:
        services.publication_withdraw(
            claim_id=claim_id, user=request.user, note=form.cleaned_data["note"]
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.NotPublished as exc:
        return render_claim_page(request, claim_id, queue_form, status=409, error=str(exc))
    messages.success(request, f"Claim #{claim_id}'s fact-check is withdrawn.")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))


@login_required
@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """Corrections to make: articles that repeat a claim whose published verdict changed."""
    if not selectors.can_see_corrections(request.user):
        raise PermissionDenied(NO_CORRECTIONS)
    rows = list(selectors.correction_queue()[: QUEUE_LIMIT + 1])
    return render(
        request,
        "publishing/corrections.html",
        {
            "rows": [
                {
                    "task": task,
                    "old_label": selectors.public_label(task.correction.old_status),
                    "new_label": selectors.public_label(task.correction.new_status),
                    "page_url": selectors.fact_check_url(task.correction.claim_id),
                }
                for task in rows[:QUEUE_LIMIT]
            ],
            "more": len(rows) > QUEUE_LIMIT,
            "closed": selectors.recently_closed_corrections(),
        },
    )


@login_required
@require_POST
def correction_close(request: HttpRequest, task_id: int) -> HttpResponse:
    """Close a correction to make (the article was corrected, or needs nothing)."""
    if not selectors.can_see_corrections(request.user):
        raise PermissionDenied(NO_CORRECTIONS)
    form = CloseTaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_by_field(form))
        return HttpResponseRedirect(reverse("publishing:corrections"))
    try:
        task = services.correction_task_close(
            task_id=task_id, user=request.user, note=form.cleaned_data["note"]
        )
    except CorrectionTask.DoesNotExist:
        raise Http404("No such correction to make.") from None
    except services.TaskClosed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"Closed: “{task.article.title[:80]}”.")
    invalidate_nav_counts(request.user.pk)
    return HttpResponseRedirect(reverse("publishing:corrections"))
