"""``manage.py dashboard_rebuild [--days N]``: recompute the dashboard's aggregate tables."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dashboard.services import stats_refresh


class Command(BaseCommand):
    help = "Recompute the dashboard's per-day aggregates from claims and matches (all days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="only the last N days (what the periodic task does)"
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        state = stats_refresh(days=days)
        self.stdout.write(
            f"Dashboard statistics rebuilt ({f'last {days} days' if days else 'all days'}) "
            f"in {state.took_ms} ms."
        )
