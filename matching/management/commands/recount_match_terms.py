"""`manage.py recount_match_terms`: the matching index's key counts, for cron instead of beat."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from matching.index import match_terms_recount


class Command(BaseCommand):
    help = (
        "Recompute how many claims carry each matching key (the weights that make rare words "
        "count more). Deleted claims leave their counts behind until this runs; Celery beat "
        "runs it daily (MATCH_TERMS_RECOUNT_SECONDS). Safe while matching runs."
    )

    def handle(self, *args, **options):
        keys = match_terms_recount()
        self.stdout.write(f"Recounted {keys} matching keys.")
