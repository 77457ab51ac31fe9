from django import forms

from notifications.models import NotificationPreference


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ("assigned", "verdict_decided", "source_changed", "daily_digest")
