"""`manage.py score_sentences`: score JSON Lines sentences from stdin, streaming, no database.

Input, one JSON object a line: ``{"id": ..., "text": "...", "doc": ..., "speaker": "..."}``
(``doc`` and ``speaker`` optional). Output, one line per input line, same order:
``{"id": ..., "score": 0..1, "checkworthy": bool, "claim_type": "...", "claimer": "..."}``.

Consecutive lines with the same ``doc`` are scored together so the scorer sees each
sentence's neighbours and position, as the article pipeline does. A group is capped at
``--max-doc-lines`` lines so memory stays constant whatever the input's length; a longer doc
is scored in parts (the last sentence of a part sees no next sentence, and doc_length is
unknown for all but the last part).

A bad line (not JSON, not an object, no "id", "text" not a string, ...) gets
``{"id": ..., "error": "..."}`` in its place, a message on stderr naming its line number, and
the run goes on; the exit status is 1 if any line was bad. Blank lines are skipped without
output. ``checkworthy`` is the score against the threshold alone: the caller has already
split the text, so there are no headings or boilerplate to gate.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as _json_str  # json.dumps' own, in C
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from claims.management.scoring_options import resolve_scorer
from extraction.attribution import AttributionTracker
from extraction.claimtype import classify
from extraction.scoring import chunk_cache_stats
from extraction.types import Scorer, ScoringItem

DEBATE_SCORER = "default"

# Lines without a doc are independent; batching them only amortises the scorer's overhead.
BATCH_SIZE = 1000
# Groups (docs, or batches of doc-less lines) are scored together until this many lines.
SCORE_BATCH = 1000
MAX_DOC_LINES = 20_000
_NO_DOC = object()


@dataclass(slots=True)
class _Line:
    number: int
    id: Any
    text: str = ""
    doc: Any = _NO_DOC
    speaker: str | None = None
    error: str | None = None


class Command(BaseCommand):
    help = (
        "Score JSON Lines sentences from stdin for check-worthiness and write one JSON line "
        "per input line to stdout: id, score, checkworthy, claim_type, claimer. Streams; needs "
        "no database. Lines of one doc must be consecutive and in document order."
    )
    # Runs in tooling and evaluation with no database configured.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--scorer",
            default=None,
            help='Scorer name: "default" (the shipped debate-trained model, the default), '
            '"news" (the article scorer) or "rules".',
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Checkworthy at or above this score (default: CLAIM_PROPOSAL_THRESHOLD, "
            "else the scorer's own).",
        )
        parser.add_argument(
            "--max-doc-lines",
            type=int,
            default=MAX_DOC_LINES,
            help=f"Most lines of one doc held in memory at once (default {MAX_DOC_LINES}).",
        )
        parser.add_argument(
            "--cache-stats",
            action="store_true",
            help="At the end, write the tokenizer chunk cache's hits, misses and hit rate to "
            "stderr (the benchmark reports it: repeated input is mostly cache hits).",
        )

    def handle(self, *args, **options):
        # Debate transcripts and sentence lists: the debate model unless named. CLAIM_SCORER
        # picks the articles' scorer (the news head), which this input is not (issue #17).
        scorer, threshold = resolve_scorer(
            name=options["scorer"] or DEBATE_SCORER, threshold=options["threshold"]
        )
        max_lines = max(1, options["max_doc_lines"])

        stdin = options.get("stdin") or sys.stdin
        bad = 0
        pending: list[_Group] = []
        n_pending = 0
        for group in _groups(_parse(_read_lines(stdin)), max_lines=max_lines):
            pending.append(group)
            n_pending += len(group.lines)
            if n_pending >= SCORE_BATCH:
                bad += self._write(pending, scorer=scorer, threshold=threshold)
                pending, n_pending = [], 0
        if pending:
            bad += self._write(pending, scorer=scorer, threshold=threshold)
        if options.get("cache_stats"):
            stats = chunk_cache_stats()
            if stats is not None:
                self.stderr.write(
                    f"tokenizer chunk cache: {stats['hits']} hits, {stats['misses']} misses, "
                    f"hit rate {stats['hit_rate']:.4f}"
                )
        if bad:
            raise CommandError(f"{bad} bad input line(s); see the messages above")

    def _write(self, groups: list[_Group], *, scorer: Scorer, threshold: float) -> int:
        """Score ``groups`` in one scorer call, write their records; return the bad lines."""
        bad = 0
        out = []
        for record in _score_groups(groups, scorer=scorer, threshold=threshold):
            if "error" in record:
                bad += 1
                self.stderr.write(f"score_sentences: {record['error']}")
                out.append(json.dumps(record))
            else:
                out.append(_dumps_scored(record))
        self.stdout.write("\n".join(out))
        self.stdout.flush()
        return bad


def _read_lines(stream: TextIO) -> Iterator[tuple[int, str | None, str | None]]:
    """Yield (line number, text, decoding error) without failing on bad UTF-8."""
    binary = getattr(stream, "buffer", None)
    if binary is None:
        for number, line in enumerate(stream, start=1):
            yield number, line, None
        return
    for number, raw in enumerate(binary, start=1):
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield number, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"


def _parse(lines: Iterable[tuple[int, str | None, str | None]]) -> Iterator[_Line]:
    for number, text, decode_error in lines:
        if decode_error:
            yield _Line(number, None, error=f"line {number}: {decode_error}")
            continue
        assert text is not None
        if not text.strip():
            continue
        yield _parse_line(number, text)


def _parse_line(number: int, line: str) -> _Line:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return _Line(number, None, error=f"line {number}: not valid JSON ({exc})")
    if not isinstance(obj, dict):
        return _Line(number, None, error=f"line {number}: expected a JSON object")
    ident = obj.get("id")
    if "id" not in obj:
        return _Line(number, None, error=f'line {number}: missing "id"')
    if isinstance(ident, dict | list):
        return _Line(number, None, error=f'line {number}: "id" must be a string or number')
    text = obj.get("text")
    if text is None:
        return _Line(number, ident, error=f'line {number}: missing "text"')
    if not isinstance(text, str):
        return _Line(number, ident, error=f'line {number}: "text" must be a string')
    if "\\u" in line and not _encodable(text):
        # JSON can escape half a surrogate pair; the tokenizer cannot take one.
        return _Line(number, ident, error=f'line {number}: "text" holds a lone surrogate')
    doc = obj.get("doc")
    if doc is None:
        doc = _NO_DOC
    elif not isinstance(doc, str | int) or isinstance(doc, bool):
        return _Line(number, ident, error=f'line {number}: "doc" must be a string or number')
    speaker = obj.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        return _Line(number, ident, error=f'line {number}: "speaker" must be a string')
    return _Line(number, ident, text, doc, speaker or None)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(slots=True)
class _Group:
    lines: list[_Line]
    doc: Any  # _NO_DOC for independent lines
    first_position: int  # position in its doc of the group's first sentence
    prev_text: str | None  # last sentence of the doc's previous part, if split
    complete: bool  # the doc ends in this group
    tracker: AttributionTracker | None


def _groups(lines: Iterable[_Line], *, max_lines: int) -> Iterator[_Group]:
    """Cut the stream into groups: one per doc run (capped) or batches of doc-less lines."""
    pending: list[_Line] = []
    valid = 0
    key: Any = None
    position = 0
    prev_text: str | None = None
    tracker: AttributionTracker | None = None

    def flush(complete: bool) -> _Group:
        return _Group(pending, key, position, prev_text, complete, tracker)

    for line in lines:
        if line.error is not None:
            pending.append(line)  # keeps output order; does not break a doc's run
            continue
        limit = BATCH_SIZE if line.doc is _NO_DOC else max_lines
        if valid and line.doc != key:
            yield flush(True)
            pending, valid, position, prev_text, tracker = [], 0, 0, None, None
        elif valid >= limit:
            group = flush(False)
            yield group
            texts = [ln.text for ln in group.lines if ln.error is None]
            position += len(texts)
            prev_text = texts[-1] if texts and key is not _NO_DOC else None
            pending, valid = [], 0
        if not valid:
            key = line.doc
            if tracker is None or key is _NO_DOC:
                tracker = None if key is _NO_DOC else AttributionTracker()
        pending.append(line)
        valid += 1
    if pending:
        yield flush(True)


def _score_groups(
    groups: list[_Group], *, scorer: Scorer, threshold: float
) -> list[dict[str, Any]]:
    # One scorer call for many groups: the model's cost per call is mostly fixed (numpy
    # set-up), so 25 docs of 40 lines in one call cost about a third of 25 calls. Each item
    # carries its own context, so the scores are the same as group by group.
    items: list[ScoringItem] = []
    for group in groups:
        items += _items([line for line in group.lines if line.error is None], group)
    scores = iter(scorer.score(items) if items else [])
    records = []
    for group in groups:
        for line in group.lines:
            if line.error is not None:
                records.append({"id": line.id, "error": line.error})
                continue
            score = min(1.0, max(0.0, float(next(scores))))
            # In a debate the speaker is who claims what they say unless they cite someone.
            tracker = group.tracker or AttributionTracker()
            claimer = tracker.claimer_for(line.text, outlet=line.speaker or "")
            records.append(
                {
                    "id": line.id,
                    "score": round(score, 6),
                    "checkworthy": score >= threshold,
                    "claim_type": classify(line.text),
                    "claimer": claimer,
                }
            )
    return records


def _json(value: Any) -> str:
    if type(value) is str:
        return _json_str(value)
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)


def _dumps_scored(record: dict[str, Any]) -> str:
    """``json.dumps(record)`` of a scored record, byte for byte, at a third of its cost."""
    return (
        f'{{"id": {_json(record["id"])}, "score": {float.__repr__(record["score"])}, '
        f'"checkworthy": {"true" if record["checkworthy"] else "false"}, '
        f'"claim_type": {_json_str(record["claim_type"])}, '
        f'"claimer": {_json_str(record["claimer"])}}}'
    )


def _items(lines: list[_Line], group: _Group) -> list[ScoringItem]:
    if group.doc is _NO_DOC:
        return [ScoringItem(text=ln.text, speaker=ln.speaker) for ln in lines]
    n = len(lines)
    doc = str(group.doc)
    total = group.first_position + n if group.complete else None
    return [
        ScoringItem(
            text=ln.text,
            doc=doc,
            speaker=ln.speaker,
            prev_text=lines[i - 1].text if i > 0 else group.prev_text,
            next_text=lines[i + 1].text if i + 1 < n else None,
            position=group.first_position + i,
            doc_length=total,
        )
        for i, ln in enumerate(lines)
    ]
