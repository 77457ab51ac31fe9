"""Queue today's daily digests from cron or by hand (beat does it at NOTIFICATION_DIGEST_HOUR)."""

from django.core.management.base import BaseCommand

from notifications.digest import digests_send


class Command(BaseCommand):
    help = (
        "Queue today's digest email for every reviewer with something waiting; safe to run "
        "again the same day (each reviewer gets one digest a day)."
    )

    def handle(self, *args, **options) -> None:
        queued = digests_send()
        self.stdout.write(f"Queued {queued} digest(s).")
