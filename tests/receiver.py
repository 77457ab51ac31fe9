"""A local HTTP endpoint that stands in for a webhook receiver (tests of deliveries)."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """A local HTTP endpoint that records requests and answers with queued status codes."""

    def __init__(self):
        self.requests: list[dict] = []
        self.codes: deque[int] = deque()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.codes.popleft() if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/factcheck"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def verify(request: dict, secret: str) -> bool:
    """What a receiver does: HMAC-SHA256 over "<timestamp>.<body>", compared in constant time."""
    timestamp = request["headers"]["X-Factcheck-Timestamp"]
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256)
    expected = "sha256=" + mac.hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-Factcheck-Signature"])


class DripReceiver:
    """A receiver that answers 200 one byte at a time, ``interval`` seconds apart.

    Each byte alone arrives well within a socket timeout; the whole response takes
    ``len(RESPONSE) * interval`` seconds. ``hung_up`` records, per connection, whether the
    client closed it before the last byte was sent.
    """

    RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"

    def __init__(self, interval: float):
        import socket

        self.interval = interval
        self.hung_up: list[bool] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks/slow"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        import time

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            with conn:
                conn.recv(65536)
                for i in range(len(self.RESPONSE)):
                    try:
                        conn.sendall(self.RESPONSE[i : i + 1])
                    except OSError:
                        self.hung_up.append(True)
                        break
                    time.sleep(self.interval)
                else:
                    self.hung_up.append(False)

    def close(self):
        self.sock.close()


class HangingReceiver:
    """A receiver that accepts every connection and never answers until ``release()``."""

    def __init__(self):
        import socket

        self.held: list = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks/stuck"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            self.held.append(conn)

    def release(self):
        """Close the listening socket and every held connection (the client sees a reset)."""
        self.sock.close()
        for conn in self.held:
            conn.close()
