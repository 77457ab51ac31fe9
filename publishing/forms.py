from django import forms

from publishing.services import CORRECTION_NOTE_MAX_CHARS, RATIONALE_MAX_CHARS


class PublishForm(forms.Form):
    rationale = forms.CharField(
        max_length=RATIONALE_MAX_CHARS,
        widget=forms.Textarea,
        error_messages={"required": "A public rationale is required."},
    )
    queue = forms.CharField(required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(max_length=RATIONALE_MAX_CHARS, required=False)
    queue = forms.CharField(required=False)


class CloseTaskForm(forms.Form):
    note = forms.CharField(max_length=CORRECTION_NOTE_MAX_CHARS, required=False)
