"""The dashboard's filter: a date range (inclusive, capped) and an optional source."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

MAX_SOURCE_LENGTH = 200  # Article.source's max_length
# Dates outside these are typing mistakes (and 9999-12-31 + 1 day would overflow).
EARLIEST, LATEST = date(1970, 1, 1), date(2100, 12, 31)


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        required=False,
        label="From",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput({"type": "date"}),
    )
    end = forms.DateField(
        required=False,
        label="To",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput({"type": "date"}),
    )
    source = forms.ChoiceField(required=False, label="Source")

    def __init__(self, data=None, *, sources: list[str], today: date | None = None):
        super().__init__(data)
        self.today = today or timezone.localdate()
        self.fields["source"].choices = [("", "All sources")] + [
            (s, s or "(no source)") for s in sources if s
        ]

    def clean_source(self) -> str:
        value = self.cleaned_data.get("source") or ""
        if len(value) > MAX_SOURCE_LENGTH:  # pragma: no cover - ChoiceField refuses it first
            raise forms.ValidationError("Source is too long.")
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        max_days = settings.DASHBOARD_MAX_RANGE_DAYS
        end = data.get("end") or self.today
        start = data.get("start") or max(
            EARLIEST, end - timedelta(days=settings.DASHBOARD_DEFAULT_DAYS - 1)
        )
        for value in (start, end):
            if not EARLIEST <= value <= LATEST:
                raise forms.ValidationError(
                    "Dates must lie between %(first)s and %(last)s; got %(value)s.",
                    params={
                        "first": EARLIEST.isoformat(),
                        "last": LATEST.isoformat(),
                        "value": value.isoformat(),
                    },
                )
        if start > end:
            raise forms.ValidationError(
                "The start date (%(start)s) is after the end date (%(end)s).",
                params={"start": start.isoformat(), "end": end.isoformat()},
            )
        if (end - start).days + 1 > max_days:
            raise forms.ValidationError(
                "The date range is %(days)d days; choose at most %(max)d.",
                params={"days": (end - start).days + 1, "max": max_days},
            )
        data["start"], data["end"] = start, end
        return data

    def range(self) -> tuple[date, date, str]:
        """The valid (start, end, source); call after is_valid()."""
        return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data["source"]
