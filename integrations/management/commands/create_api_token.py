"""manage.py create_api_token NAME --scope read|review|import|admin [--user USERNAME]."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from integrations.models import TokenScope
from integrations.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token and print its key once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="What the token is for, e.g. 'CMS publisher'.")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument(
            "--user",
            help="Username the token's writes are attributed to (required for review and "
            "admin scopes: every verdict has a person behind it).",
        )

    def handle(self, *args, name, scope, user=None, **options):
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            created = api_token_create(name=name, scope=scope, user=owner)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"Created token {created.token.name!r} (scope {scope}). "
            "Copy the key now: it cannot be shown again."
        )
        # The key alone on stdout, so scripts can capture it.
        self.stdout.write(created.key)
