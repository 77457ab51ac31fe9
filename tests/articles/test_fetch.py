"""Safe fetching: address checks, redirects, timeouts, size and type limits (local server)."""

from __future__ import annotations

import ipaddress

import pytest

from articles.importing import ArticleDraft, ImportRejection, read_url
from articles.importing.fetch import FetchError, address_is_public, fetch_url, resolve_checked
from tests.articles.samples import (
    OTHER_PARAGRAPHS,
    PARAGRAPHS,
    as_html,
    atom_feed,
    html_page,
    rss_feed,
)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.5.4", False),
        ("192.168.0.10", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),  # cloud metadata, link-local
        ("224.0.0.251", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 wrapping 10.0.0.1
    ],
)
def test_address_is_public(address, public):
    assert address_is_public(ipaddress.ip_address(address)) is public


def test_resolve_checked_refuses_localhost_names():
    with pytest.raises(FetchError, match="private, loopback, link-local or reserved"):
        resolve_checked("localhost", 80, allow_private=False)


def test_loopback_url_is_blocked_by_default(local_web, settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    url = local_web.route("/page", html_page())
    with pytest.raises(FetchError, match=r"resolves to 127\.0\.0\.1, a private, loopback"):
        fetch_url(url)
    assert local_web.requests == []  # refused before connecting


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/internal",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/admin",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_private_and_link_local_targets_are_blocked(url, settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(FetchError, match="private, loopback, link-local or reserved"):
        fetch_url(url, timeout=1)


def test_loopback_url_is_fetched_when_the_host_is_allowed(web):
    url = web.route("/page", html_page())
    fetched = fetch_url(url)
    assert fetched.url == url
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert b"Tram ridership" in fetched.content


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://news.example/a.txt", "gopher://x/", "http:///nohost"],
)
def test_non_http_urls_are_refused(url):
    with pytest.raises(FetchError, match=r"only http and https|has no host"):
        fetch_url(url)


def test_urls_with_credentials_are_refused(web):
    with pytest.raises(FetchError, match="credentials"):
        fetch_url(f"http://user:pw@127.0.0.1:{web.port}/page")


def test_timeout(web):
    url = web.route("/slow", html_page(), delay=1.5)
    with pytest.raises(FetchError, match=r"timed out after 0.5 s"):
        fetch_url(url, timeout=0.5)


def test_redirect_is_followed(web):
    target = web.route("/final", html_page())
    start = web.redirect("/start", "/final", status=301)
    assert fetch_url(start).url == target


def test_redirect_loop_is_detected(web):
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_url(web.url("/a"))


def test_too_many_redirects(web):
    for i in range(7):
        web.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_url(web.url("/r0"))


def test_redirect_to_a_private_host_is_rechecked(web):
    # 127.0.0.1 is allowed, "localhost" is not: the hop must be checked on its own.
    start = web.redirect("/out", f"http://localhost:{web.port}/page")
    web.route("/page", html_page())
    with pytest.raises(FetchError, match="localhost resolves to"):
        fetch_url(start)
    assert web.requests == ["/out"]


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("image/png", "content type image/png cannot be imported"),
        ("application/pdf", "content type application/pdf cannot be imported"),
        ("application/octet-stream", "content type application/octet-stream cannot"),
        ("video/mp4", "content type video/mp4 cannot be imported"),
    ],
)
def test_non_html_content_is_refused(web, content_type, expected):
    url = web.route("/file", b"\x89PNG\r\n\x1a\n" + bytes(100), content_type=content_type)
    with pytest.raises(FetchError, match=expected):
        fetch_url(url)


def test_oversize_page_by_content_length(web, settings):
    settings.IMPORT_MAX_BYTES = 1000
    url = web.route("/big", "<p>" + "x" * 5000 + "</p>")
    with pytest.raises(FetchError, match="larger than the 1,000 bytes limit"):
        fetch_url(url)


def test_oversize_page_without_content_length(web, settings):
    settings.IMPORT_MAX_BYTES = 1000
    url = web.route("/big", "<p>" + "x" * 5000 + "</p>", send_length=False)
    with pytest.raises(FetchError, match="larger than the 1,000 bytes limit"):
        fetch_url(url)


def test_http_error_status(web):
    with pytest.raises(FetchError, match="answered HTTP 404"):
        fetch_url(web.url("/missing"))


def test_declared_charset_decodes_the_page(web):
    page = html_page(
        paragraphs=["Die Behörde schätzt die Kosten auf 4,2 Millionen Euro für Straßen."]
    )
    page = page.replace('<meta charset="utf-8">', "")
    url = web.route("/de", page.encode("iso-8859-1"), content_type="text/html; charset=iso-8859-1")
    draft = next(read_url(url, fetch=fetch_url))
    assert "schätzt" in draft.body


