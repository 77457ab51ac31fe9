"""Processes the suite starts (gunicorn, celery workers), always stopped by their own pid group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import core


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Group:
    """A child process in a session of its own, so stop() takes its children down too."""

    def __init__(self, cmd: list[str], *, env: dict, name: str) -> None:
        self.log_path = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=core.REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> list[int]:
        pids = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                pids += [int(p) for p in (task / "children").read_text().split()]
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()
        with contextlib.suppress(OSError):
            self.log_path.unlink()


def peak_rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used so far (Linux /proc)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


@contextlib.contextmanager
def gunicorn(db_url: str, *, workers: int = 2, access_log: Path | None = None):
    """gunicorn serving the app (bench settings) on a free loopback port; yields the base URL.

    With ``access_log``, every request is logged as "METHOD PATH STATUS MICROSECONDS": the
    server's own time for it, from request read to response written.
    """
    port = free_port()
    logging = (
        ["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]
        if access_log
        else []
    )
    cmd = [
        core.PY,
        "-m",
        "gunicorn",
        "factcheck.wsgi:application",
        *("-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"),
        *("--log-level", "warning"),
        *logging,
    ]
    group = Group(cmd, env=core.bench_env(db_url, DB_CONN_MAX_AGE="600"), name="gunicorn")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                if group.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "gunicorn did not start:\n" + group.output()[-3000:]
                    ) from None
                time.sleep(0.3)
        yield base
    finally:
        group.stop()


def manage(
    db_url: str, *args: str, stdin=None, timeout: float = 900
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [core.PY, "manage.py", *args],
        cwd=core.REPO,
        env=core.bench_env(db_url),
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def create_token(db_url: str, scope: str) -> str:
    code = (
        "from integrations.services import api_token_create;"
        f"print(api_token_create(name='bench {scope}', scope='{scope}').key)"
    )
    out = manage(db_url, "shell", "-c", code)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return out.stdout.strip().splitlines()[-1]
