"""`manage.py requeue_stale_articles`: the stale-proposal sweep, for cron instead of Celery beat."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.tasks import sweep_stale_articles


class Command(BaseCommand):
    help = (
        "Re-enqueue claim proposal for articles left pending or running too long (a lost "
        "message or worker). Running articles are requeued once their worker's heartbeat "
        "stopped, or past the task's hard time limit. Safe to run as often as you like: "
        "proposal is idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Age after which an article counts as stale "
            "(default: PROPOSAL_STALE_AFTER_SECONDS).",
        )
        parser.add_argument(
            "--limit", type=int, default=1000, help="At most this many articles per run."
        )

    def handle(self, *args, older_than, limit, **options):
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be zero or more seconds.")
        result = sweep_stale_articles(older_than_seconds=older_than, limit=limit)
        self.stdout.write(
            f"Requeued {len(result.requeued)} article(s); marked {len(result.gave_up)} failed "
            "after too many attempts."
        )
