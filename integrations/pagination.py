"""Page-number pagination that never counts more rows than it needs.

An exact ``count`` over a million claims costs more than the page itself, so lists count at
most ``API_COUNT_LIMIT`` rows (or up to the requested page, if further): ``count_exact`` says
whether ``count`` is the total or a lower bound. Paging works the same either way.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

# Deeper than this is a scan, not browsing: use the changes feed or the CSV export.
MAX_PAGE = 100_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, number: int, count_limit: int):
        super().__init__(object_list, per_page)
        # Count one row past what this page needs, so "has next" is known either way.
        self._limit = max(count_limit, number * per_page) + 1
        self.count_exact = True

    @cached_property
    def count(self) -> int:
        n = self.object_list[: self._limit].count()
        if n >= self._limit:
            self.count_exact = False
        return n

    @cached_property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (M ≤ API_MAX_PAGE_SIZE), with a capped count."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(raw)
            if not 1 <= number <= MAX_PAGE:
                raise ValueError
        except (TypeError, ValueError):
            raise ValidationError(
                {self.page_query_param: [f"A page number from 1 to {MAX_PAGE}."]}
            ) from None
        paginator = CappedPaginator(
            queryset, page_size, number=number, count_limit=settings.API_COUNT_LIMIT
        )
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(f"Invalid page {raw!r}: {exc}") from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_exact": self.page.paginator.count_exact,
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
