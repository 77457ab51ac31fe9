"""A local HTTP server for URL and feed import tests (127.0.0.1, one thread per request)."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    send_length: bool = True


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.server.routes.get(self.path)
        self.server.requests.append(self.path)
        self.server.hosts.append(self.headers.get("Host"))
        if route is None:
            route = Route(body=b"not found", content_type="text/plain", status=404)
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        for key, value in route.headers.items():
            self.send_header(key, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(route.body)

    def log_message(self, *args):  # keep test output clean
        pass


class LocalWeb:
    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.port = server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def route(self, path: str, body: bytes | str = b"", **kwargs) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.server.routes[path] = Route(body=body, **kwargs)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, b"", status=status, headers={"Location": location})

    @property
    def requests(self) -> list[str]:
        return self.server.requests

    @property
    def hosts(self) -> list[str]:
        """The Host header of each request, in order."""
        return self.server.hosts


@pytest.fixture
def local_web():
    """A live server on 127.0.0.1 with routes set per test (the host is not yet allowed)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {}
    server.requests = []
    server.hosts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalWeb(server)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def web(local_web, settings):
    """``local_web`` with 127.0.0.1 allowed as an import source (IMPORT_ALLOWED_PRIVATE_HOSTS)."""
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.IMPORT_FETCH_TIMEOUT = 2
    return local_web
