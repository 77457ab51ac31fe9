"""Text and metadata clean-up shared by every reader: pure Python, no Django."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extraction.boilerplate import is_boilerplate_line, is_byline

MAX_TITLE_CHARS = 500
# A first line this short, not ending like a sentence, is taken as the title.
HEADING_MAX_CHARS = 150
HEADING_MAX_WORDS = 20
DERIVED_TITLE_CHARS = 120


def normalize_body(text: str) -> str:
    """NFC, LF line endings, trimmed lines, single blank line between paragraphs.

    Curly quotes, dashes and no-break spaces are kept as text: they are part of what the
    article says, and claim offsets point into exactly this string.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs, current = [], []
    for raw in text.split("\n"):
        line = " ".join(raw.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0").strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current) if _is_wrapped(current) else "\n".join(current))
    return "\n\n".join(paragraphs)


def _is_wrapped(lines: list[str]) -> bool:
    # Hard-wrapped prose (a paragraph broken at ~72 columns) is rejoined; a block of short
    # independent lines (one paragraph per line, as in most exports) keeps its breaks.
    return len(lines) > 1 and all(
        not ln.endswith((".", "!", "?", ":", "”", '"')) for ln in lines[:-1]
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def clean_body(text: str, *, line_paragraphs: bool = False) -> tuple[str, list[str]]:
    """Normalise an article's text and drop web boilerplate lines; returns (body, bylines).

    Bylines are dropped from the text too (they are not claims) and handed back so the caller
    can keep one as the author.
    """
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if line_paragraphs:
        text = "\n\n".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    # Normalise first so hard-wrapped paragraphs are whole lines before they are judged:
    # the boilerplate rules match a whole line, never a fragment of one.
    normalized = normalize_body(text)
    kept, bylines = [], []
    for line in normalized.split("\n"):
        if line and is_boilerplate_line(line):
            if is_byline(line):
                bylines.append(line)
            continue
        kept.append(line)
    if len(kept) == normalized.count("\n") + 1:
        return normalized, bylines  # nothing dropped: already normal
    return normalize_body("\n".join(kept)), bylines


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def invalid_text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a lone UTF-16 surrogate), or None.

    JSON may carry "\\ud800" escapes that decode to half a character: no database or
    encoder accepts it, and hashing or saving it failed the whole batch.
    """
    match = _SURROGATE.search(value)
    if match is None:
        return None
    return (
        f"contains an invalid character (a lone UTF-16 surrogate, "
        f"U+{ord(match.group()):04X}) at position {match.start() + 1}."
    )


def invalid_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a URL because of a character in it (NUL, control...), or None."""
    match = _URL_FORBIDDEN.search(value.strip())
    if match is None:
        return None
    char = match.group()
    kind = "a lone UTF-16 surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
    if char == "\x00":
        kind = "a NUL character"
    return f"contains {kind} (U+{ord(char):04X}) at position {match.start() + 1}."


def author_from_byline(line: str) -> str:
    """ "By Jane Doe, Reuters" -> "Jane Doe, Reuters"."""
    return re.sub(r"^\s*by\s+", "", line, flags=re.IGNORECASE).strip(" .")[:300]


def clean_line(text: str | None) -> str:
    """One-line metadata value: NFC, whitespace collapsed."""
    return " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", text or "")).split())


def derive_title(body: str) -> str:
    """A title for an article that has none: its first sentence, cut at a word boundary."""
    first = body.split("\n", 1)[0]
    match = re.match(r"(.+?[.!?])(?:\s|$)", first)
    title = match.group(1) if match else first
    if len(title) <= DERIVED_TITLE_CHARS:
        return title
    cut = title[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:\u2014\u2013- ") + "…"


def looks_like_heading(line: str) -> bool:
    """True for a short first line that does not end like a sentence (a headline)."""
    line = line.strip()
    return (
        0 < len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and not line.endswith((".", ",", ";", ":", "!", "?", '"', "”", "…"))
    )


# --- URLs -----------------------------------------------------------------------------------

_TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ocid",
    "cmpid",
    "smid",
    "sr_share",
    "ref_src",
    "ref_url",
    "share",
    "at_medium",
    "at_campaign",
    "taid",
}


