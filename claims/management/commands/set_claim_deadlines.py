"""Give proposed claims without a due time their deadline (after an upgrade, or new rules)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from claims import deadlines
from claims.models import Claim, ClaimStatus


class Command(BaseCommand):
    help = (
        "Set Claim.due_at on proposed claims that have none (score tier and deadline rules). "
        "Claims already past their new due time are marked escalated, so an upgrade does not "
        "email the editors the whole backlog; --escalate lets the sweep escalate them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Recompute every proposed claim's due time (after changing the rules).",
        )
        parser.add_argument(
            "--escalate",
            action="store_true",
            help="Let the escalation sweep email the editors about claims already overdue.",
        )

    def handle(self, *args, reset: bool, escalate: bool, **options):
        started = timezone.now()
        proposed = Claim.objects.filter(status=ClaimStatus.PROPOSED)
        if not reset:
            proposed = proposed.filter(due_at__isnull=True)
        article_ids = list(proposed.order_by().values_list("article_id", flat=True).distinct())
        total = 0
        for i, article_id in enumerate(article_ids, 1):
            total += deadlines.article_set_due(article_id=article_id, reset=reset)
            if i % 1000 == 0:
                self.stdout.write(f"{i}/{len(article_ids)} articles, {total} claims")
        silenced = 0
        if not escalate:
            silenced = Claim.objects.filter(
                deadlines.overdue_q(started), escalated_at__isnull=True
            ).update(escalated_at=started)
        self.stdout.write(
            self.style.SUCCESS(
                f"Set the due time of {total} claims in {len(article_ids)} articles"
                + (f"; {silenced} already overdue marked escalated." if silenced else ".")
            )
        )
