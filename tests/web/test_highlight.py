"""claims.highlight: paragraphs and claim spans cut from the article body, no HTML involved."""

import pytest

from claims.highlight import claim_context, paragraph_bounds, segment_body

BODY = "First para has one claim.\n\nSecond para: A said 5. B said 6.\nThird line."
A = BODY.index("A said")  # "A said 5." is A..A+9
B = BODY.index("B said")  # "B said 6." is B..B+9
SECOND = BODY.index("Second")
THIRD = BODY.index("Third")


def _render(paragraphs):
    """Paragraphs as strings with [brackets] around marked segments."""
    return ["".join(f"[{s.text}]" if s.item else s.text for s in p.segments) for p in paragraphs]


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], ["First para has one claim.", "Second para: A said 5. B said 6.", "Third line."]),
        (
            [(0, 5, "a")],
            ["[First] para has one claim.", "Second para: A said 5. B said 6.", "Third line."],
        ),
        (
            [(A, A + 9, "a"), (B, B + 9, "b")],
            ["First para has one claim.", "Second para: [A said 5.] [B said 6.]", "Third line."],
        ),
        # A span that runs across a paragraph break is cut into one piece per paragraph.
        (
            [(19, SECOND + 6, "a")],
            ["First para has one [claim.]", "[Second] para: A said 5. B said 6.", "Third line."],
        ),
        # Overlapping spans: the earlier one wins, the later one is clipped.
        (
            [(A, A + 9, "a"), (A + 5, B + 9, "b")],
            ["First para has one claim.", "Second para: [A said 5.][ B said 6.]", "Third line."],
        ),
    ],
)
def test_segment_body_marks_spans_within_paragraphs(spans, expected):
    assert _render(segment_body(BODY, spans)) == expected


def test_segments_keep_exact_offsets_into_the_body():
    for paragraph in segment_body(BODY, [(A, A + 9, "a"), (19, SECOND + 6, "b")]):
        for segment in paragraph.segments:
            assert BODY[segment.start : segment.end] == segment.text


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 5, (0, 25)),
        (A, A + 9, (SECOND, THIRD - 1)),
        (THIRD + 1, THIRD + 5, (THIRD, len(BODY))),
    ],
)
def test_paragraph_bounds_stop_at_newlines(start, end, expected):
    assert paragraph_bounds(BODY, start, end) == expected


def test_claim_context_returns_only_the_claims_paragraph():
    paragraphs = claim_context(BODY, B, B + 9, "claim")
    assert _render(paragraphs) == ["Second para: A said 5. [B said 6.]"]
