"""Set up the demo: an editor and a reviewer with fresh random passwords, and sample articles."""

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from claims.models import Claim
from claims.roles import EDITORS, REVIEWERS

DEMO_DIR = Path(__file__).resolve().parents[3] / "articles" / "demo"


class Command(BaseCommand):
    help = "Create demo editor/reviewer accounts (random passwords) and import sample articles."

    def handle(self, *args, **options):
        # Two reviewers: the default verdict policy sends a Disputed verdict to a second
        # reviewer, and nobody approves their own.
        accounts = [("editor", EDITORS), ("reviewer", REVIEWERS), ("reviewer2", REVIEWERS)]
        passwords = {}
        with transaction.atomic():
            for username, group_name in accounts:
                user, _ = get_user_model().objects.get_or_create(username=username)
                # Editors import through the admin, so both roles may enter it; what they can
                # do there is limited by their group's permissions (neither may delete).
                user.is_staff = True
                passwords[username] = secrets.token_urlsafe(12)
                user.set_password(passwords[username])
                user.save()
                user.groups.add(Group.objects.get(name=group_name))

        call_command("import_articles", str(DEMO_DIR), stdout=self.stdout, stderr=self.stderr)

        self.stdout.write("")
        articles, claims = Article.objects.count(), Claim.objects.count()
        self.stdout.write(f"Demo ready: {articles} articles, {claims} proposed claims.")
        self.stdout.write(
            "Verdict policy (admin: Claims > Verdict policy): Verified and Disputed need a "
            "40-character rationale and an evidence link; Disputed needs reviewer2 (or reviewer) "
            "to approve the other's verdict."
        )
        self.stdout.write("Log in at http://127.0.0.1:8000/ with:")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<10} {password}")
