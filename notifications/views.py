"""The account page where a user chooses which emails they get."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.forms import PreferencesForm
from notifications.selectors import preferences_for


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Show and save the signed-in user's notification preferences."""
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=preferences_for(request.user))
        if form.is_valid():
            services.preferences_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Your email preferences are saved.")
            return HttpResponseRedirect(reverse("notifications:preferences"))
    else:
        form = PreferencesForm(instance=services.preferences_ensure(user=request.user))
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email": request.user.email},
    )
