"""Forms of the match actions on the claim page."""

from django import forms

from matching.decisions import MAX_REASON_LENGTH


class InheritForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    # The matching claim whose verdict is carried over.
    source = forms.IntegerField(min_value=1)


class DecisionForm(forms.Form):
    """Confirm, reject, unlink or "not a conflict": the match, the reason, the second step."""

    match = forms.IntegerField(min_value=1)
    # Required for all but confirm; checked by matching.decisions.clean_reason, which the
    # service calls too (one rule, one message).
    reason = forms.CharField(required=False, max_length=MAX_REASON_LENGTH, strip=True)
    # Set by the confirmation step's button: without it a destructive decision only asks.
    confirmed = forms.BooleanField(required=False)
