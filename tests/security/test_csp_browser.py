"""Under the site's Content-Security-Policy the admin, the reviewer pages and the API docs
work in a real browser, with no CSP violation, and hostile article text runs no script."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import ArticleFactory, ClaimFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

HOSTILE_TITLE = '<img src=x onerror="window.__xss=1">Council <script>window.__xss=2</script>'
HOSTILE_BODY = (
    "The council approved a budget of $48 million on Tuesday.\n\n"
    '<a href="javascript:window.__xss=3">Read more</a> <svg onload="window.__xss=4"></svg>'
)

# Collects violations in the page itself: init scripts are injected by the browser and are
# not subject to the page's CSP.
_WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def in_browser(scenario):
    """Run ``scenario(page)`` in headless Chromium, in a thread of its own.

    Playwright's sync API refuses to start where an event loop already runs, as it does for
    the rest of the session once tests/browser has opened its shared browser: a fresh thread
    has no loop. The scenario only drives the browser (no ORM calls in that thread).
    """
    sync_api = pytest.importorskip("playwright.sync_api")

    def run():
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            try:
                context = browser.new_context()
                context.set_default_timeout(15_000)
                context.add_init_script(_WATCH_CSP)
                page = context.new_page()
                page.console_errors = []
                page.on(
                    "console",
                    lambda msg: (
                        page.console_errors.append(msg.text) if msg.type == "error" else None
                    ),
                )
                page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))
                scenario(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def _login(page, base_url):
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", "stella")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def _assert_clean(page, url):
    violations = page.evaluate("window.__csp")
    csp_console = [m for m in page.console_errors if "Content Security Policy" in m]
    assert violations == [], (url, violations)
    assert csp_console == [], (url, csp_console)
    assert page.evaluate("window.__xss") is None, url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_csp_without_violations(live_server, staff_user):
    article = ArticleFactory(title=HOSTILE_TITLE, body=HOSTILE_BODY)
    claim = ClaimFactory(article=article)
    in_browser(lambda page: _visit_everything(page, live_server.url, article, claim))


def _visit_everything(page, base, article, claim):
    _login(page, base)
    _assert_clean(page, "/admin/")

    pages = [
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/",
        f"/claims/{claim.pk}/",
        f"/articles/{article.pk}/",
    ]
    for path in pages:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        _assert_clean(page, path)

    # Swagger UI: its bundle, init script and the schema all load from this origin.
    page.goto(f"{base}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=20_000)
    assert "factcheck API" in page.inner_text(".swagger-ui .information-container")
    # The operations were rendered from the schema, and the page's own stylesheet applied.
    assert page.locator(".opblock").count() > 5
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    _assert_clean(page, "/api/v1/docs/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_csp_really_blocks_inline_script(live_server):
    in_browser(lambda page: _inject_inline_script(page, live_server.url))


def _inject_inline_script(page, base):
    # Proof that the checks above can fail: a page with an inline script reports a violation.
    page.goto(f"{base}/admin/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__xss = 9'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
