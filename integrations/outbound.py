"""One outgoing HTTP POST under a total deadline: connect, send, headers and body together.

A socket timeout bounds each read, not the request: a receiver that sends one byte every few
seconds never trips it and can hold a worker for minutes. Here a timer shuts the socket down
when the deadline passes, which ends whatever read or write is blocked at that moment.
(articles/importing/fetch.py caps its reads the same way; the two could share one helper.)
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from urllib.parse import urlsplit


class DeadlineExceeded(TimeoutError):
    """The whole exchange did not finish within its deadline."""


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, read_max: int) -> int:
    """POST ``body`` and return the response status; raise once ``timeout`` seconds have passed.

    No proxy, no redirect (the caller checked this URL's address, not a redirect's), and at most
    ``read_max`` bytes of the response body are read. Network errors propagate as ``OSError``;
    a malformed response as ``http.client.HTTPException``.
    """
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            # Wakes the thread blocked in recv/send on this socket; it then raises OSError.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        conn.request("POST", path, body=body, headers=headers)
        if expired.is_set():  # connected after the deadline (the socket was not there yet)
            raise DeadlineExceeded(f"timed out after {timeout:g} s")
        response = conn.getresponse()
        response.read(read_max)
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise DeadlineExceeded(f"timed out after {timeout:g} s") from exc
        raise
    finally:
        timer.cancel()
        conn.close()
