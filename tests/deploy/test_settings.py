"""Production settings: `check --deploy` is clean, HTTPS settings follow the environment, and
every response carries the security headers (CSP, framing, referrer, sniffing)."""

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from factcheck.security import inline_style_hashes

ROOT = Path(settings.BASE_DIR)
# What an operator following .env.example sets for an HTTPS deployment behind a proxy.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "factcheck.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}
_OURS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSP_REPORT_ONLY",
    # Set by the browser tests for Playwright; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _OURS}
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_https_is_left_off():
    env = {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr, check_id


_PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False False False 0 False None"),
        ({"SECURE_SSL_REDIRECT": "1"}, "True True True 3600 False None"),
        (
            {"SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "600", "SECURE_HSTS_PRELOAD": "1"},
            "True True True 600 True None",
        ),
        (
            {"SECURE_SSL_REDIRECT": "1", "SESSION_COOKIE_SECURE": "0"},
            "True False True 3600 False None",
        ),
        (
            {"SECURE_PROXY_SSL_HEADER": "1"},
            "False False False 0 False ('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
    ],
)
def test_https_settings_follow_the_environment(env, expected):
    base = {"DEBUG": "0", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.example"}
    result = _run(["-c", _PRINT], {**base, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in header.split(";") if part.strip()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/accounts/login/"])
def test_pages_send_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    # 'self' plus the hashes of known static <style> blocks (Swagger UI), never unsafe-inline.
    style = csp["style-src"].split()
    assert style[0] == "'self'"
    assert all(source.startswith("'sha256-") for source in style[1:])
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_https_deployment_sends_hsts_and_secure_httponly_cookies(client, staff_user, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "stella", "password": "correct-horse-battery"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"]
    assert session["httponly"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_when_enabled(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"


def test_inline_style_hashes_allow_exactly_the_style_blocks(tmp_path):
    template = tmp_path / "page.html"
    template.write_text("<head><style>body { margin: 0; }</style></head><style>\n</style>")
    # echo -n 'body { margin: 0; }' | openssl dgst -sha256 -binary | base64
    assert inline_style_hashes(template) == [
        "'sha256-"
        + base64.b64encode(hashlib.sha256(b"body { margin: 0; }").digest()).decode()
        + "'",
        "'sha256-" + base64.b64encode(hashlib.sha256(b"\n").digest()).decode() + "'",
    ]
    assert inline_style_hashes(tmp_path / "missing.html") == []


_PRINT_CSP = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(hasattr(s, 'CONTENT_SECURITY_POLICY'), "
    "hasattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # Production enforces the policy; development only reports (Django's debug pages
        # are inline-styled); either can be switched with CSP_REPORT_ONLY.
        ({"DEBUG": "0"}, "True False"),
        ({"DEBUG": "1"}, "False True"),
        ({"DEBUG": "0", "CSP_REPORT_ONLY": "1"}, "False True"),
        ({"DEBUG": "1", "CSP_REPORT_ONLY": "0"}, "True False"),
    ],
)
def test_csp_is_enforced_in_production_and_reported_in_development(env, expected):
    base = {"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.example"}
    result = _run(["-c", _PRINT_CSP], {**base, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def _cache_backend(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    return _run(["-c", code], {"DEBUG": "1", "CACHE_URL": "", **env})


def test_default_cache_is_process_memory_without_cache_url():
    result = _cache_backend({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_cache_url_must_be_redis():
    result = _cache_backend({"CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// or rediss:// URL, got 'memcached://127.0.0.1:11211'" in (
        result.stderr
    )


@pytest.mark.redis
def test_cache_url_shares_token_lookups_between_processes():
    """Two web processes with CACHE_URL see one cache: what one caches (a token lookup, a
    throttle counter) the other reads, and a deletion (a revoked token) is seen by both."""
    url = os.environ["CELERY_BROKER_URL"]
    key = f"factcheck-test-{secrets.token_hex(8)}"

    def run(statement: str) -> str:
        code = f"import django; django.setup(); from django.core.cache import cache; {statement}"
        result = _run(["-c", code], {"DEBUG": "1", "CACHE_URL": url})
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run(f"cache.set({key!r}, 'token-row', 60)")
    assert run(f"print(cache.get({key!r}))") == "token-row"
    run(f"cache.delete({key!r})")
    assert run(f"print(cache.get({key!r}))") == "None"
