"""IMPORT_FETCH_TIMEOUT bounds the whole fetch, even against a server that sends a byte at a time.

The deadline was checked only between 64 KB chunks: a page that announced its length and
then sent one byte a second kept an admin import running until gunicorn killed it (a 500)
and a CLI import for minutes. A real, bounded slow server on 127.0.0.1 plays the sender;
the tests assert that the importer hung up before the server had sent everything.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.urls import reverse

from articles.importing.fetch import FetchError, fetch_url
from articles.models import Article
from tests.articles.samples import html_page
from tests.factories import EditorFactory

DRIP_BYTES = 400  # at DRIP_INTERVAL each: 8 s if the importer never hangs up
DRIP_INTERVAL = 0.02
TIMEOUT = 0.5


class SlowServer:
    """One-connection-at-a-time HTTP server that drips its answer (headers or body)."""

    def __init__(self, mode: str):
        self.mode = mode
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sent = 0
        self.hung_up = threading.Event()  # the client closed before the end
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/story"

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)  # the request
            body = html_page().encode()[:DRIP_BYTES].ljust(DRIP_BYTES, b" ")
            if self.mode == "body":
                head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}"
                conn.sendall(head.encode() + b"\r\n\r\n")
                drip = body
            elif self.mode == "no-length":
                head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close"
                conn.sendall(head.encode() + b"\r\n\r\n")
                drip = body
            else:  # headers that never end
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                drip = b"a" * DRIP_BYTES
            try:
                for byte in drip:
                    conn.sendall(bytes([byte]))
                    self.sent += 1
                    time.sleep(DRIP_INTERVAL)
            except OSError:  # broken pipe / reset: the importer hung up
                self.hung_up.set()
        self.done.set()

    def close(self) -> None:
        self.sock.close()
        # Bounded: the drip ends by itself after DRIP_BYTES * DRIP_INTERVAL seconds.
        self.done.wait(DRIP_BYTES * DRIP_INTERVAL + 5)


@pytest.fixture
def slow_server(settings, request):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.IMPORT_FETCH_TIMEOUT = TIMEOUT
    server = SlowServer(request.param)
    yield server
    server.close()


@pytest.mark.parametrize("slow_server", ["body", "no-length", "headers"], indirect=True)
def test_a_dripping_server_is_cut_off_at_the_fetch_timeout(slow_server):
    with pytest.raises(FetchError, match=r"/story: timed out after 0\.5 s"):
        fetch_url(slow_server.url)
    slow_server.close()
    assert slow_server.hung_up.is_set()
    assert slow_server.sent < DRIP_BYTES


@pytest.mark.django_db
@pytest.mark.parametrize("slow_server", ["body"], indirect=True)
def test_admin_import_reports_the_timeout_and_imports_nothing(client, slow_server):
    client.force_login(EditorFactory(username="edna", is_staff=True))
    response = client.post(
        reverse("admin:articles_article_import"), {"urls": slow_server.url, "propose": ""}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Imported 0, duplicates 0, rejected 1." in content
    assert "timed out after 0.5 s" in content
    assert Article.objects.count() == 0
    slow_server.close()
    assert slow_server.hung_up.is_set()
