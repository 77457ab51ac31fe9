"""python manage.py import_articles PATH_OR_URL [...]: files, folders (recursively) and URLs."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from articles.importing import fetch_url, read_inputs
from articles.services import CREATED, DUPLICATE, REJECTED, articles_import_batch

# Articles per articles_import_batch call: big enough that the per-batch duplicate lookup
# is cheap per article, small enough that progress moves and memory stays flat.
BATCH_SIZE = 250


class Command(BaseCommand):
    help = (
        "Import articles from files (text, Markdown, HTML, JSON, JSON Lines, RSS/Atom, .zip), "
        "folders (recursively) and http(s) URLs. Exits non-zero when anything was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--source", default="", help="Outlet recorded on articles that name none."
        )
        parser.add_argument(
            "--no-propose",
            action="store_true",
            help="Do not queue claim proposal for the imported articles.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")

    def handle(self, *args, **options):
        items = read_inputs(options["inputs"], source=options["source"], fetch=fetch_url)
        show_bar = not options["no_progress"] and sys.stderr.isatty() and options["verbosity"] > 0
        bar = None
        if show_bar:
            from tqdm import tqdm

            # shutil falls back to 80x24 where the terminal reports no size (a fresh pty,
            # some CI runners), where tqdm would hide its bar.
            size = shutil.get_terminal_size((80, 24))
            bar = tqdm(
                unit=" articles",
                file=sys.stderr,
                mininterval=0.5,
                ncols=size.columns,
                nrows=size.lines,
            )
        counts: Counter[str] = Counter()
        duplicates, rejected, noted = [], [], []
        try:
            while batch := list(islice(items, BATCH_SIZE)):
                outcomes = articles_import_batch(
                    batch, propose=not options["no_propose"], default_source=options["source"]
                )
                for outcome in outcomes:
                    counts[outcome.status] += 1
                    if outcome.status == DUPLICATE:
                        duplicates.append(outcome)
                    elif outcome.status == REJECTED:
                        rejected.append(outcome)
                    if outcome.notes and outcome.status == CREATED:
                        noted.append(outcome)
                if bar is not None:
                    bar.update(len(outcomes))
        finally:
            if bar is not None:
                bar.close()

        if options["verbosity"] > 0:
            # Which input was skipped for which article, so an editor can check the match.
            for outcome in duplicates:
                self.stdout.write(
                    f"  {outcome.summary:<10} {outcome.origin} -> article {outcome.article_id}"
                )
            for outcome in noted:
                self.stdout.write(
                    f"  note       {outcome.origin} (article {outcome.article_id}): "
                    + "; ".join(outcome.notes)
                )
        for outcome in rejected:
            self.stderr.write(f"  rejected   {outcome.origin}: {outcome.reason}")
        summary = (
            f"Imported {counts[CREATED]}, duplicates {counts[DUPLICATE]}, "
            f"rejected {counts[REJECTED]}."
        )
        if rejected:
            self.stdout.write(self.style.WARNING(summary))
            raise CommandError(f"{len(rejected)} item(s) rejected (reasons above).", returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
