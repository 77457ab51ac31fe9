"""Refuse outgoing requests to private, loopback and link-local addresses (SSRF guard)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """The URL is not http(s), or its host resolves to an address we must not call."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allowed_private_hosts: Iterable[str] = (), resolve: bool = True) -> str:
    """Return the URL's host if it may be called; raise UnsafeUrl otherwise.

    Every address the host resolves to must be public: a name with one public and one private
    address could be steered to the private one. Hosts in ``allowed_private_hosts`` skip the
    address check (tests, an on-premises receiver the operator vouches for).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("Only http and https URLs are allowed.")
    host = parts.hostname
    if not host:
        raise UnsafeUrl("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl("The URL has an invalid port.") from exc
    if host.lower() in {h.lower() for h in allowed_private_hosts}:
        return host
    if not resolve:
        return host
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(f"The host {host!r} does not resolve.") from exc
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(_is_public(a) for a in addresses):
        raise UnsafeUrl(f"The host {host!r} resolves to a private, loopback or link-local address.")
    return host
