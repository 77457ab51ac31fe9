"""Query-string filters of the claims list, the changes feed and the CSV export."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django_filters import rest_framework as filters

from api.filters import UTCIsoDateTimeFilter, choice_errors
from claims.deadlines import expired_q, overdue_q
from claims.models import Claim, ClaimStatus, ClaimType
from claims.tiers import TIER_CHOICES, tier_q

MAX_ID = 2**63 - 1
# Strict: "yes", "1" or "<script>" are a 400 naming the allowed values, not an ignored filter.
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class IdFilter(filters.NumberFilter):
    # Integers only, within a bigint: "1e30" or 2**70 are a 400, not a database overflow.
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def claims_overdue(queryset, name, value):
    """The ``overdue`` filter: claims to review past their due time (or, false, the others)."""
    q = overdue_q()
    return queryset.filter(q) if value == "true" else queryset.exclude(q)


def claims_expired(queryset, name, value):
    """The ``expired`` filter: verdicts due for re-check (or, false, the others)."""
    q = expired_q()
    return queryset.filter(q) if value == "true" else queryset.exclude(q)


def claims_of_assignee(queryset, name, value):
    """The ``assignee`` filter: a username, or ``none`` for unassigned claims."""
    if value.lower() == "none":
        return queryset.filter(assignee__isnull=True)
    return queryset.filter(assignee__username=value)


def claims_of_tier(queryset, name, value):
    """The ``tier`` filter: the tier's score range."""
    return queryset.filter(tier_q(value))


class ClaimFilter(filters.FilterSet):
    # Explicit labels: django-filter would otherwise derive them on every request.
    # distinct=False: no join here multiplies rows, and DISTINCT would stop the
    # (status, -score, created_at) index from serving the ORDER BY ... LIMIT.
    status = filters.MultipleChoiceFilter(
        label="Status",
        choices=ClaimStatus.choices,
        distinct=False,
        error_messages=choice_errors(ClaimStatus.choices),
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
        error_messages=choice_errors(ClaimType.choices),
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
    tier = filters.ChoiceFilter(
        label="Tier",
        choices=TIER_CHOICES,
        method=claims_of_tier,
        error_messages=choice_errors(TIER_CHOICES),
        help_text="Score tier: high, medium or low (thresholds: CLAIM_TIER_HIGH/_MEDIUM).",
    )
    assignee = filters.CharFilter(
        label="Assignee",
        method=claims_of_assignee,  # a function, not a method name: no parent needed
        help_text="Username of the assignee; `none` for unassigned claims.",
    )
    overdue = filters.ChoiceFilter(
        label="Overdue",
        choices=BOOLEAN_CHOICES,
        error_messages=choice_errors(BOOLEAN_CHOICES),
        method=claims_overdue,
        help_text="`true`: claims to review past their due time (`due_at`).",
    )
    expired = filters.ChoiceFilter(
        label="Expired",
        choices=BOOLEAN_CHOICES,
        error_messages=choice_errors(BOOLEAN_CHOICES),
        method=claims_expired,
        help_text="`true`: verdicts past their re-verification date (`expires_at`).",
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

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter (with its choices) for each request so that
        # the copy can point at its FilterSet (``parent``, read by ``method="name"`` filters),
        # then builds a new form class with new fields: ~0.4 ms of a ~3 ms claims page. These
        # filters keep no per-request state, so every request shares them and one form class
        # (whose instances share its fields: see _SharedFields).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


class _SharedFields(dict):
    """Form fields every form instance shares.

    A form deep-copies its fields (with their widgets and choices) so that one instance may
    change its own; filter forms only validate with them (~0.2 ms per request saved).
    """

    def __deepcopy__(self, memo):
        return dict(self)
