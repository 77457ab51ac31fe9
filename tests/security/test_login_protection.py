"""Login protection (django-axes): repeated failures lock a username out from that address,
on the reviewer login and the admin login alike, right password or not, until the cool-off
ends or an admin runs axes_reset."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F

LOGIN_URLS = ["/accounts/login/", "/admin/login/"]
RIGHT, WRONG = "correct-horse-battery", "not-the-password"


@pytest.fixture(autouse=True)
def _limit(settings):
    # Many logins per test: a fast hasher (the users are created after this fixture).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _login(client, url, password, username="stella", ip="203.0.113.7"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_URLS)
def test_failures_up_to_the_limit_lock_the_account_even_for_the_right_password(
    client, staff_user, url
):
    for _ in range(2):
        response = _login(client, url, WRONG)
        assert response.status_code == 200  # the form again, with its error
    response = _login(client, url, WRONG)
    assert response.status_code == 429

    response = _login(client, url, RIGHT)
    assert response.status_code == 429
    assert not _logged_in(client)
    attempt = AccessAttempt.objects.get(username="stella", ip_address="203.0.113.7")
    assert attempt.failures_since_start >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_URLS)
def test_failures_below_the_limit_do_not_lock(client, staff_user, url):
    for _ in range(2):
        _login(client, url, WRONG)
    response = _login(client, url, RIGHT)
    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, staff_user):
    url = "/admin/login/"
    for _ in range(2):
        _login(client, url, WRONG)
    assert _login(client, url, RIGHT).status_code == 302
    client.logout()
    for _ in range(2):
        _login(client, url, WRONG)
    assert _login(client, url, RIGHT).status_code == 302


@pytest.mark.django_db
def test_the_lock_is_per_username_and_address(client, staff_user, reviewer):
    url = "/admin/login/"
    for _ in range(3):
        _login(client, url, WRONG)
    assert _login(client, url, RIGHT).status_code == 429
    # The same user from another address, and another user from the same address, get in:
    # an attacker cannot lock reviewers out from elsewhere.
    assert _login(client, url, RIGHT, ip="198.51.100.9").status_code == 302
    client.logout()
    response = _login(client, "/accounts/login/", RIGHT, username="rita")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, staff_user, settings):
    url = "/admin/login/"
    for _ in range(3):
        _login(client, url, WRONG)
    assert _login(client, url, RIGHT).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _login(client, url, RIGHT).status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_axes_reset_unlocks_at_once(client, staff_user):
    url = "/accounts/login/"
    for _ in range(3):
        _login(client, url, WRONG)
    assert _login(client, url, RIGHT).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert AccessAttempt.objects.count() == 0
    assert _login(client, url, RIGHT).status_code == 302


@pytest.mark.django_db
def test_the_test_clients_login_helpers_still_work(client, reviewer):
    # Client.login() calls authenticate() without a request; stock axes would raise there.
    assert client.login(username="rita", password=RIGHT)
    client.logout()
    assert not client.login(username="rita", password=WRONG)
    client.force_login(reviewer)
    assert _logged_in(client)


@pytest.mark.django_db
def test_api_tokens_are_not_counted_or_locked_by_axes(client):
    # Token authentication never calls authenticate(), so a service's bad keys cannot lock a
    # user out, and a good key keeps working after bad ones (keys are 40 random characters:
    # guessing them is no brute-force risk).
    from integrations.services import api_token_create

    created = api_token_create(name="desk", scope="read", user=None)
    for _ in range(5):
        response = client.get("/api/v1/claims/", headers={"Authorization": "Token " + "x" * 40})
        assert response.status_code == 401
    assert AccessAttempt.objects.count() == 0
    response = client.get("/api/v1/claims/", headers={"Authorization": f"Token {created.key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_locked_out_user_keeps_an_existing_session_but_cannot_log_in_again(client, reviewer):
    signed_in = type(client)()
    signed_in.force_login(reviewer)
    for _ in range(3):
        _login(client, "/accounts/login/", WRONG, username="rita")
    assert _login(client, "/accounts/login/", RIGHT, username="rita").status_code == 429
    # The lockout guards the login form; it does not end sessions opened before it.
    assert signed_in.get("/").status_code == 200
