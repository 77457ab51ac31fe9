"""Reads for notifications: a user's preferences (defaults when they never saved any)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from notifications.models import NotificationPreference


def preferences_for(user: AbstractBaseUser) -> NotificationPreference:
    """The user's preferences; an unsaved row with every email on if they never chose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)