def test_read_url_turns_fetch_errors_into_rejections(web):
    url = web.route("/img", b"GIF89a", content_type="image/gif")
    (rejection,) = read_url(url, fetch=fetch_url)
    assert isinstance(rejection, ImportRejection)
    assert rejection.origin == url
    assert rejection.reason == (
        "content type image/gif cannot be imported (HTML pages, RSS/Atom feeds, text and JSON only)"
    )


def test_https_to_a_plain_http_server_is_a_tls_error(web):
    with pytest.raises(FetchError, match="TLS error"):
        fetch_url(f"https://127.0.0.1:{web.port}/page")


def test_feed_served_as_text_html_is_read_as_a_feed(web):
    feed = rss_feed(
        [{"title": "Apples", "link": web.url("/a"), "content": as_html(OTHER_PARAGRAPHS)}]
    )
    url = web.route("/feed", feed, content_type="text/html; charset=utf-8")
    (draft,) = read_url(url, fetch=fetch_url)
    assert draft.title == "Apples"


def test_rss_feed_url_summary_only_entry_fetches_the_linked_page(web):
    page_url = web.route("/trams", html_page(canonical="/trams?utm_source=feed"))
    feed = rss_feed(
        [
            {"title": "Tram record", "link": page_url, "summary": "Ridership rose."},
            {"title": "Apples", "link": web.url("/apples"), "content": as_html(OTHER_PARAGRAPHS)},
            {"title": "Gone", "link": web.url("/gone"), "summary": "Missing page."},
        ]
    )
    feed_url = web.route("/feed.xml", feed, content_type="application/rss+xml")
    results = list(read_url(feed_url, fetch=fetch_url))
    assert [type(r).__name__ for r in results] == [
        "ArticleDraft",
        "ArticleDraft",
        "ImportRejection",
    ]
    trams = results[0]
    assert trams.title == "Tram record"
    assert trams.url == web.url("/trams")
    for paragraph in PARAGRAPHS:
        assert paragraph in trams.body
    assert trams.published_at.isoformat() == "2025-03-04T10:00:00+00:00"
    assert "/apples" not in web.requests  # full content needs no fetch
    assert "its page failed" in results[2].reason
    assert "HTTP 404" in results[2].reason


def test_atom_feed_url_summary_only_entry_fetches_the_linked_page(web):
    page_url = web.route("/harvest", html_page(title="Apple harvest", paragraphs=OTHER_PARAGRAPHS))
    feed_url = web.route(
        "/atom",
        atom_feed([{"title": "Apple harvest", "link": page_url, "summary": "Record year."}]),
        content_type="application/atom+xml; charset=utf-8",
    )
    (draft,) = read_url(feed_url, fetch=fetch_url)
    assert isinstance(draft, ArticleDraft)
    assert draft.author == "Ann Lee"
    assert OTHER_PARAGRAPHS[0] in draft.body
    assert draft.origin == f"{feed_url}#1 ({page_url})"


def test_summary_only_entry_linking_to_a_private_host_is_blocked(web):
    feed = rss_feed([{"title": "X", "link": "http://10.0.0.1/secret", "summary": "S."}])
    feed_url = web.route("/feed.xml", feed, content_type="application/rss+xml")
    (rejection,) = read_url(feed_url, fetch=fetch_url)
    assert "private, loopback" in rejection.reason


def test_malformed_feed_url(web):
    url = web.route("/bad.xml", "<rss><channel><item>", content_type="application/rss+xml")
    (rejection,) = read_url(url, fetch=fetch_url)
    assert "malformed feed" in rejection.reason


def test_connection_goes_to_the_checked_address_not_a_second_lookup(web, settings, monkeypatch):
    # DNS rebinding: a name that resolves to a public address when checked and to an
    # internal one when connecting. The fetcher resolves once and connects to that IP.
    import socket

    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def fake_getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        if host == "news.example":
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = ["news.example"]
    web.route("/page", html_page())
    fetched = fetch_url(f"http://news.example:{web.port}/page")
    assert fetched.url == f"http://news.example:{web.port}/page"
    assert lookups.count("news.example") == 1
    assert web.hosts == [f"news.example:{web.port}"]


@pytest.mark.parametrize("declared", ["²", "¹³"])  # digits a latin-1 header can carry
def test_a_content_length_of_unicode_digits_is_ignored_not_a_crash(web, declared):
    # "²".isdigit() is true but int("²") raises: the declared length is read as ASCII digits only.
    url = web.route(
        "/odd-length", "<p>Fine page.</p>", send_length=False, headers={"Content-Length": declared}
    )
    assert b"Fine page." in fetch_url(url).content
