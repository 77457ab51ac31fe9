"""The compose stack, the image and what they leave out (`docker compose config` cannot run
here: there is no engine, so these read the files)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "webhooks", "notifications", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _test(service) -> str:
    return " ".join(service["healthcheck"]["test"])


def test_every_long_running_service_has_a_health_check(compose):
    services = compose["services"]
    for name in ("db", "redis", "web", "worker", "webhooks", "notifications", "beat"):
        check = services[name]["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert check["retries"] >= 3, name


def test_health_checks_probe_the_right_thing(compose):
    services = compose["services"]
    assert _test(services["web"]) == "CMD curl -fsS http://127.0.0.1:8000/healthz"
    assert "inspect ping -d celery@" in _test(services["worker"])
    assert "inspect ping -d webhooks@" in _test(services["webhooks"])
    assert "inspect ping -d notifications@" in _test(services["notifications"])
    assert _test(services["beat"]) == "CMD python -m factcheck.probe heartbeat"


def test_web_worker_and_beat_wait_for_the_migration(compose):
    for name in ("web", "worker", "webhooks", "notifications", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    depends = compose["services"]["migrate"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert compose["services"]["migrate"]["restart"] == "no"


def test_webhook_deliveries_and_emails_have_a_worker_of_their_own(compose):
    queues = {}
    for name in ("worker", "webhooks", "notifications"):
        command = compose["services"][name]["command"]
        queues[name] = set(command[command.index("-Q") + 1].split(","))
    assert queues == {
        "worker": {"proposals", "matching", "default"},
        "webhooks": {"webhooks"},
        "notifications": {"notifications"},
    }
    # Every declared queue has a consumer in the stack.
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert set().union(*queues.values()) == declared


def test_data_lives_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"pgdata", "redisdata"}
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redisdata:/data" in compose["services"]["redis"]["volumes"]


def test_the_database_password_has_no_default(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${POSTGRES_PASSWORD:?" in compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    # Every use of it must require it: no `${POSTGRES_PASSWORD:-fallback}` anywhere.
    assert re.findall(r"\$\{POSTGRES_PASSWORD(:.)", text) == [":?"] * text.count(
        "${POSTGRES_PASSWORD"
    )


def test_app_containers_drop_privileges(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name


def test_compose_variables_are_documented_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z_]+)", text))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used, "expected ${VAR} interpolation in docker-compose.yml"
    assert used <= listed, f".env.example lacks {sorted(used - listed)}"


def test_env_example_is_a_production_configuration():
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M))
    assert values["DEBUG"] == "0"
    assert values["SECURE_SSL_REDIRECT"] == "1"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["LOG_FORMAT"] == "json"


def test_image_runs_as_an_unprivileged_user_with_static_files_built_in():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "collectstatic --noinput" in dockerfile
    assert not re.search(r"^(ENV|ARG) .*SECRET_KEY", dockerfile, re.M)


@pytest.mark.parametrize("path", [".env", ".git", ".venv", "db.sqlite3", "*.dump"])
def test_docker_build_context_leaves_out_secrets_and_local_state(path):
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert path in ignored


def test_image_dependency_layer_installs_exactly_the_project_dependencies():
    # The Dockerfile installs the dependencies from pyproject alone (a cached layer), then the
    # code with --no-deps: run its extraction command and compare with pyproject.
    dockerfile = (ROOT / "Dockerfile").read_text()
    (code,) = re.findall(r'python -c "(.+?)"\s*\\', dockerfile)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert result.stdout.split("\n")[:-1] == wanted
    assert "pip install --no-deps ." in dockerfile
