"""The reviewer workspace: triage queue, claim page, article page and their actions.

Views parse, authorise, call one service and render. Every action is a plain form POST that
redirects (so it works without JavaScript); htmx requests get the re-rendered panel instead.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from claims import matching, proposal, selectors, services
from claims.forms import (
    ALL_STATUSES,
    BULK_ASSIGN,
    BULK_ASSIGN_ME,
    BULK_DISMISS,
    BULK_UNASSIGN,
    AssignForm,
    BulkActionForm,
    EvidenceForm,
    InheritForm,
    QueueFilterForm,
    UnlinkForm,
    VerdictForm,
)
from claims.highlight import claim_context, segment_body
from claims.models import Claim, ClaimMatch, ClaimStatus

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


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _enter(request: HttpRequest) -> None:
    _require(can_enter(request.user), NO_ACCESS)


# --- helpers --------------------------------------------------------------------------------


def _queue_form(query: str | QueryDict) -> QueueFilterForm:
    data = query if isinstance(query, QueryDict) else QueryDict(query)
    return QueueFilterForm(data)


def _claim_url(claim_id: int, queue_query: str = "") -> str:
    url = reverse("claims:claim", args=[claim_id])
    return f"{url}?{queue_query}" if queue_query else url


def _queue_url(queue_query: str = "") -> str:
    url = reverse("claims:queue")
    return f"{url}?{queue_query}" if queue_query else url


def _who(user) -> str:
    return user.get_username() if user else "nobody"


def conflict_message(exc: services.StaleVersion) -> str:
    """What a reviewer who lost a race is told: the current state and who set it."""
    claim = exc.claim
    label = S(claim.status).label
    if claim.reviewed_by_id:
        when = date_format(claim.reviewed_at, "DATETIME_FORMAT") if claim.reviewed_at else ""
        by = f"set by {_who(claim.reviewed_by)}" + (f" on {when}" if when else "")
    else:
        by = "not reviewed yet"
    return (
        f"Someone else changed this claim after you opened it, so your change was not saved. "
        f"It is now “{label}” ({by}); version {claim.version}. "
        f"Check its history, then submit again if you still want to change it."
    )


def _claim_context(request: HttpRequest, claim: Claim, queue_form: QueueFilterForm, **extra):
    filters = queue_form.to_filters()
    queue_query = queue_form.query_string()
    previous_id, next_id = selectors.claim_queue_neighbours(
        claim=claim, filters=filters, user=request.user
    )
    reviewing = can_review(request.user)
    context = {
        "claim": claim,
        "article": claim.article,
        "paragraphs": claim_context(claim.article.body, claim.start, claim.end, claim),
        "history": selectors.claim_history(claim_id=claim.pk),
        "matches": matching.claim_match_views(claim=claim),
        "queue_query": queue_query,
        "queue_url": _queue_url(queue_query),
        "previous_url": _claim_url(previous_id, queue_query) if previous_id else "",
        "next_url": _claim_url(next_id, queue_query) if next_id else "",
        "can_review": reviewing,
        "can_rerun": can_rerun(request.user),
        "reviewers": selectors.reviewer_choices() if reviewing else [],
        "verdict_buttons": [
            (value, label, key, value in services.NOTE_REQUIRED)
            for value, label, key in VERDICT_BUTTONS
        ],
        "allowed": services.ALLOWED_TRANSITIONS[claim.status],
        "note": "",
        "error": "",
        "conflict": "",
        "evidence_url": "",
        "evidence_title": "",
    }
    context.update(extra)
    return context


def _render_claim(request: HttpRequest, claim_id: int, queue_form, *, status: int = 200, **extra):
    try:
        claim = selectors.claim_detail(claim_id=claim_id)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    context = _claim_context(request, claim, queue_form, **extra)
    # htmx swaps the review panel only; a plain post gets the whole page.
    template = (
        "claims/partials/review_response.html" if request.htmx else "claims/claim_detail.html"
    )
    return render(request, template, context, status=status)


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful action: a redirect, or for htmx a client-side redirect."""
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# --- pages ----------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue: filtered, ranked by score then age, keyset-paginated."""
    _enter(request)
    form = QueueFilterForm(request.GET)
    filters = form.to_filters()
    after = request.GET.get("after", "")
    before = request.GET.get("before", "")
    page = selectors.claim_queue_page(
        filters=filters,
        user=request.user,
        after_id=int(after) if after.isdigit() else None,
        before_id=int(before) if before.isdigit() else None,
        size=selectors.QUEUE_PAGE_SIZE,
    )
    counts = selectors.claim_status_counts(filters=filters, user=request.user)
    queue_query = form.query_string()
    reviewing = can_review(request.user)
    reviewers = selectors.reviewer_choices()
    context = {
        "form": form,
        "page": page,
        "counts": [
            (
                status,
                label,
                counts[status],
                _count_label(counts[status]),
                form.query_string(status=status),
            )
            for status, label in form.fields["status"].choices
            if status in counts
        ],
        "total": sum(min(n, selectors.COUNT_CAP) for n in counts.values()),
        "total_label": _count_label(
            sum(min(n, selectors.COUNT_CAP) for n in counts.values()),
            capped=any(n > selectors.COUNT_CAP for n in counts.values()),
        ),
        "all_query": form.query_string(status="all"),
        "current_status": form.value("status") or S.PROPOSED,
        "queue_query": queue_query,
        "csv_url": _csv_url(form, request.user, reviewers),
        "next_query": form.query_string(after=str(page.next_cursor)) if page.next_cursor else "",
        "previous_query": (
            form.query_string(before=str(page.previous_cursor)) if page.previous_cursor else ""
        ),
        "can_review": reviewing,
        "reviewers": reviewers,
        # Row links are built from these prefixes: fifty reverse() calls per page add up.
        "claim_base": reverse("claims:claim", args=[0]).removesuffix("0/"),
        "article_base": reverse("claims:article", args=[0]).removesuffix("0/"),
    }
    return render(request, "claims/queue.html", context)


