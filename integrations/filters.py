"""Filter fields shared by the API's filter sets."""

from __future__ import annotations

from datetime import UTC

from django import forms
from django_filters import fields, filters


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
