"""Backup and restore (ops/backup.sh, ops/restore.sh) lose no reviews: dump, lose the data,
restore, and every row of every project table (history and evidence included) is back."""

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from articles.models import Article
from claims.models import Claim, ClaimStatusChange, Evidence
from claims.services import claim_add_evidence, claim_assign, claim_set_status
from tests.factories import ArticleFactory, ClaimFactory

OPS = Path(settings.BASE_DIR) / "ops"
PROJECT_APPS = {"articles", "claims", "integrations", "auth"}


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{host}{port}/{s['NAME']}"


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(OPS / script), *args],
        env={**os.environ, "DATABASE_URL": _database_url(), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every project model, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def _reviewed_desk(reviewer, other_reviewer, editor):
    """Articles with claims in every status, notes, evidence and assignments."""
    articles = ArticleFactory.create_batch(3, imported_by=editor)
    for article in articles:
        first = ClaimFactory(article=article)
        second_start = article.body.index("The mayor")
        second = ClaimFactory(
            article=article,
            start=second_start,
            end=article.body.index(".", second_start) + 1,
            claim_type="quote",
        )
        claim_assign(claim_id=first.pk, assignee=reviewer, user=editor)
        claim_set_status(
            claim_id=first.pk,
            to_status="disputed",
            user=reviewer,
            note="The budget was $46 million, not $48 million.",
            evidence=[{"url": "https://council.example/budget.pdf", "title": "Budget 2026"}],
        )
        claim_set_status(
            claim_id=first.pk, to_status="verified", user=other_reviewer, note="Corrected."
        )
        claim_set_status(claim_id=second.pk, to_status="dismissed", user=reviewer)
        claim_add_evidence(
            claim_id=second.pk, url="https://herald.example/interview", user=other_reviewer
        )
    return articles


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_after_data_loss_brings_back_every_review(
    tmp_path, reviewer, other_reviewer, editor
):
    _reviewed_desk(reviewer, other_reviewer, editor)
    before = _snapshot()
    assert len(before["claims.ClaimStatusChange"]) == 9
    assert len(before["claims.Evidence"]) == 6

    dump = tmp_path / "backups" / "factcheck.dump"
    result = _run("backup.sh", str(dump))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(dump)
    assert dump.stat().st_size > 0
    assert not Path(f"{dump}.partial").exists()

    # The disaster: every article (and, by cascade, claim, history row and evidence) is gone,
    # and a claim that did not exist at backup time was written.
    Article.objects.all().delete()
    ClaimFactory(article=ArticleFactory(title="Written after the backup"))
    assert ClaimStatusChange.objects.count() == 0

    result = _run("restore.sh", str(dump), RESTORE_CONFIRM="yes")
    assert result.returncode == 0, result.stderr
    connection.close()  # the restore re-created the tables under this connection

    after = _snapshot()
    assert after == before
    assert Claim.objects.filter(status="verified").count() == 3
    assert not Article.objects.filter(title="Written after the backup").exists()
    # The restored sequences hand out fresh ids, not ones the restored rows already hold.
    new = ClaimFactory()
    assert new.pk > max(row["id"] for row in before["claims.Claim"])
    assert Evidence.objects.filter(url="https://council.example/budget.pdf").count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_run_unconfirmed_without_a_terminal(tmp_path, reviewer):
    dump = tmp_path / "factcheck.dump"
    assert _run("backup.sh", str(dump)).returncode == 0
    ClaimFactory()
    result = subprocess.run(
        ["bash", str(OPS / "restore.sh"), str(dump)],
        env={**os.environ, "DATABASE_URL": _database_url(), "RESTORE_CONFIRM": ""},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "RESTORE_CONFIRM=yes" in result.stderr
    assert Claim.objects.count() == 1


def test_backup_and_restore_need_a_database_url(tmp_path):
    for script in ("backup.sh", "restore.sh"):
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        result = subprocess.run(
            ["bash", str(OPS / script), str(tmp_path / "x.dump")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert "set DATABASE_URL" in result.stderr
