"""Pipelines the proposal tests plug in through settings.CLAIM_PIPELINE (a dotted path).

Worker subprocesses get them through the CLAIM_PIPELINE environment variable, so a test can
make a real worker slow (to SIGKILL it mid-task) or failing, without any test hook in the
production code. ``digits`` is a deterministic stand-in whose output a test can dictate.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from django.db import OperationalError

from extraction.types import ProposalResult, SentenceProposal

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def digits(body: str, *, language=None, outlet="", threshold=None, scorer=None) -> ProposalResult:
    """Every sentence is scored; the ones with a digit are claims (score 0.9, "quantity")."""
    language = language or "en"
    if language != "en":
        return ProposalResult(language=language, supported=False, scorer="")
    sentences = []
    for match in _SENTENCE.finditer(body):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        text = body[start : match.end()]
        has_digit = any(ch.isdigit() for ch in text)
        sentences.append(
            SentenceProposal(
                start=start,
                end=match.end(),
                text=text,
                score=0.9 if has_digit else 0.1,
                checkworthy=has_digit,
                claim_type="quantity" if has_digit else "other",
                claimer=outlet,
            )
        )
    return ProposalResult(language=language, supported=True, scorer="digits", sentences=sentences)


def slow_once(body: str, **kwargs) -> ProposalResult:
    """The real pipeline, after sleeping FACTCHECK_TEST_SLEEP seconds on the first call only.

    "First" is across processes: the marker file FACTCHECK_TEST_SLOW_MARKER is created
    before sleeping, so the run that replaces a killed one goes straight through.
    """
    marker = Path(os.environ["FACTCHECK_TEST_SLOW_MARKER"])
    if not marker.exists():
        marker.touch()
        time.sleep(float(os.environ.get("FACTCHECK_TEST_SLEEP", "60")))
    return _real(body, **kwargs)


def slow(body: str, **kwargs) -> ProposalResult:
    """The real pipeline after sleeping FACTCHECK_TEST_SLEEP seconds (overlapping runs)."""
    time.sleep(float(os.environ.get("FACTCHECK_TEST_SLEEP", "1")))
    return _real(body, **kwargs)


def database_down(body: str, **kwargs) -> ProposalResult:
    """Fails like a database restart would, on every call."""
    raise OperationalError("server closed the connection unexpectedly (simulated)")


def _real(body: str, **kwargs) -> ProposalResult:
    from extraction.pipeline import propose

    return propose(body, **kwargs)
