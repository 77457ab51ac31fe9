"""Saved views: save the current queue filter under a name, delete one of your own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from claims import saved_views
from claims.views.common import queue_url, require_entry


@login_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    """Save the queue filter posted in ``query`` as ``name`` (``shared`` with the desk)."""
    require_entry(request)
    query = request.POST.get("query", "")
    try:
        view = saved_views.saved_view_create(
            owner=request.user,
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") in ("on", "1", "true"),
        )
    except saved_views.SavedViewError as exc:
        messages.error(request, f"The view was not saved: {exc}")
        # Back to the same queue when its filter is sound; a hostile query is not echoed.
        try:
            back = saved_views.clean_query(query)
        except saved_views.SavedViewError:
            back = ""
        return HttpResponseRedirect(queue_url(back))
    messages.success(request, f"Saved the view “{view.name}”.")
    return HttpResponseRedirect(saved_views.view_url(view))


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete one of the user's own saved views."""
    require_entry(request)
    try:
        saved_views.saved_view_delete(view_id=view_id, user=request.user)
    except saved_views.SavedViewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Deleted the saved view.")
    try:
        back = saved_views.clean_query(request.POST.get("queue", ""))
    except saved_views.SavedViewError:
        back = ""
    return HttpResponseRedirect(queue_url(back))
