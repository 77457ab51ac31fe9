"""Workspace actions: verdicts, assignment, evidence, bulk changes, re-run.

Each is a plain form POST that redirects, so it works without JavaScript; htmx requests get
the re-rendered review panel (or an HX-Redirect) instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles import proposal_queue
from articles.models import Article
from claims import corrections, review, services
from claims.forms import (
    BULK_ASSIGN,
    BULK_ASSIGN_ME,
    BULK_DISMISS,
    BULK_UNASSIGN,
    AssignForm,
    AttributionForm,
    BulkActionForm,
    EvidenceForm,
    VerdictForm,
)
from claims.models import Claim
from claims.views.common import (
    NO_RERUN,
    NO_REVIEW,
    S,
    can_rerun,
    can_review,
    claim_url,
    conflict_message,
    form_errors_by_field,
    form_errors_text,
    offer_undo,
    queue_form_from,
    queue_url,
    redirect_to_next_claim,
    render_claim_page,
    require,
    resolve_assignee,
)
from factcheck.users import username


@login_required
@require_POST
def claim_set_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Record a verdict (or dismissal/reopening), then open the next claim of the queue."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = VerdictForm(request.POST)
    note = request.POST.get("note", "")
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, note=note, error=form_errors_by_field(form)
        )
    urls = request.POST.getlist("evidence_url")
    titles = request.POST.getlist("evidence_title")
    # A client may send URLs without titles: pad the titles, never drop a link.
    titles += [""] * (len(urls) - len(titles))
    evidence = [
        {"url": url, "title": title}
        for url, title in zip(urls, titles, strict=False)
        if url.strip()
    ]
    try:
        result = review.claim_review(
            claim_id=claim_id,
            to_status=form.cleaned_data["to_status"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            evidence=evidence,
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return render_claim_page(
            request, claim_id, queue_form, status=409, note=note, conflict=conflict_message(exc)
        )
    except review.PolicyUnmet as exc:
        return render_claim_page(
            request,
            claim_id,
            queue_form,
            status=400,
            note=note,
            error=str(exc),
            note_error="note" in exc.missing,
            policy_missing=exc.missing,
            evidence_links=evidence,
        )
    except (
        services.NoteRequired,
        services.IllegalTransition,
        services.InvalidEvidence,
        review.ApprovalPending,
    ) as exc:
        return render_claim_page(
            request,
            claim_id,
            queue_form,
            status=400 if isinstance(exc, services.NoteRequired) else 409,
            note=note,
            error=str(exc),
            note_error=isinstance(exc, services.NoteRequired),
            evidence_links=evidence,
        )
    claim = result.claim
    if result.awaiting_approval:
        messages.success(
            request,
            f"Claim #{claim.pk}: your “{S(result.approval.to_status).label}” verdict awaits "
            "approval by a second reviewer; its status is unchanged until then.",
        )
    else:
        messages.success(request, f"Claim #{claim.pk} marked “{S(claim.status).label}”.")
        if result.change is not None:
            offer_undo(request, result.change)
    return redirect_to_next_claim(request, claim, queue_form)


@login_required
@require_POST
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Assign a claim to me, to another reviewer, or to nobody."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = AssignForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    try:
        assignee = resolve_assignee(request, form.assignee_value())
        services.claim_assign(
            claim_id=claim_id,
            assignee=assignee,
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValueError as exc:
        return render_claim_page(request, claim_id, queue_form, status=400, error=str(exc))
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return render_claim_page(
            request, claim_id, queue_form, status=409, conflict=conflict_message(exc)
        )
    if request.htmx:
        return render_claim_page(
            request, claim_id, queue_form, flash=f"Assigned to {username(assignee, 'nobody')}."
        )
    messages.success(request, f"Claim #{claim_id} assigned to {username(assignee, 'nobody')}.")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def claim_correct_attribution(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Correct a claim's claimer and type; kept when proposal re-runs (claims.corrections)."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = AttributionForm(request.POST)
    if not form.is_valid():
        return render_claim_page(
            request, claim_id, queue_form, status=400, error=form_errors_by_field(form)
        )
    try:
        corrections.claim_correct_attribution(
            claim_id=claim_id,
            claimer=form.cleaned_data["claimer"],
            claim_type=form.cleaned_data["claim_type"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return render_claim_page(
            request, claim_id, queue_form, status=409, conflict=conflict_message(exc)
        )
    except corrections.InvalidCorrection as exc:
        return render_claim_page(request, claim_id, queue_form, status=400, error=str(exc))
    if request.htmx:
        return render_claim_page(request, claim_id, queue_form, flash="Claimer and type saved.")
    messages.success(request, f"Claim #{claim_id}: claimer and type saved.")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def claim_add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Attach an evidence link (http/https only) to a claim."""
    require(can_review(request.user), NO_REVIEW)
    queue_form = queue_form_from(request.POST.get("queue", ""))
    form = EvidenceForm(request.POST)
    url, title = request.POST.get("url", ""), request.POST.get("title", "")
    if not form.is_valid():
        return render_claim_page(
            request,
            claim_id,
            queue_form,
            status=400,
            error=form_errors_by_field(form),
            evidence_url=url,
            evidence_title=title,
        )
    if not Claim.objects.filter(pk=claim_id).exists():
        raise Http404("No such claim.")
    try:
        services.claim_add_evidence(
            claim_id=claim_id,
            url=form.cleaned_data["url"],
            title=form.cleaned_data["title"],
            user=request.user,
        )
    except services.InvalidEvidence as exc:
        return render_claim_page(
            request,
            claim_id,
            queue_form,
            status=400,
            error=str(exc),
            evidence_url=url,
            evidence_title=title,
        )
    if request.htmx:
        return render_claim_page(request, claim_id, queue_form, flash="Evidence added.")
    messages.success(request, "Evidence added.")
    return HttpResponseRedirect(claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Assign, unassign or dismiss several queue claims; each goes through the services."""
    require(can_review(request.user), NO_REVIEW)
    queue_query = queue_form_from(request.POST.get("queue", "")).query_string()
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return HttpResponseRedirect(queue_url(queue_query))
    action = form.cleaned_data["action"]
    assignee = None
    if action == BULK_ASSIGN_ME:
        assignee = request.user
    elif action == BULK_ASSIGN:
        try:
            assignee = resolve_assignee(request, str(form.cleaned_data["assignee"]))
        except ValueError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(queue_url(queue_query))
    done, problems = 0, []
    for claim_id, version in form.expected_versions().items():
        try:
            if action == BULK_DISMISS:
                services.claim_set_status(
                    claim_id=claim_id,
                    to_status=S.DISMISSED,
                    user=request.user,
                    expected_version=version,
                )
            elif action in (BULK_ASSIGN_ME, BULK_ASSIGN, BULK_UNASSIGN):
                services.claim_assign(
                    claim_id=claim_id,
                    assignee=assignee,
                    user=request.user,
                    expected_version=version,
                )
            done += 1
        except Claim.DoesNotExist:
            problems.append(f"Claim #{claim_id} no longer exists.")
        except services.StaleVersion as exc:
            now = S(exc.claim.status).label
            problems.append(
                f"Claim #{claim_id} was not changed: someone changed it after you loaded the "
                f"queue (now “{now}”, last set by {username(exc.claim.reviewed_by, 'nobody')})."
            )
        except services.IllegalTransition as exc:
            problems.append(
                f"Claim #{claim_id} was not changed: a {S(exc.from_status).label.lower()} claim "
                f"cannot be dismissed; reopen it first."
            )
    verb = {
        BULK_DISMISS: "dismissed",
        BULK_UNASSIGN: "unassigned",
        BULK_ASSIGN_ME: f"assigned to {username(assignee, 'nobody')}",
        BULK_ASSIGN: f"assigned to {username(assignee, 'nobody')}",
    }[action]
    if done:
        messages.success(request, f"{done} claim{'s' if done != 1 else ''} {verb}.")
    for problem in problems:
        messages.warning(request, problem)
    return HttpResponseRedirect(queue_url(queue_query))


@login_required
@require_POST
def article_rerun(request: HttpRequest, article_id: int) -> HttpResponse:
    """Queue claim proposal again for an article (Editors); reviewed claims are kept."""
    require(can_rerun(request.user), NO_RERUN)
    try:
        proposal_queue.article_rerun_proposal(article_id=article_id, user=request.user)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    messages.success(
        request,
        "Claim proposal was queued again for this article; claims a reviewer touched are kept.",
    )
    return HttpResponseRedirect(reverse("claims:article", args=[article_id]))
