"""Cut an article body into paragraphs of plain-text segments, some of them claim spans.

Pure Python and no HTML: templates render each segment with autoescaping on, so article text
is never marked safe. A claim's offsets point into ``Article.body`` (``body[start:end]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Importers normalise bodies to paragraphs separated by newlines; any newline run ends one.
_PARAGRAPH_BREAK = re.compile(r"\n+")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    end: int
    # The object (usually a Claim) whose span covers this piece, or None for plain text.
    item: Any = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    segments: tuple[Segment, ...]


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) offsets of the paragraph(s) holding ``body[start:end]``."""
    para_start = body.rfind("\n", 0, start) + 1
    newline = body.find("\n", end)
    return para_start, len(body) if newline == -1 else newline


def _paragraph_spans(body: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans, cursor = [], lo
    for match in _PARAGRAPH_BREAK.finditer(body, lo, hi):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < hi:
        spans.append((cursor, hi))
    return spans


def segment_body(
    body: str,
    spans: Iterable[tuple[int, int, Any]],
    *,
    lo: int = 0,
    hi: int | None = None,
) -> list[Paragraph]:
    """Split ``body[lo:hi]`` into paragraphs of segments, marking each (start, end, item) span.

    Overlapping spans are clipped so that every character belongs to at most one span (the
    earlier one wins); spans outside ``[lo, hi)`` are ignored.
    """
    hi = len(body) if hi is None else hi
    marks: list[tuple[int, int, Any]] = []
    cursor = lo
    for start, end, item in sorted(spans, key=lambda s: (s[0], s[1])):
        start, end = max(start, cursor, lo), min(end, hi)
        if end > start:
            marks.append((start, end, item))
            cursor = end
    paragraphs = []
    index = 0
    for p_start, p_end in _paragraph_spans(body, lo, hi):
        segments: list[Segment] = []
        pos = p_start
        while index < len(marks) and marks[index][0] < p_end:
            m_start, m_end, item = marks[index]
            if m_end <= pos:  # a carried-over span that ended in the paragraph break
                index += 1
                continue
            if m_start > pos:
                segments.append(Segment(body[pos:m_start], pos, m_start))
            piece_end = min(m_end, p_end)
            m_start = max(m_start, pos)
            segments.append(Segment(body[m_start:piece_end], m_start, piece_end, item))
            pos = piece_end
            if m_end > p_end:
                # The span runs into the next paragraph: keep it for there.
                marks[index] = (p_end, m_end, item)
                break
            index += 1
        if pos < p_end:
            segments.append(Segment(body[pos:p_end], pos, p_end))
        paragraphs.append(Paragraph(p_start, p_end, tuple(segments)))
    return paragraphs


def claim_context(body: str, start: int, end: int, item: Any = None) -> Sequence[Paragraph]:
    """The paragraph(s) around one claim, with the claim's span marked."""
    lo, hi = paragraph_bounds(body, start, end)
    return segment_body(body, [(start, end, item)], lo=lo, hi=hi)
