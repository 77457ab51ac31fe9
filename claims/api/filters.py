"""Query-string filters of the claims list, the changes feed and the CSV export."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters

from claims.models import Claim, ClaimStatus, ClaimType
from integrations.filters import UTCIsoDateTimeFilter

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    # Integers only, within a bigint: "1e30" or 2**70 are a 400, not a database overflow.
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ClaimFilter(filters.FilterSet):
    # Explicit labels: django-filter would otherwise derive them on every request.
    # distinct=False: no join here multiplies rows, and DISTINCT would stop the
    # (status, -score, created_at) index from serving the ORDER BY ... LIMIT.
    status = filters.MultipleChoiceFilter(
        label="Status",
        choices=ClaimStatus.choices,
        distinct=False,
        help_text="One or more statuses (repeat the parameter).",
    )
    article = IdFilter(
        label="Article", field_name="article_id", help_text="Claims of this article id."
    )
    source = filters.CharFilter(
        label="Source",
        field_name="article__source",
        help_text="Claims of articles from this source (exact).",
    )
    claim_type = filters.MultipleChoiceFilter(
        label="Claim type",
        choices=ClaimType.choices,
        distinct=False,
        help_text="One or more claim types.",
    )
    claimer = filters.CharFilter(
        label="Claimer",
        field_name="claimer",
        lookup_expr="icontains",
        help_text="Claimer contains (any case).",
    )
    min_score = filters.NumberFilter(
        label="Minimum score",
        field_name="score",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
        help_text="Check-worthiness score at least this (0..1).",
    )
    assignee = filters.CharFilter(
        label="Assignee",
        method="filter_assignee",
        help_text="Username of the assignee; `none` for unassigned claims.",
    )
    updated_after = UTCIsoDateTimeFilter(
        label="Updated after",
        field_name="updated_at",
        lookup_expr="gt",
        help_text="Changed strictly after this ISO 8601 time.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_assignee(self, queryset, name, value):
        if value.lower() == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)
