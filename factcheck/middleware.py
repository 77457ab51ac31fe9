"""Project middleware: request ids, and health probes answered before host checks."""

from __future__ import annotations

import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

from factcheck.logging import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# Accept a caller's id (a proxy's, another service's) only when it cannot smuggle anything
# into a log line or a header: short, and from a safe alphabet.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")


def _request_id(raw: str | None) -> str:
    if raw and _SANE_REQUEST_ID.match(raw):
        return raw
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Tag the request, its log records and its response with one request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Not reset on the way out: Django logs 5xx responses (django.request) after the
        # middleware returned. request_finished below clears it once the response is closed.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="factcheck.middleware.clear_request_id")
def _clear_request_id(**kwargs) -> None:
    request_id_var.set("-")


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before ALLOWED_HOSTS and the HTTPS redirect apply.

    Orchestrators probe the container by IP over plain HTTP (Host: 10.x.y.z:8000); those
    probes must not be answered 400 (DisallowedHost) or 301 (SECURE_SSL_REDIRECT). The
    bodies carry no data that needs either protection.
    """

    def __init__(self, get_response):
        from factcheck import health

        self.get_response = get_response
        self.views = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __call__(self, request):
        view = self.views.get(request.path_info.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
