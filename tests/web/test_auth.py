"""Login, logout and password change use the workspace's own templates."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login_and_back(client, reviewer):
    response = client.get(reverse("claims:queue"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/"

    page = client.get(response["Location"]).content.decode()
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page

    logged_in = client.post(
        reverse("login"),
        {"username": "rita", "password": "correct-horse-battery", "next": "/"},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_shows_an_error(client, reviewer):
    response = client.post(reverse("login"), {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(reviewer_client):
    response = reviewer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert reviewer_client.get("/").status_code == 302


def test_password_change_changes_the_password(reviewer_client, reviewer):
    response = reviewer_client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password("a-much-longer-passphrase-42")
