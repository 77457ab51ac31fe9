"""Shared serializer helpers: values as the API writes them, and strict input fields.

``iso``/``username`` format values the one way every response does; ``list_url`` is the one
cache of the lists' URLs that links start with. The input fields take exactly the JSON types
the OpenAPI schema names: DRF's CharField also takes 5 and 2.5 (as "5"), and BooleanField
takes 0, "yes" and "off"; a client that sends the wrong type is told so instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.urls import get_script_prefix, get_urlconf, reverse
from rest_framework import serializers

from factcheck.users import username

__all__ = ["iso", "list_url", "username"]


def iso(value) -> str | None:
    """ISO 8601 the way DRF writes it (UTC as Z); a string is already formatted (UTCIsoText)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat().replace("+00:00", "Z")


_LIST_PATHS: dict[tuple[str, str, str], str] = {}


def list_url(request, name: str) -> str:
    """The absolute URL of a list endpoint (``api:claim-list``): the base of its rows' links.

    reverse() runs once per process, not per response or row: it depends only on the URLconf
    and the script prefix, and walks the resolver's namespaces each time (~0.1 ms).
    """
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name)
    path = _LIST_PATHS.get(key)
    if path is None:
        path = _LIST_PATHS[key] = reverse(name)
    return request.build_absolute_uri(path) if request is not None else path


# An http(s) URL that Django's URLValidator also takes and that is a valid URI: localhost, an
# IP address or a DNS host name of at most 253 characters, then path, query and fragment of
# RFC 3986 characters (no spaces, no non-ASCII, no stray "%"), under 2000 characters in all.
_PCHAR = r"A-Za-z0-9\-._~!$&'()*+,;=:@"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
HTTP_URL_PATTERN = (
    r"^https?://(?:localhost|\[[0-9A-Fa-f:.]{2,45}\]"
    rf"|{_OCTET}(?:\.{_OCTET}){{3}}"
    r"|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){0,2}\.[A-Za-z]{2,24})"
    rf"(?::[0-9]{{1,5}})?(?:/[{_PCHAR}/]{{0,1000}})?(?:\?[{_PCHAR}/?]{{0,400}})?"
    rf"(?:#[{_PCHAR}/?]{{0,200}})?$"
)


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Expected a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Expected true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class HttpUrlField(serializers.URLField):
    """An http(s) URL to a host name (HTTP_URL_PATTERN); schema and validation agree on it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(
                HTTP_URL_PATTERN,
                message="Enter an http(s) URL (a host name or IP address, no spaces or non-ASCII).",
            )
        )