def canonical_url(url: str | None) -> str:
    """The duplicate key of a URL: lowercase scheme and host, no fragment, no tracking params.

    Returns "" for anything that is not an absolute http(s) URL.
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in url):
        return ""
    if invalid_url_problem(url):
        return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(("utm_", "pk_", "mtm_"))
        and key.lower() not in _TRACKING_PARAMS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(sorted(query)), ""))


# --- dates ----------------------------------------------------------------------------------


def parse_datetime_value(value: object) -> datetime | None:
    """ISO 8601 or RFC 2822 text (or a date/datetime) -> aware datetime; raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            result = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                result = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                raise ValueError(f"{value!r} is not a date (use ISO 8601)") from None
    else:
        raise ValueError(f"{value!r} is not a date (use ISO 8601)")
    if result.tzinfo is None:
        # Sources that give no offset are overwhelmingly UTC feeds and CMS exports.
        result = result.replace(tzinfo=UTC)
    problem = datetime_range_problem(result)
    if problem:
        raise DateOutOfRange(problem)
    return result


class DateOutOfRange(ValueError):
    """A readable date outside the range an article's date may have."""


# Publication dates an article can carry, judged in UTC. Python and the database store years
# 1-9999 only, and a date near either end overflows once shifted to another time zone
# ("9999-12-31T23:59:59-14:00" is in year 10000 in UTC): stored, it broke every page that
# listed the article. A newsroom's archive and its embargoed stories fit well inside.
EARLIEST_PUBLISHED = datetime(1000, 1, 1, tzinfo=UTC)
LATEST_PUBLISHED = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
DATE_RANGE_TEXT = "between 1000-01-01 and 2999-12-31 (UTC)"


def datetime_range_problem(value: datetime | None) -> str | None:
    """Why an aware datetime cannot be an article's date (out of range), or None if it can."""
    if value is None:
        return None
    try:
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST_PUBLISHED <= utc <= LATEST_PUBLISHED:
        return f"{value.isoformat()} is out of range: the date must be {DATE_RANGE_TEXT}."
    return None


def parse_datetime_lenient(value: object, notes: list[str] | None = None) -> datetime | None:
    """Like parse_datetime_value, but an unreadable date is just unknown (pages, feeds).

    An out-of-range date is dropped too; ``notes`` gets a line saying so, for the report.
    """
    try:
        return parse_datetime_value(value)
    except DateOutOfRange as exc:
        if notes is not None:
            notes.append(f"date dropped: {exc}")
        return None
    except ValueError:
        return None


# --- plain text and Markdown ----------------------------------------------------------------

_META_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "url": "url",
    "link": "url",
    "author": "author",
    "byline": "author",
    "authors": "author",
    "date": "published_at",
    "published": "published_at",
    "published_at": "published_at",
    "language": "language",
    "lang": "language",
}
_META_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")


def split_metadata(text: str) -> tuple[dict[str, str], str]:
    """Front matter (``---`` block) or leading ``Key: value`` lines -> (metadata, rest).

    Only known keys count, so a first sentence like "Note: the council..." stays text.
    """
    text = text.lstrip("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                for raw in lines[1:index]:
                    match = _META_LINE.match(raw)
                    if match and match.group(1).lower() in _META_KEYS:
                        meta[_META_KEYS[match.group(1).lower()]] = match.group(2).strip("'\"")
                return meta, "\n".join(lines[index + 1 :])
        return meta, text  # an unclosed "---" is just a rule
    index = 0
    while index < len(lines):
        match = _META_LINE.match(lines[index])
        if not match or match.group(1).lower() not in _META_KEYS or not match.group(2):
            break
        meta[_META_KEYS[match.group(1).lower()]] = match.group(2)
        index += 1
    if meta and (index == len(lines) or not lines[index].strip()):
        return meta, "\n".join(lines[index:])
    return {}, text


_MD_RULES = [
    (re.compile(r"^[ \t]{0,3}```.*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (
        re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE),
        r"\1",
    ),  # ATX headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.MULTILINE), ""),  # rules
    (re.compile(r"^[ \t]{0,3}[-*+][ \t]+", re.MULTILINE), ""),  # bullets
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]


def markdown_to_text(text: str) -> str:
    """Markdown -> the plain text a reader sees (claims point into text, not markup)."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def title_and_body(text: str, *, markdown: bool = False) -> tuple[dict[str, str], str]:
    """Split a text/Markdown document into metadata (title included when found) and body."""
    meta, rest = split_metadata(text)
    stripped = rest.lstrip("\n")
    first, _, remainder = stripped.partition("\n")
    if markdown and re.match(r"^\s{0,3}#\s+\S", first):
        meta.setdefault("title", markdown_to_text(first).strip())
        rest = remainder
    elif (
        "title" not in meta
        and remainder.strip()
        and looks_like_heading(markdown_to_text(first) if markdown else first)
        and not is_boilerplate_line(first)  # "By Jane Doe" opens many articles
    ):
        meta["title"] = markdown_to_text(first) if markdown else first
        rest = remainder
    if markdown:
        rest = markdown_to_text(rest)
    return meta, rest
