"""Forms of the reviewer workspace: queue filters, verdicts, assignment, evidence, bulk actions."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from claims.models import ClaimStatus, ClaimType
from claims.selectors import DUE_OVERDUE, SORT_DUE, QueueFilters
from claims.tiers import TIER_CHOICES
from factcheck.parsing import MAX_ID, MAX_INT32, parse_int

ALL_STATUSES = "all"
STATUS_FILTER_CHOICES = [
    (ClaimStatus.PROPOSED, "To review"),
    (ClaimStatus.VERIFIED, "Verified"),
    (ClaimStatus.DISPUTED, "Disputed"),
    (ClaimStatus.UNCONFIRMED, "Unconfirmed"),
    (ClaimStatus.DISMISSED, "Dismissed"),
    (ALL_STATUSES, "All statuses"),
]
# The URL parameters of the queue filter, in the order they appear in links. They match the
# API's claim filters where both exist, so the CSV link can reuse the same query.
FILTER_PARAMS = (
    "status",
    "article",
    "source",
    "claim_type",
    "claimer",
    "assignee",
    "created_from",
    "created_to",
    "q",
    "due",
    "sort",
    "tier",
)
SORT_CHOICES = [("", "Best score first"), (SORT_DUE, "Due soonest")]
DUE_CHOICES = [("", "Any due time"), (DUE_OVERDUE, "Overdue")]


# Dates the queue can filter on. 9999-12-31 is a valid date, but the day after it (the end
# of the range) and its start in a time zone east of UTC are not: the page answered 500.
DATE_RANGE = [
    MinValueValidator(dt.date(1000, 1, 1), "Enter a date from 1000-01-01 on."),
    MaxValueValidator(dt.date(2999, 12, 31), "Enter a date up to 2999-12-31."),
]


def _validate_assignee(value: str) -> None:
    if value not in ("", "me", "none") and parse_int(value) is None:
        raise forms.ValidationError("Choose mine, unassigned or a reviewer.")


class QueueFilterForm(forms.Form):
    """The queue's GET filters; invalid fields are ignored (and shown) rather than fatal."""

    status = forms.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False)
    q = forms.CharField(label="Text contains", required=False, max_length=200)
    article = forms.IntegerField(label="Article id", required=False, min_value=1, max_value=MAX_ID)
    source = forms.CharField(label="Source", required=False, max_length=200)
    claim_type = forms.ChoiceField(
        label="Type", choices=[("", "Any type"), *ClaimType.choices], required=False
    )
    claimer = forms.CharField(label="Claimer", required=False, max_length=300)
    tier = forms.ChoiceField(
        label="Tier", choices=[("", "Any tier"), *TIER_CHOICES], required=False
    )
    assignee = forms.CharField(
        label="Assignee", required=False, max_length=20, validators=[_validate_assignee]
    )
    created_from = forms.DateField(
        label="Proposed from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=DATE_RANGE,
    )
    created_to = forms.DateField(
        label="Proposed to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=DATE_RANGE,
    )
    due = forms.ChoiceField(label="Due", choices=DUE_CHOICES, required=False)
    sort = forms.ChoiceField(label="Sort", choices=SORT_CHOICES, required=False)

    def __init__(self, data: QueryDict | None = None, **kwargs):
        super().__init__(data if data is not None else QueryDict(), **kwargs)
        # Validate eagerly so cleaned_data exists even when some fields are invalid.
        self.is_valid()

    def value(self, name: str):
        return self.cleaned_data.get(name) if name not in self.errors else None

    def to_filters(self) -> QueueFilters:
        status = self.value("status") or ClaimStatus.PROPOSED
        due = self.value("due") or ""
        if due == DUE_OVERDUE:  # only claims still to review are overdue
            status = ClaimStatus.PROPOSED
        return QueueFilters(
            status="" if status == ALL_STATUSES else status,
            article_id=self.value("article"),
            source=(self.value("source") or "").strip(),
            claim_type=self.value("claim_type") or "",
            claimer=(self.value("claimer") or "").strip(),
            assignee=self.value("assignee") or "",
            created_from=self.value("created_from"),
            created_to=self.value("created_to"),
            text=(self.value("q") or "").strip(),
            due=due,
            sort=self.value("sort") or "",
            tier=self.value("tier") or "",
        )

    def query_params(self) -> dict[str, str]:
        """The valid, non-empty filters as URL parameters (no cursor)."""
        params = {}
        for name in FILTER_PARAMS:
            value = self.value(name)
            if value not in (None, ""):
                params[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return params

    def query_string(self, **overrides: str) -> str:
        params = {**self.query_params(), **overrides}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


class VerdictForm(forms.Form):
    to_status = forms.ChoiceField(choices=ClaimStatus.choices)
    version = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class AssignForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    # Which button was pressed: "me", "none" (unassign) or "other" (the reviewer in assignee_id).
    assignee = forms.ChoiceField(choices=[("me", "me"), ("none", "none"), ("other", "other")])
    assignee_id = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("assignee") == "other" and not data.get("assignee_id"):
            self.add_error("assignee_id", "Choose the reviewer to assign the claim to.")
        return data

    def assignee_value(self) -> str:
        """The assignee as _resolve_assignee expects it: "me", "none" or a user id."""
        if self.cleaned_data["assignee"] == "other":
            return str(self.cleaned_data["assignee_id"])
        return self.cleaned_data["assignee"]


class AttributionForm(forms.Form):
    """A reviewer's claimer / type correction (claims.corrections validates the values)."""

    version = forms.IntegerField(min_value=1)
    claimer = forms.CharField(label="Claimer", max_length=300, strip=True)
    claim_type = forms.ChoiceField(label="Type", choices=ClaimType.choices)


class EvidenceForm(forms.Form):
    url = forms.CharField(label="Evidence URL", max_length=2000)
    title = forms.CharField(label="Title", required=False, max_length=500)


BULK_ASSIGN_ME = "assign_me"
BULK_ASSIGN = "assign"
BULK_UNASSIGN = "unassign"
BULK_DISMISS = "dismiss"


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (BULK_ASSIGN_ME, "Assign to me"),
            (BULK_ASSIGN, "Assign to…"),
            (BULK_UNASSIGN, "Unassign"),
            (BULK_DISMISS, "Dismiss (not a claim)"),
        ]
    )
    claim = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    assignee = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data: QueryDict, **kwargs):
        super().__init__(data, **kwargs)
        # Any integer id is acceptable here; the view only acts on claims that exist.
        self.fields["claim"].choices = [
            (v, v) for v in data.getlist("claim") if parse_int(v) is not None
        ]
        self.fields["claim"].error_messages["required"] = "Select at least one claim."

    def clean(self):
        data = super().clean()
        if data.get("action") == BULK_ASSIGN and not data.get("assignee"):
            self.add_error("assignee", "Choose the reviewer to assign the claims to.")
        return data

    def expected_versions(self) -> dict[int, int | None]:
        """The version each selected claim had when the queue was rendered."""
        versions = {}
        for claim_id in self.cleaned_data["claim"]:
            raw = self.data.get(f"version_{claim_id}", "")
            versions[claim_id] = parse_int(raw, maximum=MAX_INT32)
        return versions
