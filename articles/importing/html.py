"""HTML pages and feed fragments -> article text (trafilatura for pages, lxml for fragments)."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from articles.importing.text import canonical_url, clean_line, parse_datetime_lenient
from articles.importing.types import ArticleDraft, ImportRejection, ReadResult

logger = logging.getLogger(__name__)


def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    # trafilatura's timeout uses SIGALRM, which only works in a main thread (not in web
    # requests); our own size cap bounds the work instead.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


_CONFIG = None
MIN_HTML_WORDS = 5


def declared_canonical(html: str, base_url: str = "") -> str:
    """The page's own ``<link rel=canonical>`` or ``og:url``, as an absolute URL, or ""."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html[:500_000])
    except (ValueError, lxml.etree.ParserError):
        return ""
    candidates = tree.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', "
        "'canonical')), ' '), ' canonical ')]/@href | //meta[@property='og:url']/@content"
    )
    for candidate in candidates:
        absolute = canonical_url(urljoin(base_url, str(candidate).strip()))
        if absolute:
            return absolute
    return ""


def read_html(html: str, *, name: str, url: str = "", source: str = "") -> ReadResult:
    """Main text, title, byline and date of an HTML page (navigation, ads, widgets removed)."""
    global _CONFIG
    import trafilatura

    if _CONFIG is None:
        _CONFIG = _trafilatura_config()
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            config=_CONFIG,
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        logger.info("trafilatura failed on %s: %s", name, exc)
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    # On a page with no article trafilatura falls back to whatever text it finds ("Home").
    if len(text.split()) < MIN_HTML_WORDS:
        return ImportRejection(origin=name, reason=f"{name}: no article text found in the page")
    title = clean_line(doc.title)
    lines = text.split("\n")
    if title and clean_line(lines[0]) == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    notes: list[str] = []
    published = parse_datetime_lenient(doc.date, notes)
    return ArticleDraft(
        title=title,
        body="\n".join(lines),
        url=declared_canonical(html, url) or canonical_url(url),
        source=source or clean_line(doc.sitename),
        author=clean_line(doc.author),
        published_at=published,
        origin=name,
        line_paragraphs=True,
        notes=notes,
    )


_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
    "article", "pre", "figure", "figcaption", "header", "footer", "ul", "ol", "table",
)  # fmt: skip


def html_fragment_to_text(fragment: str) -> str:
    """Feed content (an HTML fragment) -> text, one block element per line; scripts dropped."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    for bad in root.xpath("//script|//style|//noscript|//iframe|//form"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()
