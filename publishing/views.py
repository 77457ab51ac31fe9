"""Public fact-check pages (no login, cacheable, read-only) and the oEmbed endpoint.

Rendered without the request (``render_to_string`` with no request): no context processor
runs, so a public page never reads the session, sets a cookie or carries a CSRF token, and a
shared cache may keep it. Every link that leaves the app is built from SITE_URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from claims.models import ClaimStatus
from publishing import selectors
from publishing.claimreview import claim_review, json_ld_script_body
from publishing.models import Publication

MAX_ID = 2**31 - 1


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    return response


def _page(template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {
        "publisher_name": settings.PUBLISHER_NAME,
        "publisher_url": settings.PUBLISHER_URL,
        "site_url": settings.SITE_URL,
        **context,
    }
    return _public(HttpResponse(render_to_string(template, context), status=status))


def fact_check_context(publication: Publication) -> dict:
    """What a public fact-check shows (page and embed)."""
    claim = publication.claim
    corrections = list(claim.corrections.all())
    return {
        "publication": publication,
        "claim": claim,
        "article": claim.article,
        "label": selectors.public_label(claim.status),
        "has_verdict": claim.status not in (ClaimStatus.PROPOSED, ClaimStatus.DISMISSED),
        "evidence": list(claim.evidence.all()),
        "corrections": [
            {
                "correction": c,
                "old_label": selectors.public_label(c.old_status),
                "new_label": selectors.public_label(c.new_status),
            }
            for c in corrections
        ],
        "page_url": selectors.fact_check_url(claim.pk),
        "article_page_url": selectors.article_fact_checks_url(claim.article_id),
    }


@require_GET
def fact_check(request: HttpRequest, claim_id: int) -> HttpResponse:
    """One published verdict: the claim, who said it where, the verdict, why, corrections."""
    publication = selectors.publication_for_page(claim_id=min(claim_id, MAX_ID))
    if publication is None:
        raise Http404("No published fact-check.")
    context = fact_check_context(publication)
    data = claim_review(publication=publication)
    context["json_ld"] = json_ld_script_body(data) if data else ""
    return _page("publishing/fact_check.html", context)


def _article_context(article_id: int) -> dict:
    publications = selectors.article_publications(article_id=min(article_id, MAX_ID))
    if not publications:
        raise Http404("No published fact-checks for this article.")
    article = publications[0].claim.article
    return {
        "article": article,
        "checks": [
            {
                "publication": p,
                "claim": p.claim,
                "label": selectors.public_label(p.claim.status),
                "url": selectors.fact_check_url(p.claim_id),
            }
            for p in publications
        ],
        "page_url": selectors.article_fact_checks_url(article.pk),
        "embed_url": selectors.public_url(reverse("publishing:embed", args=[article.pk])),
    }


@require_GET
def article_fact_checks(request: HttpRequest, article_id: int) -> HttpResponse:
    """An article's published fact-checks, for a CMS to link next to the story."""
    return _page("publishing/article.html", _article_context(article_id))


@xframe_options_exempt
@require_GET
def article_embed(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article's fact-checks as a minimal snippet a CMS frames beside the story."""
    response = _page("publishing/embed.html", _article_context(article_id))
    # django-csp 4 reads this attribute: the site's frame-ancestors 'none' is replaced for
    # this response only, by PUBLIC_EMBED_FRAME_ANCESTORS.
    replace = {"frame-ancestors": settings.PUBLIC_EMBED_FRAME_ANCESTORS}
    response._csp_replace = response._csp_replace_ro = replace
    return response


_OEMBED_PATHS = (
    (re.compile(r"^/fact-checks/articles/(\d{1,10})/(?:embed/)?$"), "article"),
    (re.compile(r"^/fact-checks/(\d{1,10})/$"), "claim"),
)


def _oembed_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _dimension(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) <= 10000:
        raise ValueError(f"{name} must be a positive whole number of pixels, got {raw[:20]!r}.")
    return min(default, int(raw))


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com) for an article's or a claim's public page: a rich iframe."""
    if request.GET.get("format", "json") != "json":
        return _oembed_error(501, "Only format=json is supported.")
    url = request.GET.get("url", "").strip()
    if not url:
        return _oembed_error(400, "Give the page to embed as ?url=.")
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return _oembed_error(404, f"Only pages of {settings.SITE_URL} can be embedded.")
    path = parts.path.removeprefix(site.path.rstrip("/"))
    found, kind = None, ""
    for pattern, name in _OEMBED_PATHS:
        found = pattern.match(path)
        if found:
            kind = name
            break
    if found is None:
        return _oembed_error(404, "Not a public fact-check page.")
    try:
        width = _dimension(request, "maxwidth", settings.PUBLIC_EMBED_WIDTH)
        height = _dimension(request, "maxheight", settings.PUBLIC_EMBED_HEIGHT)
    except ValueError as exc:
        return _oembed_error(400, str(exc))
    pk = min(int(found.group(1)), MAX_ID)
    if kind == "claim":
        publication = selectors.publication_for_page(claim_id=pk)
        if publication is None:
            return _oembed_error(404, "No published fact-check at that address.")
        article_id, title = publication.claim.article_id, f"Fact check: {publication.claim.text}"
    else:
        publications = selectors.article_publications(article_id=pk)
        if not publications:
            return _oembed_error(404, "No published fact-checks at that address.")
        article_id = pk
        title = f"Fact checks: {publications[0].claim.article.title}"
    embed = selectors.public_url(reverse("publishing:embed", args=[article_id]))
    html = render_to_string(
        "publishing/partials/oembed_iframe.html",
        {"src": embed, "width": width, "height": height, "title": title},
    ).strip()
    return _public(
        JsonResponse(
            {
                "version": "1.0",
                "type": "rich",
                "title": title,
                "provider_name": settings.PUBLISHER_NAME,
                "provider_url": settings.PUBLISHER_URL,
                "cache_age": settings.PUBLIC_PAGE_MAX_AGE,
                "html": html,
                "width": width,
                "height": height,
            }
        )
    )
