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
# The services a production server needs; nothing connects to them in these tests.
SERVICES = {
    "DATABASE_URL": "postgres://factcheck@db.invalid:5432/factcheck",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
}
# The least an operator must set: secure defaults make check --deploy clean with this alone.
MINIMAL_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "factcheck.example.org",
    **SERVICES,
}
# What an operator following .env.example sets for an HTTPS deployment behind a proxy.
PRODUCTION_ENV = {
    **SERVICES,
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
    # Set for the whole test run by factcheck.pytest_plugin, and by CI.
    "FACTCHECK_PLAIN_HTTP",
    "FACTCHECK_EMBEDDED",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python with only ``env`` of the variables settings read (embedded unless told)."""
    clean = {k: v for k, v in os.environ.items() if k not in _OURS}
    if "DATABASE_URL" not in env:
        env = {"FACTCHECK_EMBEDDED": "1", **env}
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


def test_check_deploy_is_clean_with_only_the_required_variables():
    # HTTPS redirect, HSTS and Secure cookies are the defaults: W004, W008, W012 and W016
    # used to greet an operator who set just these.
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], MINIMAL_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_https_is_left_off():
    env = {
        **PRODUCTION_ENV,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr, check_id


def test_plain_http_is_an_explicit_opt_out_that_check_deploy_names():
    env = {**MINIMAL_ENV, "FACTCHECK_PLAIN_HTTP": "1"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert (
        "?: (factcheck.W001) FACTCHECK_PLAIN_HTTP=1: the site is served over plain HTTP (no "
        "HTTPS redirect, no HSTS, session and CSRF cookies without Secure)"
    ) in result.stderr
    assert "HINT: Serve the site over HTTPS and unset FACTCHECK_PLAIN_HTTP." in result.stderr
    # One warning that names the switch, not Django's four about its effects.
    assert "System check identified 1 issue" in result.stderr
    result = _run(["-c", _PRINT], env)
    assert result.stdout.strip() == "False False False 0 False None"


@pytest.mark.parametrize("missing", ["DATABASE_URL", "CELERY_BROKER_URL"])
def test_production_refuses_to_start_without_its_database_or_broker(missing):
    env = {k: v for k, v in MINIMAL_ENV.items() if k != missing}
    # Present but empty, as an unset variable in a compose file leaves it (and so _run does
    # not add FACTCHECK_EMBEDDED).
    env = {**env, "DATABASE_URL": env.get("DATABASE_URL", "")}

    result = _run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert (
        f"django.core.exceptions.ImproperlyConfigured: {missing} must be set when DEBUG is off; "
        "for SQLite and in-process tasks (a demo or a single-machine trial) set "
        "FACTCHECK_EMBEDDED=1"
    ) in result.stderr


def test_embedded_mode_is_asked_for_and_check_deploy_says_so():
    env = {k: v for k, v in MINIMAL_ENV.items() if k not in SERVICES}
    result = _run(["manage.py", "check", "--deploy"], {**env, "FACTCHECK_EMBEDDED": "1"})
    assert result.returncode == 0, result.stderr
    assert (
        "?: (factcheck.W002) FACTCHECK_EMBEDDED=1 and DATABASE_URL is unset: data goes to a "
        "local SQLite file; CELERY_BROKER_URL is unset: tasks run inside web requests. Fit for "
        "a demo, not a newsroom."
    ) in result.stderr


_PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True True True 3600 False None"),
        ({"FACTCHECK_PLAIN_HTTP": "1"}, "False False False 0 False None"),
        ({"SECURE_SSL_REDIRECT": "1"}, "True True True 3600 False None"),
        # A proxy that redirects itself: cookies and HSTS stay on.
        ({"SECURE_SSL_REDIRECT": "0"}, "False True True 3600 False None"),
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
            "True True True 3600 False ('HTTP_X_FORWARDED_PROTO', 'https')",
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
