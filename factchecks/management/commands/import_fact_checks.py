"""`manage.py import_fact_checks FILE|URL [--format F]`: import published fact-checks.

Reads ClaimReview JSON-LD (a page, a file or a feed), CSV or JSON Lines, from a file or an
http(s) URL (fetched by the article importer's SSRF-safe fetcher). Rows already in the archive
(same author and id) are updated, not duplicated. Rejected rows are listed on stderr with their
line or item number; exits 1 when the file could not be read or a row was rejected.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importing.types import format_size
from factchecks.models import FactCheckImport
from factchecks.services import fact_checks_import, fact_checks_import_url


class Command(BaseCommand):
    help = "Import published fact-checks (ClaimReview JSON-LD, CSV, JSON Lines) from a file or URL."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A file path or an http(s) URL.")
        parser.add_argument(
            "--format",
            choices=["html", "json", "csv", "jsonl"],
            help="The file's format when its name does not tell it.",
        )

    def handle(self, *args, source: str, format: str | None, **options):
        if source.lower().startswith(("http://", "https://")):
            record = fact_checks_import_url(url=source, via=FactCheckImport.Via.CLI)
        else:
            path = Path(source)
            try:
                size = path.stat().st_size
                if size > settings.FACT_CHECK_IMPORT_MAX_BYTES:
                    raise CommandError(
                        f"{source}: {format_size(size)}, over the "
                        f"{format_size(settings.FACT_CHECK_IMPORT_MAX_BYTES)} limit "
                        "(FACT_CHECK_IMPORT_MAX_BYTES)"
                    )
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{source}: {exc.strerror or exc}") from None
            record = fact_checks_import(
                data=data, source=path.name, via=FactCheckImport.Via.CLI, format=format
            )
        for error in record.errors:
            self.stderr.write(f"{source}: row {error['row']}: {error['message']}")
        if record.state == FactCheckImport.State.FAILED and not record.accepted:
            raise CommandError(f"{source}: nothing imported: {record.error}")
        self.stdout.write(
            f"{source}: {record.created} new, {record.updated} updated, "
            f"{record.unchanged} unchanged, {record.rejected} rejected (import {record.pk})"
        )
        if record.rejected:
            raise CommandError(f"{record.rejected} row(s) rejected; see the messages above")
