"""Page-number pagination that counts in the page's own query, and never past what it needs.

An exact ``count`` over a million claims costs more than the page itself, so lists count at
most ``API_COUNT_LIMIT`` rows (or up to the requested page, if further): ``count_exact`` says
whether ``count`` is the total or a lower bound. The bounded count rides along as a scalar
subquery of the page query (PostgreSQL runs it once), so a page is one round trip.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.expressions import RawSQL
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from factcheck.parsing import MAX_ID, parse_int

# Deeper than this is a scan, not browsing: use the changes feed or the CSV export.
MAX_PAGE = 100_000
PAGE_SIZE_PARAM = "page_size"


def page_size(request) -> int:
    """``?page_size=``: PAGE_SIZE if absent, at most API_MAX_PAGE_SIZE, a 400 if not a number."""
    raw = request.query_params.get(PAGE_SIZE_PARAM)
    if raw in (None, ""):
        return settings.REST_FRAMEWORK["PAGE_SIZE"]
    size = parse_int(raw, maximum=MAX_ID)
    if size is None:
        raise ValidationError(
            {
                PAGE_SIZE_PARAM: [
                    "A whole number, 1 or more "
                    f"(a page holds at most {settings.API_MAX_PAGE_SIZE} rows)."
                ]
            }
        )
    return min(size, settings.API_MAX_PAGE_SIZE)


def page_errors(request) -> dict[str, list[str]]:
    """What is wrong with ``?page=`` and ``?page_size=`` (empty when nothing is)."""
    errors = {}
    for check in (page_size, page_number):
        try:
            check(request)
        except ValidationError as exc:
            errors.update(exc.detail)
    return errors


def page_number(request) -> int:
    """``?page=``: 1 if absent, a 400 unless a whole number from 1 to MAX_PAGE."""
    raw = request.query_params.get("page") or "1"
    number = parse_int(raw, maximum=MAX_PAGE)
    if number is None:
        raise ValidationError({"page": [f"A page number from 1 to {MAX_PAGE}."]})
    return number


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (M ≤ API_MAX_PAGE_SIZE), with a capped count."""

    page_size_query_param = PAGE_SIZE_PARAM

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = page_size(request)
        number = page_number(request)
        offset = (number - 1) * size
        # Count one row past what this page needs, so "is there a next page" is known either way.
        limit = max(settings.API_COUNT_LIMIT, offset + size) + 1
        # Django compiles the inner query; its values stay bound parameters.
        inner_sql, params = queryset.order_by().values("pk")[:limit].query.sql_with_params()
        bounded = f"SELECT COUNT(*) FROM ({inner_sql}) AS bounded"  # noqa: S608
        counted = queryset.annotate(_bounded_total=RawSQL(bounded, params))  # noqa: S611
        page = list(counted[offset : offset + size])
        if page:
            first = page[0]  # a model instance, or a dict from a .values() queryset
            total = first["_bounded_total"] if isinstance(first, dict) else first._bounded_total
        elif number == 1:
            total = 0
        else:
            raise NotFound(f"Invalid page {number}: there are fewer pages.")
        self.number, self.size = number, size
        self.count, self.count_exact = total, total < limit
        self.has_next = offset + len(page) < total
        return page

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "Total rows when count_exact, else a lower bound.",
                },
                "count_exact": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
