"""The match models moved from claims to matching without touching their tables or permissions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0006_article_matching"), ("matching", None)]
AFTER = [("claims", "0007_matching_models_moved"), ("matching", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def test_rows_content_types_and_granted_permissions_survive_the_move():
    try:
        old = _migrate(BEFORE)
        # A database as claims left it: a match row, and a permission granted on the model.
        claim_ct = old.get_model("contenttypes", "ContentType").objects.get(
            app_label="claims", model="claimmatch"
        )
        permission = old.get_model("auth", "Permission").objects.get(
            content_type=claim_ct, codename="view_claimmatch"
        )
        group = old.get_model("auth", "Group").objects.create(name="Match readers")
        group.permissions.add(permission)
        article = old.get_model("articles", "Article").objects.create(
            title="t", body="Ten people left. Ten people left.", content_hash="h"
        )
        Claim = old.get_model("claims", "Claim")
        a = Claim.objects.create(
            article=article, text="Ten people left.", start=0, end=16, score=0.5
        )
        b = Claim.objects.create(
            article=article, text="Ten people left.", start=17, end=33, score=0.5
        )
        old.get_model("claims", "ClaimMatch").objects.create(
            claim=a, other=b, similarity=0.9, relation="same"
        )

        new = _migrate(AFTER)

        ct = new.get_model("contenttypes", "ContentType").objects.get(pk=claim_ct.pk)
        assert (ct.app_label, ct.model) == ("matching", "claimmatch")
        group = new.get_model("auth", "Group").objects.get(name="Match readers")
        assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
            ("matching", "view_claimmatch")
        ]
        match = new.get_model("matching", "ClaimMatch").objects.get()
        assert (match.claim_id, match.other_id, match.relation) == (a.pk, b.pk, "same")
        assert new.get_model("matching", "ClaimMatch")._meta.db_table == "claims_claimmatch"
    finally:
        call_command("migrate", verbosity=0)


@pytest.mark.parametrize(("app", "name"), AFTER)
def test_the_move_changes_no_table(app, name):
    out = StringIO()
    call_command("sqlmigrate", app, name, stdout=out)
    statements = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith("--") and line not in ("BEGIN;", "COMMIT;")
    ]
    assert statements == []
