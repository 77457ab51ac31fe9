"""Request ids on responses and log records, secret redaction, JSON log lines."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from factcheck.logging import REDACTED, RedactSecretsFilter, redact, request_id_var


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("abc-123", True),
        ("7f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f", True),
        ("lb.region-1:42@edge", True),
        ("", False),
        ("has space", False),
        ("line\nbreak", False),
        ("<script>", False),
        ("x" * 129, False),
    ],
)
def test_request_id_is_taken_from_the_caller_only_when_sane(client, sent, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    returned = response["X-Request-ID"]
    if kept:
        assert returned == sent
    else:
        assert returned != sent
        assert len(returned) == 32
        int(returned, 16)


def test_each_request_gets_its_own_generated_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


def test_request_id_does_not_leak_past_the_request(client):
    client.get("/healthz", HTTP_X_REQUEST_ID="req-1")
    assert request_id_var.get() == "-"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Authorization: Token AbCdEf0123456789", f"Authorization: {REDACTED}"),
        ("{'Authorization': 'Bearer eyJhbGciOi.x.y'}", f"{{'Authorization': '{REDACTED}'}}"),
        ("HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz", f"HTTP_AUTHORIZATION={REDACTED}"),
        ("bad key Token 0123456789abcdefABCDEF", f"bad key Token {REDACTED}"),
        ("POST /hook?secret=s3cr3t&x=1", f"POST /hook?secret={REDACTED}&x=1"),
        ('{"webhook_secret": "whsec_abc"}', f'{{"webhook_secret": "{REDACTED}"}}'),
        ("password=hunter2 user=rita", f"password={REDACTED} user=rita"),
        ("api_key: k-123", f"api_key: {REDACTED}"),
        # Ordinary lines are left alone.
        ("claim 12: proposed -> verified (v2)", "claim 12: proposed -> verified (v2)"),
        ("3 tokens per sentence", "3 tokens per sentence"),
    ],
)
def test_redact_hides_credentials_and_keeps_the_rest(line, expected):
    assert redact(line) == expected


def test_redaction_filter_covers_arguments_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "headers %s", ({"Authorization": "Token k" * 3},), None
    )
    try:
        raise ValueError("rejected secret=topsecretvalue")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert RedactSecretsFilter().filter(record)
    assert record.getMessage() == f"headers {{'Authorization': '{REDACTED}'}}"
    assert "topsecretvalue" not in record.exc_text
    assert f"secret={REDACTED}" in record.exc_text


def test_the_console_handler_stamps_and_redacts_every_record():
    (handler,) = logging.getLogger().handlers[:1]
    kinds = {type(f).__name__ for f in handler.filters}
    assert {"RequestIdFilter", "RedactSecretsFilter"} <= kinds


def _log_in_subprocess(tmp_path, env: dict[str, str]) -> list[str]:
    # A real request through the middleware in a fresh process configured by the settings:
    # readyz logs a warning for each failing check (the broker port has nothing listening).
    code = (
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/readyz', HTTP_X_REQUEST_ID='req-42'); "
        "import logging; logging.getLogger('factcheck.test').warning("
        "'calling hook with Authorization: Token Zm9vYmFyYmF6cXV4')"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOG_FORMAT"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
            "HEALTH_CACHE_URL": "",
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_json_logs_carry_request_id_and_no_secret(tmp_path):
    lines = _log_in_subprocess(tmp_path, {"LOG_FORMAT": "json"})
    records = [json.loads(line) for line in lines]
    broker = [r for r in records if r["message"].startswith("readiness check broker failed")]
    assert len(broker) == 1
    assert broker[0]["request_id"] == "req-42"
    assert broker[0]["level"] == "WARNING"
    assert broker[0]["logger"] == "factcheck.health"
    # Django's own 503 log line is written after the middleware returned: it has the id too.
    (logged_503,) = [r for r in records if r["logger"] == "django.request"]
    assert logged_503["request_id"] == "req-42"
    (hook,) = [r for r in records if r["logger"] == "factcheck.test"]
    assert hook["message"] == f"calling hook with Authorization: {REDACTED}"
    assert hook["request_id"] == "-"
    assert set(hook) == {"time", "level", "logger", "message", "request_id"}


def test_plain_logs_carry_request_id(tmp_path):
    lines = _log_in_subprocess(tmp_path, {"LOG_FORMAT": "plain"})
    (broker,) = [line for line in lines if "readiness check broker failed" in line]
    assert " WARNING factcheck.health [req-42] readiness check broker failed" in broker
    assert "Zm9vYmFyYmF6cXV4" not in "\n".join(lines)


def test_unknown_log_format_fails_loudly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "LOG_FORMAT": "xml"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
