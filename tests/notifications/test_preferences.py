"""The account page where a reviewer chooses which emails they get."""

from __future__ import annotations

import pytest

from notifications.models import NotificationPreference
from notifications.selectors import preferences_for
from notifications.services import preferences_update

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"
ALL_ON = {"assigned": "on", "verdict_decided": "on", "source_changed": "on", "daily_digest": "on"}


def _flags(user) -> tuple[bool, bool, bool, bool]:
    p = NotificationPreference.objects.get(user=user)
    return (p.assigned, p.verdict_decided, p.source_changed, p.daily_digest)


def test_the_page_is_linked_from_the_header_and_creates_the_defaults_all_on(
    reviewer_client, reviewer
):
    queue = reviewer_client.get("/")
    assert f'href="{URL}">Email notifications</a>' in queue.content.decode()
    assert not NotificationPreference.objects.exists()

    page = reviewer_client.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Emails go to <strong>rita@newsroom.example</strong>" in html
    assert html.count('type="checkbox"') == 4
    assert html.count("checked") == 4
    assert _flags(reviewer) == (True, True, True, True)


def test_saving_turns_the_unchecked_emails_off(reviewer_client, reviewer, other_reviewer):
    preferences_update(user=other_reviewer, assigned=True)

    response = reviewer_client.post(URL, {"assigned": "on", "source_changed": "on"})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert _flags(reviewer) == (True, False, True, False)
    assert _flags(other_reviewer) == (True, True, True, True)
    page = reviewer_client.get(URL)
    assert "Your email preferences are saved." in page.content.decode()


def test_hostile_or_unknown_fields_change_nothing_else(reviewer_client, reviewer):
    response = reviewer_client.post(
        URL,
        {
            **ALL_ON,
            "assigned": "false",
            "user": "999",
            "daily_digest": "<script>alert(1)</script>",
            "x'; DROP TABLE notifications_notification;--": "1",
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get()
    assert preference.user == reviewer
    # "false" is off; any other non-empty value of a checkbox is on.
    assert _flags(reviewer) == (False, True, True, True)


def test_the_page_needs_a_login_and_refuses_other_methods(reviewer):
    from django.test import Client

    anonymous = Client()
    response = anonymous.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert anonymous.post(URL, ALL_ON).status_code == 302
    signed_in = Client()
    signed_in.force_login(reviewer)
    assert signed_in.put(URL).status_code == 405
    assert not NotificationPreference.objects.exists()


def test_a_user_without_an_address_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("noaddr", password="pw-long-enough-123")
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Your account has no email address" in page


def test_unknown_preferences_are_refused_by_the_service(reviewer):
    with pytest.raises(ValueError, match="Unknown notification preference\\(s\\): is_staff"):
        preferences_update(user=reviewer, is_staff=True)
    assert not NotificationPreference.objects.exists()
    reviewer.refresh_from_db()
    assert not reviewer.is_staff


def test_preferences_default_to_all_on_without_writing_a_row(reviewer):
    preference = preferences_for(reviewer)
    assert preference.pk is None
    assert all(preference.wants(k) for k in ("assigned", "verdict_approved", "digest"))
