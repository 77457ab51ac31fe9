"""Filter fields shared by the API's filter sets."""

from __future__ import annotations

from datetime import UTC

from django import forms
from django_filters import fields, filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from api.pagination import page_errors


class UTCIsoDateTimeField(fields.IsoDateTimeField):
    """ISO 8601, turned into UTC before it reaches the database.

    Python accepts offsets up to ±24 h, PostgreSQL only up to ±15:59: ``…+20:00`` would be a
    database error instead of a plain comparison.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("Enter a date and time within years 1-9999.") from None


class UTCIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


def _values(choices) -> str:
    return ", ".join(str(c[0] if isinstance(c, tuple | list) else c) for c in choices)


def choice_errors(choices) -> dict[str, str]:
    """Form field ``error_messages`` whose invalid-choice message lists the allowed values."""
    return {"invalid_choice": f"%(value)r is not one of the allowed values: {_values(choices)}."}


def serializer_choice_errors(choices) -> dict[str, str]:
    """The same for a DRF ChoiceField."""
    return {"invalid_choice": f'"{{input}}" is not one of the allowed values: {_values(choices)}.'}


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, whose 400 also names a bad ``page`` or ``page_size``.

    Filters are applied before the page is cut, so without this a client with a bad filter and
    a bad page would learn of the page only after fixing the filter.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = dict(filterset.errors)
            if getattr(view, "pagination_class", None) is not None:
                errors.update(page_errors(request))
            raise ValidationError(errors)
        return filterset.qs
