"""python manage.py import_articles: files, folders, URLs, summary and exit status."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ProposalState
from tests.articles.samples import BODY, OTHER_BODY, OTHER_PARAGRAPHS, html_page

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[str, str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), excinfo.value


def test_seed_files_twice_import_five_articles(shared_dir):
    files = [str(p) for p in sorted((shared_dir / "seeds").glob("*.txt"))]
    out, err = run(*files, "--no-propose", "--source", "Seed desk")
    assert "Imported 5, duplicates 0, rejected 0." in out
    assert err == ""
    out, _ = run(*files, "--no-propose", "-v", "2")
    assert "Imported 0, duplicates 5, rejected 0." in out
    assert out.count(" -> article ") == 5
    assert Article.objects.count() == 5
    assert set(Article.objects.values_list("source", flat=True)) == {"Seed desk"}


def test_folder_is_read_recursively(tmp_path):
    (tmp_path / "2025" / "march").mkdir(parents=True)
    (tmp_path / "2025" / "march" / "trams.txt").write_text("Tram record\n" + BODY, "utf-8")
    (tmp_path / "apples.jsonl").write_text(json.dumps({"body": OTHER_BODY}) + "\n", "utf-8")
    out, _ = run(str(tmp_path), "--no-propose")
    assert "Imported 2, duplicates 0, rejected 0." in out
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Tram record",
        OTHER_BODY.split("\n")[0],
    }


def test_rejections_are_listed_and_the_exit_status_is_non_zero(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "empty.txt").write_text("   \n", "utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    out, err, error = run_failing(str(tmp_path), str(tmp_path / "missing.md"), "--no-propose")
    assert "Imported 1, duplicates 0, rejected 3." in out
    assert f"rejected   {tmp_path / 'empty.txt'}: the file is empty\n" in err
    assert f"rejected   {tmp_path / 'scan.pdf'}: unsupported file type '.pdf'" in err
    assert f"rejected   {tmp_path / 'missing.md'}: no such file or folder" in err
    assert error.returncode == 1
    assert str(error) == "3 item(s) rejected (reasons above)."
    assert Article.objects.count() == 1


def test_urls_are_fetched(web):
    url = web.route("/harvest", html_page(title="Apple harvest", paragraphs=OTHER_PARAGRAPHS))
    out, _ = run(url, "--no-propose")
    assert "Imported 1, duplicates 0, rejected 0." in out
    article = Article.objects.get()
    assert (article.title, article.url) == ("Apple harvest", url)


def test_blocked_url_is_a_rejection(local_web, settings):
    settings.IMPORT_ALLOWED_PRIVATE_HOSTS = []
    url = local_web.route("/page", html_page())
    _, err, error = run_failing(url)
    assert "private, loopback" in err
    assert error.returncode == 1


def test_propose_is_the_default(tmp_path, django_capture_on_commit_callbacks):
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run(str(tmp_path / "a.txt"))
    assert len(callbacks) == 1
    assert Article.objects.get().proposal_state == ProposalState.PENDING
    assert Article.objects.get().proposal_queued_at is not None


@pytest.mark.parametrize(("flags", "shown"), [((), True), (("--no-progress",), False)])
def test_progress_bar_on_a_terminal(tmp_path, monkeypatch, capsys, flags, shown):
    import sys

    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run(str(tmp_path / "a.txt"), "--no-propose", *flags)
    assert ("1 articles [" in capsys.readouterr().err) is shown


def test_no_progress_bar_when_not_a_terminal(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    run(str(tmp_path / "a.txt"), "--no-propose")
    assert "articles [" not in capsys.readouterr().err
