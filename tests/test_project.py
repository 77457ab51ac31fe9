"""Project-level checks: settings from the environment, migrations, compose file."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def _settings_env_names() -> set[str]:
    source = (ROOT / "factcheck" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z_]+)"', source))


def _run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = _settings_env_names() - listed
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_debug_off_requires_secret_key():
    result = _run_settings({"DEBUG": "0", "ALLOWED_HOSTS": "x.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_off_requires_allowed_hosts():
    result = _run_settings({"DEBUG": "0", "SECRET_KEY": "s" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_bad_boolean_fails_loudly():
    result = _run_settings({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "", "CELERY_BROKER_URL": ""}, "django.db.backends.sqlite3 True"),
        (
            {
                "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
                "CELERY_BROKER_URL": "redis://h:6379/0",
            },
            "django.db.backends.postgresql False",
        ),
    ],
)
def test_database_and_broker_follow_the_environment(env, expected):
    result = _run_settings({"DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_compose_file_defines_the_stack_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "pgdata" in compose["volumes"]
    # web, worker and beat share one definition (the x-app anchor) and so one configuration.
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["image"] == services["web"]["image"]


def test_compose_variables_are_settings_the_app_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    known = _settings_env_names()
    for name in ("migrate", "web", "worker", "beat"):
        assert set(compose["services"][name]["environment"]) <= known
    assert "celery" in compose["services"]["worker"]["command"]
    assert "factcheck" in compose["services"]["worker"]["command"]


def test_score_sentences_runs_in_a_bare_environment_without_secrets():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "score_sentences"],
        input='{"id": "a", "text": "The council approved a budget of $48 million."}\n',
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"id": "a"' in result.stdout


def test_the_web_app_still_refuses_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
