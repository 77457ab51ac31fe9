"""Forms of the match actions on the claim page."""

from django import forms


class InheritForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    # The matching claim whose verdict is carried over.
    source = forms.IntegerField(min_value=1)


class UnlinkForm(forms.Form):
    match = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)
