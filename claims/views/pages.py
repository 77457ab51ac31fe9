"""Workspace pages: the triage queue, a claim in its paragraph, a whole article."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.models import Article
from claims import desk_selectors, selectors
from claims.forms import (
    ALL_STATUSES,
    QueueFilterForm,
)
from claims.highlight import segment_body
from claims.saved_views import saved_views_owned
from claims.views.common import (
    S,
    can_rerun,
    can_review,
    render_claim_page,
    require_entry,
    undo_offer,
)
from factcheck.parsing import parse_int


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue: filtered, ranked by score then age, keyset-paginated."""
    require_entry(request)
    form = QueueFilterForm(request.GET)
    filters = form.to_filters()
    after = request.GET.get("after", "")
    before = request.GET.get("before", "")
    page = selectors.claim_queue_page(
        filters=filters,
        user=request.user,
        after_id=parse_int(after),
        before_id=parse_int(before),
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
        "undo_change": undo_offer(request),
        # Row links are built from these prefixes: fifty reverse() calls per page add up.
        "claim_base": reverse("claims:claim", args=[0]).removesuffix("0/"),
        "article_base": reverse("claims:article", args=[0]).removesuffix("0/"),
        "figures": desk_selectors.desk_figures(),
        "own_views": saved_views_owned(request.user),
        "overdue_only": filters.due == selectors.DUE_OVERDUE,
        "sort_due": filters.sort == selectors.SORT_DUE,
    }
    return render(request, "claims/queue.html", context)


@login_required
@require_GET
def recheck(request: HttpRequest) -> HttpResponse:
    """Verdicts due for re-check: their re-verification date has passed, longest first."""
    require_entry(request)
    after = parse_int(request.GET.get("after", ""))
    page = desk_selectors.recheck_page(after_id=after)
    context = {
        "page": page,
        "next_query": f"after={page.next_cursor}" if page.next_cursor else "",
        "claim_base": reverse("claims:claim", args=[0]).removesuffix("0/"),
        "article_base": reverse("claims:article", args=[0]).removesuffix("0/"),
        "expiry_days": settings.VERDICT_EXPIRY_DAYS,
    }
    return render(request, "claims/recheck.html", context)


def _count_label(n: int, *, capped: bool = False) -> str:
    """'123', or '1,000+' for a count that reached the selectors' cap."""
    if n > selectors.COUNT_CAP:
        return f"{selectors.COUNT_CAP:,}+"
    return f"{n:,}+" if capped else f"{n:,}"


def _csv_url(form: QueueFilterForm, user, reviewers) -> str:
    """The API's CSV export of the same filter, translated to the API's parameter values."""
    params = form.query_params()
    params.pop("sort", None)
    if params.pop("due", "") == selectors.DUE_OVERDUE:
        params["overdue"] = "true"
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
    require_entry(request)
    return render_claim_page(request, claim_id, QueueFilterForm(request.GET))


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    """The whole article with every claim highlighted in its status colour."""
    require_entry(request)
    try:
        article, claims, summary = selectors.article_with_claims(article_id=article_id)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    context = {
        "article": article,
        "claims": claims,
        "claims_ranked": selectors.claims_by_tier(claims),
        "summary": summary,
        "paragraphs": segment_body(article.body, [(c.start, c.end, c) for c in claims]),
        "can_rerun": can_rerun(request.user),
        "queue_query": QueueFilterForm(request.GET).query_string(),
    }
    return render(request, "claims/article_detail.html", context)
