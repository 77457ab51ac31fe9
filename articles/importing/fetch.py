"""Fetching pages and feeds for import without becoming an SSRF hole.

Every hop (the URL and each redirect target) is resolved once, every address it resolves to
must be public unless the host is listed in ``IMPORT_ALLOWED_PRIVATE_HOSTS``, and the
connection goes to the very IP that was checked: a DNS answer that changes between the check
and the connect (rebinding) cannot redirect the request to an internal service.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from articles.importing.types import ImportFailure, format_size
from factcheck.parsing import parse_int

USER_AGENT = "factcheck-importer/1.0 (+https://github.com/factcheck)"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.9,text/plain;q=0.8"
)
# Media types the readers understand; anything else is refused before its body is read.
ALLOWED_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
    "application/json",
    "application/ld+json",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}


class FetchError(ImportFailure):
    """A URL could not be fetched (blocked, unreachable, too big, wrong type...)."""


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    url: str  # after redirects
    content_type: str  # media type only, lowercased ("" when the server sent none)
    charset: str | None
    content: bytes


def _settings():
    from django.conf import settings

    return settings


def address_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """False for private, loopback, link-local, multicast, reserved and unspecified addresses.

    IPv6 forms that embed an IPv4 address (mapped, 6to4, NAT64, Teredo) are judged by the
    IPv4 address they lead to.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.ipv4_mapped is not None:
            # Python counts all of ::ffff:0:0/96 as non-global; the socket reaches the IPv4.
            return address_is_public(ip.ipv4_mapped)
        if embedded is not None and not address_is_public(embedded):
            return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_checked(host: str, port: int, *, allow_private: bool) -> str:
    """Resolve ``host`` and return the IP to connect to; refuse non-public answers."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host}: host not found ({exc})") from None
    addresses = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        # Every answer must be public, not just the first: a resolver may rotate them.
        if not allow_private and not address_is_public(ip):
            raise FetchError(
                f"{host} resolves to {ip}, a private, loopback, link-local or reserved "
                "address; importing from internal addresses is not allowed"
            )
        addresses.append(ip)
    if not addresses:
        raise FetchError(f"{host}: host not found")
    return str(addresses[0])


def _split_content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _check_url(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be imported")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{url}: invalid port") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(f"{url}: the URL has no host")
    if parts.username or parts.password:
        raise FetchError(f"{url}: URLs with credentials are not imported")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, path


def fetch_url(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allowed_private_hosts: list[str] | None = None,
    max_redirects: int = MAX_REDIRECTS,
    extra_types: frozenset[str] = frozenset(),
) -> FetchedDocument:
    """GET a page or feed safely; raises FetchError with a reason an editor can act on.

    Defaults come from IMPORT_FETCH_TIMEOUT (seconds, for the whole fetch including
    redirects), IMPORT_MAX_BYTES and IMPORT_ALLOWED_PRIVATE_HOSTS. ``extra_types``: media types
    a caller's reader also understands (the fact-check archive reads text/csv).
    """
    settings = _settings()
    timeout = float(settings.IMPORT_FETCH_TIMEOUT if timeout is None else timeout)
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    allowed = {
        h.lower().rstrip(".")
        for h in (
            settings.IMPORT_ALLOWED_PRIVATE_HOSTS
            if allowed_private_hosts is None
            else allowed_private_hosts
        )
    }
    deadline = time.monotonic() + timeout
    with _Watchdog(deadline) as watchdog:
        return _fetch(
            url, deadline=deadline, timeout=timeout, max_bytes=max_bytes, allowed=allowed,
            max_redirects=max_redirects, watchdog=watchdog, extra_types=extra_types,
        )  # fmt: skip


def _fetch(
    url: str,
    *,
    deadline: float,
    timeout: float,
    max_bytes: int,
    allowed: set[str],
    max_redirects: int,
    watchdog: _Watchdog,
    extra_types: frozenset[str] = frozenset(),
) -> FetchedDocument:
    seen: set[str] = set()
    current = url.strip()
    for _hop in range(max_redirects + 1):
        key = current.split("#", 1)[0]
        if key in seen:
            raise FetchError(f"{url}: redirect loop (back to {current})")
        seen.add(key)
        response = _request(
            current, deadline=deadline, timeout=timeout, allowed=allowed, watchdog=watchdog
        )
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{current}: redirect without a Location header")
                current = urljoin(current, location.strip())
                continue
            if response.status >= 400:
                raise FetchError(f"{current}: the server answered HTTP {response.status}")
            media, charset = _split_content_type(response.headers.get("Content-Type"))
            allowed_media = media in ALLOWED_TYPES or media in extra_types
            if media and not allowed_media and not media.endswith(("+xml", "+json")):
                raise FetchError(
                    f"{current}: content type {media} cannot be imported "
                    "(HTML pages, RSS/Atom feeds, text and JSON only)"
                )
            content = _read_capped(
                response, deadline=deadline, timeout=timeout, url=current, max_bytes=max_bytes,
                watchdog=watchdog,
            )  # fmt: skip
            return FetchedDocument(
                url=current, content_type=media, charset=charset, content=content
            )
        finally:
            response.release_conn()
    raise FetchError(f"{url}: more than {max_redirects} redirects")


class _Watchdog:
    """Shuts down a fetch's sockets when its deadline passes, wherever the fetch is blocked.

    Socket timeouts bound each read, not their sum: a server that sends one byte a second
    (headers or body) never trips them, and 64 KB read calls each wait for the whole chunk.
    A timer that shuts the connection down ends any blocked connect, TLS handshake, header
    or body read at the deadline; the fetch then reports a timeout.
    """

    def __init__(self, deadline: float):
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor of the same connection: TLS wrapping detaches the original
        # socket object, and shutdown() acts on the connection whichever descriptor is used.
        dup = sock.dup()
        with self._lock:
            self._sockets.append(dup)
            if self.expired:
                _shutdown(dup)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type, watchdog: _Watchdog) -> type:
    """``base`` (a urllib3 connection class) registering each new socket with ``watchdog``."""

    def _new_conn(self):
        sock = base._new_conn(self)
        watchdog.watch(sock)
        return sock

    return type(f"Watched{base.__name__}", (base,), {"_new_conn": _new_conn})


def _request(url: str, *, deadline: float, timeout: float, allowed: set[str], watchdog: _Watchdog):
    scheme, host, port, path = _check_url(url)
    ip = resolve_checked(host, port, allow_private=host.lower() in allowed)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"{url}: timed out after {timeout:g} s")
    host_header = host if port in (80, 443) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port in (80, 443) else f"[{host}]:{port}"
    pool_kwargs = {
        "timeout": urllib3.Timeout(connect=remaining, read=remaining),
        "retries": False,
        "maxsize": 1,
    }
    if scheme == "https":
        # Connect to the checked IP, but verify the certificate (and send SNI) for the name.
        pool = urllib3.HTTPSConnectionPool(
            ip,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            **pool_kwargs,
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, **pool_kwargs)
    pool.ConnectionCls = _watched(pool.ConnectionCls, watchdog)
    try:
        return pool.urlopen(
            "GET",
            path,
            headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": ACCEPT},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except (HTTPError, OSError) as exc:
        # After the watchdog shut the socket, whatever broke is the deadline's doing.
        if watchdog.expired:
            raise FetchError(f"{url}: timed out after {timeout:g} s") from None
        if isinstance(exc, SSLError):
            raise FetchError(f"{url}: TLS error ({exc})") from None
        if isinstance(exc, NewConnectionError):
            raise FetchError(f"{url}: could not connect to {host}") from None
        raise FetchError(f"{url}: connection failed ({type(exc).__name__})") from None


def _read_capped(
    response, *, deadline: float, timeout: float, url: str, max_bytes: int, watchdog: _Watchdog
) -> bytes:
    declared = response.headers.get("Content-Length")
    declared_bytes = parse_int(declared, minimum=0) if declared else None
    if declared_bytes is not None and declared_bytes > max_bytes:
        raise FetchError(f"{url}: the page is larger than the {format_size(max_bytes)} limit")
    chunks, total = [], 0
    try:
        for chunk in response.stream(CHUNK, decode_content=True):
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    f"{url}: the page is larger than the {format_size(max_bytes)} limit"
                )
            # A server dripping one byte per read never trips the read timeout: cap the total.
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: timed out after {timeout:g} s")
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError):
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except (ProtocolError, HTTPError, OSError) as exc:
        if watchdog.expired:
            raise FetchError(f"{url}: timed out after {timeout:g} s") from None
        raise FetchError(f"{url}: the download broke off ({type(exc).__name__})") from None
    if watchdog.expired:
        # A body without a length just ends when the connection is shut: it is cut short.
        raise FetchError(f"{url}: timed out after {timeout:g} s")
    return b"".join(chunks)
