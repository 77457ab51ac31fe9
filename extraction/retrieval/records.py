"""The archive's record type and the result of reading an archive file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Longest text kept per field: a claim or a headline is a sentence or two; anything much
# longer is a mis-mapped column (a whole article body), which would swamp the ranker.
MAX_FIELD_CHARS = 5_000
FIELDS = ("id", "claim", "title", "rating", "url", "author", "date")


@dataclass(frozen=True, slots=True)
class FactCheck:
    """One published fact-check: the claim it checked and who rated it how, when, where."""

    id: str
    claim: str
    title: str = ""
    rating: str = ""
    url: str = ""
    author: str = ""
    date: str = ""
    # Where it was read: its line (CSV, JSON Lines) or item number (JSON-LD); 0 if unknown.
    row: int = field(default=0, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read: ``row`` is its line (CSV, JSON Lines) or item number."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(slots=True)
class ReadResult:
    """Good records in file order, and one error per bad row (good rows are still kept)."""

    records: list[FactCheck] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    format: str = ""


class ArchiveError(ValueError):
    """The file as a whole cannot be read (too big, binary, not UTF-8, not the format)."""


def record_from_mapping(obj: Mapping[str, Any], *, row: int = 0) -> FactCheck:
    """Validate a flat ``{"id", "claim", "title", ...}`` mapping; ValueError names the problem."""
    values: dict[str, str] = {}
    for name in FIELDS:
        value = obj.get(name)
        if value is None:
            values[name] = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f'"{name}" must be a string')
        else:
            values[name] = _clean(str(value), name)
    if not values["id"]:
        raise ValueError('missing "id"')
    if not values["claim"] and not values["title"]:
        raise ValueError('needs a "claim" or a "title"')
    return FactCheck(**values, row=row)


def _clean(value: str, name: str) -> str:
    value = " ".join(value.split())
    if len(value) > MAX_FIELD_CHARS:
        raise ValueError(f'"{name}" is longer than {MAX_FIELD_CHARS} characters')
    if "\x00" in value:
        raise ValueError(f'"{name}" holds a NUL character')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f'"{name}" holds a lone surrogate') from None
    return value
