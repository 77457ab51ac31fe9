"""Process and broker helpers for the tests that run real Redis servers and Celery workers."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import kombu.pools
import pytest
from django.db import connection

from factcheck.celery import app as celery_app

REPO_ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def run_manage(*args: str, broker_url: str) -> str:
    """Run ``manage.py`` in its own process (as cron would) on the test database."""
    env = {**os.environ, "DATABASE_URL": subprocess_database_url(), "CELERY_BROKER_URL": broker_url}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_producer_pool() -> None:
    # The app caches one connection pool for its broker URL; drop it so the next publish
    # connects to the URL configured now. kombu also keeps a process-wide registry of pools
    # by URL: clear it too, or a later test whose Redis got the same free port would be
    # handed the closed pool ("Acquire on closed pool") and publish nothing.
    kombu.pools.reset()
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Make this (test) process publish real messages to ``broker_url`` instead of eagerly."""
    from articles import proposal_queue

    conf = celery_app.conf
    # broker_write_url: conf.broker_url reads the CELERY_BROKER_URL environment variable first,
    # so assigning it would not take; the write URL is what publishing uses.
    saved = (conf.get("broker_write_url"), conf.get("broker_read_url"), conf.task_always_eager)
    # The read URL too: this process then also asks that broker how long its queues are.
    conf.broker_write_url = conf.broker_read_url = broker_url
    conf.task_always_eager = False
    _reset_producer_pool()
    # A pause after a failed publish (articles.proposal_queue) must not carry over.
    proposal_queue._broker_down_until = 0.0
    try:
        yield
    finally:
        conf.broker_write_url, conf.broker_read_url, conf.task_always_eager = saved
        _reset_producer_pool()
        proposal_queue._broker_down_until = 0.0


class RedisServer:
    """A private ``redis-server`` on a free port: never the shared one other people use."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1":
                pytest.fail(message)
            pytest.skip(message)
        self.proc = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False

    def client(self):
        import redis

        return redis.Redis(port=self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


def subprocess_database_url() -> str:
    """DATABASE_URL of the database this test process uses (pytest-django's test database)."""
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    host = s["HOST"] or ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{quote(s['NAME'], safe='')}"


class Worker:
    """One ``celery -A factcheck worker`` (or ``beat``) process group, logging to a file."""

    def __init__(
        self,
        *,
        broker_url: str,
        log_dir: Path,
        concurrency: int = 1,
        env=None,
        beat=False,
        queues: str | None = "proposals,default",
    ):
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.log_path = log_dir / f"{'beat' if beat else 'worker'}-{uuid.uuid4().hex[:8]}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": subprocess_database_url(),
            "CELERY_BROKER_URL": broker_url,
            # A test database is dropped at the end of the session: keep no idle connection.
            "DB_CONN_MAX_AGE": "0",
            "CLAIM_SCORER": "rules",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "factcheck"]
        if beat:
            command += ["beat", "-s", str(log_dir / "celerybeat-schedule"), "--loglevel", "INFO"]
        else:
            # queues=None: no -Q, as a newcomer types it (every declared queue).
            command += [
                "worker",
                *(("-Q", queues) if queues else ()),
                *("-c", str(concurrency)),
                *("--prefetch-multiplier", "1", "-P", "prefork"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                *("-n", self.name, "--loglevel", "INFO"),
            ]
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own process group: kill() takes the pool children down with the parent.
            start_new_session=True,
        )

    def children(self) -> list[int]:
        """PIDs of the pool processes (Linux /proc)."""
        pids = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                pids += [int(p) for p in (task / "children").read_text().split()]
        return pids

    def kill(self) -> None:
        """SIGKILL the whole worker: parent and pool children, no chance to clean up."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a local port that keeps every message it receives."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[Any] = []  # aiosmtpd Envelopes: mail_from, rcpt_tos, content
        self.controller = None

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(envelope)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def env(self) -> dict[str, str]:
        """Settings that make a worker send its email here, over plain SMTP."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_TIMEOUT": "5",
        }
