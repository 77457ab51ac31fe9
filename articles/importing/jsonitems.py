"""JSON and JSON Lines: one article per object, validated field by field (DRF-style errors)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from articles.importing.text import (
    DateOutOfRange,
    canonical_url,
    clean_line,
    invalid_text_problem,
    invalid_url_problem,
    parse_datetime_value,
)
from articles.importing.types import (
    ArticleDraft,
    ImportFailure,
    ImportRejection,
    ReadResult,
    format_size,
)

FIELD_ALIASES = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "publisher"),
    "author": ("author", "byline"),
    "published_at": ("published_at", "published", "date"),
    "language": ("language", "lang"),
}
# json recurses once per level: a file nested 100,000 deep raised RecursionError (a 500).
TOO_DEEP = "malformed JSON (nested too deeply; an article is an object of plain fields)"
FIELD_MAX = {"title": 500, "url": 2000, "source": 200, "author": 300, "language": 16}


def draft_from_mapping(
    item: object, *, origin: str, source: str = "", max_bytes: int | None = None
) -> ReadResult:
    """Validate one JSON item; a rejection carries DRF-style field errors."""
    if not isinstance(item, dict):
        return ImportRejection(
            origin=origin,
            reason="The item is not a JSON object.",
            errors={"non_field_errors": ["Expected a JSON object with title, body..."]},
        )
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, aliases in FIELD_ALIASES.items():
        value = next((item[a] for a in aliases if item.get(a) not in (None, "")), None)
        if field == "published_at":
            try:
                values[field] = parse_datetime_value(value)
            except DateOutOfRange as exc:
                errors[field] = [str(exc)]
            except ValueError:
                errors[field] = ["Enter a date and time in ISO 8601 (2025-03-04T10:00:00Z)."]
            continue
        if value is not None and not isinstance(value, str):
            errors[field] = ["Not a valid string."]
            continue
        values[field] = value or ""
        problem = invalid_text_problem(values[field])
        if field == "url" and not problem:
            problem = invalid_url_problem(values[field])
        if problem:
            errors[field] = [f"The {field} {problem}"]
            continue
        limit = FIELD_MAX.get(field)
        if limit and len(values[field]) > limit:
            errors[field] = [f"Ensure this field has no more than {limit} characters."]
    body = values.get("body", "")
    if "body" not in errors:
        if not body.strip():
            errors["body"] = ["This field is required."]
        elif max_bytes and len(body.encode("utf-8", "surrogatepass")) > max_bytes:
            errors["body"] = [f"The text is larger than the {format_size(max_bytes)} limit."]
    url = values.get("url", "")
    if url and "url" not in errors and not canonical_url(url):
        errors["url"] = ["Enter a valid http(s) URL."]
    if errors:
        reason = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        return ImportRejection(origin=origin, reason=reason, errors=errors)
    return ArticleDraft(
        title=clean_line(values["title"]),
        body=body,
        url=url,
        source=clean_line(values["source"]) or source,
        author=clean_line(values["author"]),
        published_at=values["published_at"],
        language=clean_line(values["language"]),
        origin=origin,
    )


def read_json(text: str, *, name: str, source: str, max_bytes: int) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            f"{name}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ImportFailure(f"{name}: {TOO_DEEP}") from None
    if isinstance(data, dict):
        wrapped = next(
            (data[k] for k in ("articles", "items") if isinstance(data.get(k), list)), None
        )
        items = wrapped if wrapped is not None else [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ImportFailure(f"{name}: expected a JSON object or a list of objects")
    if not items:
        raise ImportFailure(f"{name}: the JSON list is empty")
    for index, item in enumerate(items):
        origin = name if len(items) == 1 else f"{name}[{index}]"
        yield draft_from_mapping(item, origin=origin, source=source, max_bytes=max_bytes)


def read_jsonl(text: str, *, name: str, source: str, max_bytes: int) -> Iterator[ReadResult]:
    found = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        origin = f"{name}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ImportRejection(
                origin=origin,
                reason=f"line {lineno}: malformed JSON ({exc.msg}, column {exc.colno})",
            )
            continue
        except RecursionError:
            yield ImportRejection(origin=origin, reason=f"line {lineno}: {TOO_DEEP}")
            continue
        yield draft_from_mapping(item, origin=origin, source=source, max_bytes=max_bytes)
    if not found:
        raise ImportFailure(f"{name}: the file is empty")
