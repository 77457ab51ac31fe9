"""Email settings follow the environment and refuse bad values at start-up."""

from __future__ import annotations

import pytest

from tests.deploy.test_settings import MINIMAL_ENV, _run

_PRINT = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT, "
    "s.NOTIFICATION_DIGEST_HOUR)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The demo and DEBUG print emails; production talks SMTP.
        ({"DEBUG": "1"}, "django.core.mail.backends.console.EmailBackend localhost 25 False 10 7"),
        (MINIMAL_ENV, "django.core.mail.backends.smtp.EmailBackend localhost 25 False 10 7"),
        (
            {
                **MINIMAL_ENV,
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": "587",
                "EMAIL_USE_TLS": "1",
                "EMAIL_TIMEOUT": "3",
                "NOTIFICATION_DIGEST_HOUR": "0",
            },
            "django.core.mail.backends.smtp.EmailBackend smtp.example.org 587 True 3 0",
        ),
    ],
)
def test_email_settings_follow_the_environment(env, expected):
    result = _run(["-c", f"import django; django.setup(); {_PRINT}"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"NOTIFICATION_DIGEST_HOUR": "24"},
            "NOTIFICATION_DIGEST_HOUR must be an hour from 0 to 23, got 24",
        ),
        ({"NOTIFICATION_DIGEST_HOUR": "7am"}, "NOTIFICATION_DIGEST_HOUR must be an integer"),
        (
            {"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
            "EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one",
        ),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer, got 'smtp'"),
    ],
)
def test_bad_email_settings_stop_start_up_with_a_message(env, message):
    result = _run(["-c", "import django; django.setup()"], {"DEBUG": "1", **env})
    assert result.returncode != 0
    assert message in result.stderr
