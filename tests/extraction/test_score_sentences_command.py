"""`manage.py score_sentences`: order, ids, context batches, bad lines, no database.

None of these tests is marked django_db: pytest-django refuses database access, so a command
that touched the ORM would fail here.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import scoring
from claims.management.commands import score_sentences

REPO = Path(__file__).resolve().parents[2]


class RecordingScorer:
    """Scores by a marker word and records every batch it was given."""

    name = "recording"
    threshold = 0.5

    def __init__(self):
        self.batches = []

    def score(self, items):
        self.batches.append(list(items))
        return [0.9 if "high" in i.text else 0.2 for i in items]


@pytest.fixture
def scorer(monkeypatch):
    recording = RecordingScorer()
    monkeypatch.setattr(scoring, "load_scorer", lambda name: recording)
    return recording


def run(lines, **options):
    stdin = io.StringIO("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("score_sentences", stdin=stdin, stdout=out, stderr=err, **options)
    except CommandError as exc:
        error = exc
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return records, err.getvalue(), error


def jl(**obj):
    return json.dumps(obj)


def test_one_output_line_per_input_in_order_with_all_fields(scorer):
    lines = [
        jl(id="a", text="The high figure was 76,000 residents.", doc="d1"),
        jl(id=2, text="It was a low day.", doc="d1", speaker="SMITH"),
        jl(id="c", text="Another high claim here.", doc="d2"),
    ]
    records, err, error = run(lines)
    assert error is None and err == ""
    assert [r["id"] for r in records] == ["a", 2, "c"]
    for r in records:
        assert set(r) == {"id", "score", "checkworthy", "claim_type", "claimer"}
        assert 0.0 <= r["score"] <= 1.0
    assert [r["checkworthy"] for r in records] == [True, False, True]
    assert records[0]["claim_type"] == "quantity"
    # a speaker claims what they say in their own voice
    assert records[1]["claimer"] == "SMITH"


def test_output_lines_are_exactly_json_dumps_of_the_records(scorer, monkeypatch):
    monkeypatch.setattr(
        "claims.management.commands.score_sentences.AttributionTracker.claimer_for",
        lambda self, text, outlet: 'Ünïcode "quoted" \\ claimer\n',
    )
    ids = ["a", 'q"uote\\', "é☃😀", 7, -3, 2**70, 1.5, 1e-7, True, False, None, ""]
    lines = [json.dumps({"id": i, "text": "A high line."}) for i in ids]
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    out = io.StringIO()
    call_command("score_sentences", stdin=stdin, stdout=out)
    written = out.getvalue().splitlines()
    assert [json.loads(line)["id"] for line in written] == ids
    assert written == [json.dumps(json.loads(line)) for line in written]


def test_threshold_option_decides_checkworthy(scorer):
    lines = [jl(id=1, text="A high one."), jl(id=2, text="A low one.")]
    records, _, _ = run(lines, threshold=0.1)
    assert [r["checkworthy"] for r in records] == [True, True]
    records, _, _ = run(lines, threshold=0.95)
    assert [r["checkworthy"] for r in records] == [False, False]


def test_lines_of_one_doc_are_scored_together_with_neighbours_and_position(scorer):
    lines = [
        jl(id=1, text="First.", doc="d1", speaker="A"),
        jl(id=2, text="Second.", doc="d1", speaker="B"),
        jl(id=3, text="Third.", doc="d1"),
        jl(id=4, text="Other doc.", doc="d2"),
        jl(id=5, text="No doc."),
        jl(id=6, text="No doc either."),
    ]
    run(lines)
    # Docs are batched into one scorer call; each item carries its own context.
    (batch,) = scorer.batches
    d1, d2, nodoc = batch[:3], batch[3:4], batch[4:]
    assert [(i.text, i.prev_text, i.next_text, i.position, i.doc_length) for i in d1] == [
        ("First.", None, "Second.", 0, 3),
        ("Second.", "First.", "Third.", 1, 3),
        ("Third.", "Second.", None, 2, 3),
    ]
    assert [(i.doc, i.speaker) for i in d1] == [("d1", "A"), ("d1", "B"), ("d1", None)]
    assert [(i.doc, i.position, i.doc_length) for i in d2] == [("d2", 0, 1)]
    assert [(i.text, i.doc, i.prev_text, i.position) for i in nodoc] == [
        ("No doc.", None, None, None),
        ("No doc either.", None, None, None),
    ]


def test_a_long_doc_is_scored_in_capped_parts_that_continue_its_positions(scorer):
    lines = [jl(id=i, text=f"Sentence {i}.", doc="long") for i in range(7)]
    records, _, _ = run(lines, max_doc_lines=3)
    assert [r["id"] for r in records] == list(range(7))
    flat = [item for batch in scorer.batches for item in batch]
    assert [i.position for i in flat] == list(range(7))
    # a part ends without a next sentence; the next part's first still sees the one before
    assert [i.next_text for i in flat[2:4]] == [None, "Sentence 4."]
    assert flat[3].prev_text == "Sentence 2."
    # the total is known only once the doc has ended
    assert [i.doc_length for i in flat] == [None] * 6 + [7]


def test_streams_many_lines_in_bounded_batches(scorer):
    n = 30_000

    def source():
        for i in range(n):
            yield jl(id=i, text="A high line." if i % 2 else "A low line.", doc=f"d{i // 700}")
            yield "\n"

    stdin = io.StringIO("".join(source()))
    out = io.StringIO()
    call_command("score_sentences", stdin=stdin, stdout=out, max_doc_lines=500)
    ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert ids == list(range(n))
    # Parts of at most 500 lines, gathered until a call has SCORE_BATCH lines.
    assert max(len(b) for b in scorer.batches) < score_sentences.SCORE_BATCH + 500
    assert len(scorer.batches) > 1


BAD_LINES = [
    ("not json at all", None, "line 2: not valid JSON"),
    ('{"id": 7, "text": "half a pair \\ud800"}', 7, 'line 2: "text" holds a lone surrogate'),
    ("[1, 2, 3]", None, "line 2: expected a JSON object"),
    (jl(text="no id"), None, 'line 2: missing "id"'),
    (jl(id=7), 7, 'line 2: missing "text"'),
    (jl(id=7, text=12), 7, 'line 2: "text" must be a string'),
    (jl(id=7, text="ok", doc=[1]), 7, 'line 2: "doc" must be a string or number'),
    (jl(id=7, text="ok", speaker=3), 7, 'line 2: "speaker" must be a string'),
]


@pytest.mark.parametrize(("bad", "bad_id", "message"), BAD_LINES)
def test_bad_line_gets_an_error_record_in_place_and_the_run_goes_on(scorer, bad, bad_id, message):
    lines = [jl(id=1, text="A high line.", doc="d"), bad, jl(id=3, text="A low line.", doc="d")]
    records, err, error = run(lines)
    assert [r["id"] for r in records] == [1, bad_id, 3]
    assert records[1]["error"].startswith(message)
    assert "score" not in records[1]
    assert message in err
    assert str(error) == "1 bad input line(s); see the messages above"
    # the bad line did not split the doc: both good lines were scored as one batch
    assert [[i.text for i in b] for b in scorer.batches] == [["A high line.", "A low line."]]


def test_batching_docs_together_leaves_the_model_s_records_unchanged(monkeypatch):
    lines = [
        jl(id=f"{d}-{k}", text=text, doc=f"d{d}", speaker="A" if k % 2 else None)
        for d in range(4)
        for k, text in enumerate(
            [
                "Unemployment fell to 3.5% in 2019, the lowest in fifty years.",
                "Thank you all for being here tonight.",
                f"We cut taxes for {80 + d} million families.",
                "He said the plant would close in May.",
            ]
        )
    ]
    lines += [jl(id="loose", text="The council approved a $12 million budget.")]
    together, _, _ = run(lines, scorer="default")
    monkeypatch.setattr(score_sentences, "SCORE_BATCH", 1)  # one scorer call per doc
    apart, _, _ = run(lines, scorer="default")
    assert together == apart
    assert len({r["score"] for r in together}) > 3


def test_blank_lines_are_skipped_without_output(scorer):
    records, err, error = run([jl(id=1, text="One."), "", "   ", jl(id=2, text="Two.")])
    assert [r["id"] for r in records] == [1, 2]
    assert error is None and err == ""


def test_unknown_scorer_is_a_command_error():
    with pytest.raises(CommandError, match="unknown scorer"):
        call_command("score_sentences", scorer="nope", stdin=io.StringIO(""))


def _manage(args, stdin: bytes):
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "test-only-secret")
    env.setdefault("ALLOWED_HOSTS", "localhost")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def test_manage_py_subprocess_scores_stdin_and_exits_zero():
    payload = "".join(
        jl(id=i, text=text, doc="debate") + "\n"
        for i, text in enumerate(
            [
                "Unemployment fell to 3.5% in 2019, the lowest in fifty years.",
                "Thank you all for being here tonight.",
                "We cut taxes for 80 million families.",
            ]
        )
    )
    proc = _manage(["score_sentences", "--scorer", "rules"], payload.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == [0, 1, 2]
    assert records[0]["score"] > records[1]["score"]


def test_manage_py_subprocess_reports_bad_lines_and_exits_non_zero():
    payload = jl(id=1, text="A fine sentence of ten words or so.") + "\n{oops\n\xff\n"
    proc = _manage(["score_sentences", "--scorer", "rules"], payload.encode("latin-1"))
    assert proc.returncode == 1
    stderr = proc.stderr.decode()
    assert "line 2: not valid JSON" in stderr
    assert "line 3: not valid UTF-8" in stderr
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [("error" in r) for r in records] == [False, True, True]