def _count_label(n: int, *, capped: bool = False) -> str:
    """'123', or '1,000+' for a count that reached the selectors' cap."""
    if n > selectors.COUNT_CAP:
        return f"{selectors.COUNT_CAP:,}+"
    return f"{n:,}+" if capped else f"{n:,}"


def _csv_url(form: QueueFilterForm, user, reviewers) -> str:
    """The API's CSV export of the same filter, translated to the API's parameter values."""
    params = form.query_params()
    status = params.pop("status", S.PROPOSED)
    if status != ALL_STATUSES:
        params["status"] = status
    # The API names assignees by username ("none" for unassigned), the queue by "me" or id.
    assignee = params.pop("assignee", "")
    if assignee == "me":
        params["assignee"] = user.get_username()
    elif assignee == "none":
        params["assignee"] = "none"
    elif assignee:
        names = {str(r.pk): r.get_username() for r in reviewers}
        if assignee in names:
            params["assignee"] = names[assignee]
    return "/api/v1/claims/?" + urlencode({"format": "csv", **params})


@login_required
@require_GET
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A claim in its paragraph, with verdict, note, evidence, assignment and history."""
    _enter(request)
    return _render_claim(request, claim_id, QueueFilterForm(request.GET))


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    """The whole article with every claim highlighted in its status colour."""
    _enter(request)
    try:
        article, claims, summary = selectors.article_with_claims(article_id=article_id)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    context = {
        "article": article,
        "claims": claims,
        "summary": summary,
        "paragraphs": segment_body(article.body, [(c.start, c.end, c) for c in claims]),
        "can_rerun": can_rerun(request.user),
        "queue_query": QueueFilterForm(request.GET).query_string(),
    }
    return render(request, "claims/article_detail.html", context)


# --- actions --------------------------------------------------------------------------------


@login_required
@require_POST
def claim_set_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Record a verdict (or dismissal/reopening), then open the next claim of the queue."""
    _require(can_review(request.user), NO_REVIEW)
    queue_form = _queue_form(request.POST.get("queue", ""))
    form = VerdictForm(request.POST)
    note = request.POST.get("note", "")
    if not form.is_valid():
        return _render_claim(
            request, claim_id, queue_form, status=400, note=note, error=_form_error(form)
        )
    evidence = [
        {"url": url, "title": title}
        for url, title in zip(
            request.POST.getlist("evidence_url"),
            request.POST.getlist("evidence_title"),
            strict=False,
        )
        if url.strip()
    ]
    try:
        claim = services.claim_set_status(
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
        return _render_claim(
            request, claim_id, queue_form, status=409, note=note, conflict=conflict_message(exc)
        )
    except (services.NoteRequired, services.IllegalTransition, services.InvalidEvidence) as exc:
        return _render_claim(
            request,
            claim_id,
            queue_form,
            status=400 if isinstance(exc, services.NoteRequired) else 409,
            note=note,
            error=str(exc),
            note_error=isinstance(exc, services.NoteRequired),
        )
    messages.success(request, f"Claim #{claim.pk} marked “{S(claim.status).label}”.")
    return _next_claim(request, claim, queue_form)


def _next_claim(request: HttpRequest, claim: Claim, queue_form: QueueFilterForm) -> HttpResponse:
    """After a verdict: open the next claim of the same filtered queue, or the queue itself."""
    _, next_id = selectors.claim_queue_neighbours(
        claim=claim, filters=queue_form.to_filters(), user=request.user
    )
    queue_query = queue_form.query_string()
    if next_id is None:
        messages.info(request, "That was the last claim in this queue.")
        return _done(request, _queue_url(queue_query))
    return _done(request, _claim_url(next_id, queue_query))


def _form_error(form) -> str:
    return " ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())


def _resolve_assignee(request: HttpRequest, value: str):
    if value == "me":
        return request.user
    if value == "none":
        return None
    user = get_user_model().objects.filter(pk=int(value), is_active=True).first()
    if user is None or not can_review(user):
        raise ValueError("Claims can only be assigned to active reviewers.")
    return user


@login_required
@require_POST
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Assign a claim to me, to another reviewer, or to nobody."""
    _require(can_review(request.user), NO_REVIEW)
    queue_form = _queue_form(request.POST.get("queue", ""))
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim_id, queue_form, status=400, error=_form_error(form))
    try:
        assignee = _resolve_assignee(request, form.assignee_value())
        services.claim_assign(
            claim_id=claim_id,
            assignee=assignee,
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValueError as exc:
        return _render_claim(request, claim_id, queue_form, status=400, error=str(exc))
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return _render_claim(
            request, claim_id, queue_form, status=409, conflict=conflict_message(exc)
        )
    if request.htmx:
        return _render_claim(request, claim_id, queue_form, flash=f"Assigned to {_who(assignee)}.")
    messages.success(request, f"Claim #{claim_id} assigned to {_who(assignee)}.")
    return HttpResponseRedirect(_claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def claim_add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Attach an evidence link (http/https only) to a claim."""
    _require(can_review(request.user), NO_REVIEW)
    queue_form = _queue_form(request.POST.get("queue", ""))
    form = EvidenceForm(request.POST)
    url, title = request.POST.get("url", ""), request.POST.get("title", "")
    if not form.is_valid():
        return _render_claim(
            request,
            claim_id,
            queue_form,
            status=400,
            error=_form_error(form),
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
        return _render_claim(
            request,
            claim_id,
            queue_form,
            status=400,
            error=str(exc),
            evidence_url=url,
            evidence_title=title,
        )
    if request.htmx:
        return _render_claim(request, claim_id, queue_form, flash="Evidence added.")
    messages.success(request, "Evidence added.")
    return HttpResponseRedirect(_claim_url(claim_id, queue_form.query_string()))


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Assign, unassign or dismiss several queue claims; each goes through the services."""
    _require(can_review(request.user), NO_REVIEW)
    queue_query = _queue_form(request.POST.get("queue", "")).query_string()
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_plain(form))
        return HttpResponseRedirect(_queue_url(queue_query))
    action = form.cleaned_data["action"]
    assignee = None
    if action == BULK_ASSIGN_ME:
        assignee = request.user
    elif action == BULK_ASSIGN:
        try:
            assignee = _resolve_assignee(request, str(form.cleaned_data["assignee"]))
        except ValueError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_queue_url(queue_query))
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
                f"queue (now “{now}”, last set by {_who(exc.claim.reviewed_by)})."
            )
        except services.IllegalTransition as exc:
            problems.append(
                f"Claim #{claim_id} was not changed: a {S(exc.from_status).label.lower()} claim "
                f"cannot be dismissed; reopen it first."
            )
    verb = {
        BULK_DISMISS: "dismissed",
        BULK_UNASSIGN: "unassigned",
        BULK_ASSIGN_ME: f"assigned to {_who(assignee)}",
        BULK_ASSIGN: f"assigned to {_who(assignee)}",
    }[action]
    if done:
        messages.success(request, f"{done} claim{'s' if done != 1 else ''} {verb}.")
    for problem in problems:
        messages.warning(request, problem)
    return HttpResponseRedirect(_queue_url(queue_query))


def _form_error_plain(form) -> str:
    return " ".join(err for errs in form.errors.values() for err in errs)


@login_required
@require_POST
def article_rerun(request: HttpRequest, article_id: int) -> HttpResponse:
    """Queue claim proposal again for an article (Editors); reviewed claims are kept."""
    _require(can_rerun(request.user), NO_RERUN)
    try:
        proposal.article_rerun_proposal(article_id=article_id, user=request.user)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    messages.success(
        request,
        "Claim proposal was queued again for this article; claims a reviewer touched are kept.",
    )
    return HttpResponseRedirect(reverse("claims:article", args=[article_id]))


# --- matches across articles ----------------------------------------------------------------


@login_required
@require_POST
def claim_inherit(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Give a claim the verdict of a matching claim, recorded as inherited; then go on."""
    _require(can_review(request.user), NO_REVIEW)
    queue_form = _queue_form(request.POST.get("queue", ""))
    form = InheritForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim_id, queue_form, status=400, error=_form_error(form))
    try:
        claim = matching.claim_apply_inherited_verdict(
            claim_id=claim_id,
            source_claim_id=form.cleaned_data["source"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    except services.StaleVersion as exc:
        return _render_claim(
            request, claim_id, queue_form, status=409, conflict=conflict_message(exc)
        )
    except (
        matching.NotMatched,
        matching.NothingToInherit,
        services.IllegalTransition,
        services.NoteRequired,
    ) as exc:
        return _render_claim(request, claim_id, queue_form, status=409, error=str(exc))
    messages.success(
        request,
        f"Claim #{claim.pk} marked “{S(claim.status).label}”, inherited from claim "
        f"#{form.cleaned_data['source']}.",
    )
    return _next_claim(request, claim, queue_form)


@login_required
@require_POST
def match_unlink(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Record that a proposed match is wrong; it stops being shown and linked."""
    _require(can_review(request.user), NO_REVIEW)
    queue_form = _queue_form(request.POST.get("queue", ""))
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        return _render_claim(request, claim_id, queue_form, status=400, error=_form_error(form))
    match_id = form.cleaned_data["match"]
    if not ClaimMatch.objects.filter(
        Q(claim_id=claim_id) | Q(other_id=claim_id), pk=match_id
    ).exists():
        raise Http404("No such match for this claim.")
    matching.claim_unlink_match(
        match_id=match_id, user=request.user, note=form.cleaned_data["note"]
    )
    messages.success(request, "The match was unlinked; the change is recorded.")
    return HttpResponseRedirect(_claim_url(claim_id, queue_form.query_string()))
