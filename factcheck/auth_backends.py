"""Authentication backends: django-axes' lockout check, tolerant of calls without a request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class AxesRequestBackend(AxesStandaloneBackend):
    """Axes' lockout check for every login that comes with a request.

    Every login form (reviewer login, admin) and DRF's session/basic auth pass the request,
    so they are all counted and locked out. A call without one (a management command, the
    test client's ``login()``) has no client address to count against; stock axes raises
    there, which would break those callers while protecting nothing, so this backend steps
    aside and lets the next backend authenticate.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
