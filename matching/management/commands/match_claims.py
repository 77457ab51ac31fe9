"""`manage.py match_claims [ARTICLE_ID ...]`: match articles' claims against the archive.

Without ids, every article with claims is matched, oldest import first, so an existing
archive (or the demo) gets its links, clusters and conflicts. Safe to run again: matching
is idempotent and unlinked matches stay unlinked.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.models import Article
from matching.services import article_match_claims


class Command(BaseCommand):
    help = "Match claims across articles (same claim / conflicting figures)."

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int)

    def handle(self, *args, article_ids: list[int], **options):
        qs = Article.objects.filter(claims__isnull=False).distinct().order_by("imported_at", "id")
        if article_ids:
            qs = qs.filter(pk__in=article_ids)
        same = conflicts = 0
        for article_id in qs.values_list("pk", flat=True):
            summary = article_match_claims(article_id=article_id)
            same += summary.same
            conflicts += summary.conflicts
            self.stdout.write(
                f"article {article_id}: {summary.claims} claims, {summary.same} same, "
                f"{summary.conflicts} conflicts"
            )
        self.stdout.write(self.style.SUCCESS(f"done: {same} same links, {conflicts} conflicts"))
