"""Project-written article texts and documents for the import tests (never seed copies)."""

# Typographic quotes are part of the texts under test.
# ruff: noqa: RUF001

from __future__ import annotations

import json

PARAGRAPHS = [
    "The Riverside transit authority said on Monday that ridership on its tram network rose "
    "by 14 percent last year, to 31 million journeys.",
    "Officials credited the new night service, which began in March, for most of the growth.",
    "“We expect another rise once the eastern line opens in 2027,” said the authority’s "
    "director, Lena Ortiz.",
    "Fares will stay at €2.10 until at least next summer, the authority added.",
]
BODY = "\n\n".join(PARAGRAPHS)

OTHER_PARAGRAPHS = [
    "Farmers in the Lowmoor valley harvested 8,200 tonnes of apples this autumn, a record "
    "for the cooperative.",
    "Dry weather in August cut the size of the fruit but raised its sugar content, growers said.",
    "The cooperative plans to open a cider press in the old railway depot next year.",
]
OTHER_BODY = "\n\n".join(OTHER_PARAGRAPHS)

THIRD_BODY = (
    "The city library will stay open until 10 p.m. on weekdays from January, its board "
    "decided on Thursday.\n\nThe longer hours cost about 90,000 euros a year, paid from the "
    "culture budget.\n\nStudents had collected 4,500 signatures for the change."
)

BOILERPLATE_TAIL = [
    "By Marta Quill, with Reuters",
    "Subscribe to our newsletter",
    "Newsletter signup",
    "Please wait...",
    "Thank you for sign up!",
    "Share this article",
]


def html_page(
    *,
    title: str = "Tram ridership hits record",
    paragraphs: list[str] | None = None,
    canonical: str | None = None,
    extra_head: str = "",
    extra_article: str = "",
) -> str:
    paragraphs = PARAGRAPHS if paragraphs is None else paragraphs
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Riverside Post</title>{link}
<meta name="author" content="Jon Pike">
<meta property="article:published_time" content="2025-02-03T08:00:00Z">{extra_head}</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad-banner">Advertisement</div>
<main><article>
<h1>{title}</h1>
{body}
{extra_article}
<div class="newsletter-box"><p>Subscribe to our newsletter</p><p>Please wait...</p></div>
<div class="share-tools"><p>Share this article</p><a href="#">Facebook</a></div>
</article></main>
<footer><p>Copyright 2025 Riverside Post. All rights reserved.</p></footer>
</body></html>"""


def rss_feed(items: list[dict]) -> str:
    entries = []
    for item in items:
        parts = [f"<title>{item['title']}</title>", f"<link>{item['link']}</link>"]
        if "summary" in item:
            parts.append(f"<description>{item['summary']}</description>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>")
        entries.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Riverside Post</title><link>https://post.example/</link>"
        "<description>News</description>" + "".join(entries) + "</channel></rss>"
    )


def atom_feed(entries: list[dict]) -> str:
    parts = []
    for entry in entries:
        content = (
            f'<content type="html"><![CDATA[{entry["content"]}]]></content>'
            if "content" in entry
            else f"<summary>{entry['summary']}</summary>"
        )
        parts.append(
            f'<entry><title>{entry["title"]}</title><link href="{entry["link"]}"/>'
            f"<id>{entry['link']}</id><updated>2025-03-04T10:00:00Z</updated>"
            f"<author><name>{entry.get('author', 'Ann Lee')}</name></author>{content}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Valley News</title><id>urn:valley</id><updated>2025-03-04T10:00:00Z</updated>"
        + "".join(parts)
        + "</feed>"
    )


def as_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def json_items(*items: dict) -> str:
    return json.dumps(list(items), ensure_ascii=False)
