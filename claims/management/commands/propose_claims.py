"""`manage.py propose_claims FILE [...]`: show the claims the pipeline would propose.

Runs ``extraction.pipeline.propose`` on plain-text files and prints, for each, the
sentences that would become claims (or every sentence with ``--all``) with their offsets,
score, type and claimer. Reads no database and writes nothing: a dry run of what the
proposal task would store.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.management.scoring_options import resolve_scorer
from extraction.pipeline import propose
from extraction.types import ProposalResult


class Command(BaseCommand):
    help = (
        "Print the claims the pipeline would propose for each text FILE (offsets, score, "
        "type, claimer). Touches no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files.")
        parser.add_argument(
            "--all", action="store_true", help="Print every sentence, not only the claims."
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per file.")
        parser.add_argument(
            "--scorer",
            default=None,
            help='"default" or "rules" (default: settings.CLAIM_SCORER).',
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Proposal threshold (default: CLAIM_PROPOSAL_THRESHOLD, else the scorer's).",
        )
        parser.add_argument(
            "--language", default=None, help="ISO 639-1 code; skips language detection."
        )
        parser.add_argument(
            "--outlet",
            default="",
            help="Claimer of what the article says in its own voice (e.g. the publication).",
        )

    def handle(self, *args, **options):
        scorer, threshold = resolve_scorer(name=options["scorer"], threshold=options["threshold"])

        failed = 0
        for path in options["files"]:
            try:
                body = _read_text(Path(path))
            except (OSError, UnicodeDecodeError) as exc:
                failed += 1
                self.stderr.write(f"propose_claims: {path}: {exc}")
                continue
            result = propose(
                body,
                language=options["language"],
                outlet=options["outlet"],
                threshold=threshold,
                scorer=scorer,
            )
            if options["json"]:
                self.stdout.write(json.dumps(_as_json(path, result, threshold, options["all"])))
            else:
                self._print_text(path, result, threshold, every=options["all"])
        if failed:
            raise CommandError(f"{failed} file(s) could not be read")

    def _print_text(self, path: str, result: ProposalResult, threshold: float, *, every: bool):
        if not result.supported:
            self.stdout.write(
                f"== {path}: language {result.language!r} is not supported; nothing proposed"
            )
            return
        claims = result.claims
        self.stdout.write(
            f"== {path}: {len(claims)} claim(s) in {len(result.sentences)} sentence(s) "
            f"[language {result.language}, scorer {result.scorer}, threshold {threshold:.2f}]"
        )
        for s in result.sentences if every else claims:
            mark = "*" if s.checkworthy else " "
            kind = "" if s.kind == "sentence" else f" ({s.kind})"
            self.stdout.write(
                f"{mark} {s.start:>6}-{s.end:<6} {s.score:.3f} {s.claim_type:<10} "
                f"{s.claimer or '-'}{kind}\n    {s.text}"
            )


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Newsroom exports are sometimes Windows-1252; guess rather than refuse.
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise
        return str(best)


def _as_json(path: str, result: ProposalResult, threshold: float, every: bool) -> dict:
    sentences = result.sentences if every else result.claims
    return {
        "file": path,
        "language": result.language,
        "supported": result.supported,
        "scorer": result.scorer,
        "threshold": threshold,
        "claim_count": len(result.claims),
        "sentence_count": len(result.sentences),
        "sentences" if every else "claims": [
            {
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "score": round(s.score, 6),
                "checkworthy": s.checkworthy,
                "claim_type": s.claim_type,
                "claimer": s.claimer,
                "kind": s.kind,
            }
            for s in sentences
        ],
    }
