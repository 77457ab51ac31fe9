"""Query-string filters of the articles list."""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters

from api.filters import UTCIsoDateTimeFilter, choice_errors
from articles.models import Article, ProposalState


class ArticleFilter(filters.FilterSet):
    source = filters.CharFilter(field_name="source", help_text="Exact source / outlet.")
    proposal_state = filters.MultipleChoiceFilter(
        choices=ProposalState.choices,
        distinct=False,
        error_messages=choice_errors(ProposalState.choices),
        help_text="One or more proposal states.",
    )
    published_after = UTCIsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCIsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    imported_after = UTCIsoDateTimeFilter(field_name="imported_at", lookup_expr="gte")
    imported_before = UTCIsoDateTimeFilter(field_name="imported_at", lookup_expr="lt")
    search = filters.CharFilter(
        method="filter_search", help_text="Words in the title, source or author (any case)."
    )

    class Meta:
        model = Article
        fields = []

    def filter_search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(source__icontains=word) | Q(author__icontains=word)
            )
        return queryset
