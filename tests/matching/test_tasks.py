"""Matching runs after proposal, as its own task, and a sweep catches what was never matched."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.importing.readers import read_path
from articles.importing.types import ArticleDraft
from articles.models import Article
from articles.services import article_import
from claims.models import Claim
from claims.proposal import article_propose_claims
from matching import services
from matching.models import ArticleMatching, ClaimMatch
from matching.tasks import match_claims, match_unmatched_claims

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = Path(settings.BASE_DIR) / "articles" / "demo"


@pytest.fixture(autouse=True)
def eager_tasks(monkeypatch):
    """Run the task chain in-process even when CI points Celery at Redis.

    Real workers consuming these queues are tested in tests/worker/; here the subject is what
    the tasks chain and sweep, not the broker.
    """
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _import(name):
    (draft,) = read_path(DEMO / name)
    assert isinstance(draft, ArticleDraft), draft
    return article_import(draft, imported_by=None)


def test_proposal_is_followed_by_matching_across_articles():
    _import("01_riverton_flood.txt")
    _import("02_riverton_recovery.txt")

    assert not Claim.objects.filter(matched_at__isnull=True).exists()
    relations = set(ClaimMatch.objects.values_list("relation", flat=True))
    # The two flood stories repeat the river level; the later one gives a larger evacuation
    # count ("up from the first estimate"): a tally that grew, so it differs by date.
    assert relations == {"same", "differs_by_date"}
    conflict = ClaimMatch.objects.get(relation="differs_by_date")
    texts = {conflict.claim.text, conflict.other.text}
    assert any("4,200" in t for t in texts) and any("6,500" in t for t in texts)


def test_sweep_matches_claims_whose_matching_message_was_lost(monkeypatch):
    with monkeypatch.context() as lost:
        lost.setattr("claims.tasks.publish_matching", lambda article_id: None)
        _import("01_riverton_flood.txt")
        _import("02_riverton_recovery.txt")
    assert not ClaimMatch.objects.exists()

    # Too recent: the message may still be on its way.
    assert match_unmatched_claims() == 0
    Claim.objects.update(created_at=timezone.now() - timedelta(hours=1))

    assert match_unmatched_claims() == 2
    assert not Claim.objects.filter(matched_at__isnull=True).exists()
    assert ClaimMatch.objects.filter(relation="same").exists()
    assert match_unmatched_claims() == 0


def test_matching_task_queues_itself_for_the_rest_until_the_article_is_matched(
    monkeypatch, settings
):
    _import("01_riverton_flood.txt")
    with monkeypatch.context() as lost:
        lost.setattr("claims.tasks.publish_matching", lambda article_id: None)
        article = Article.objects.get(pk=_import("02_riverton_recovery.txt").article_id)
    settings.CLAIM_MATCH_CHUNK_SIZE = 2
    settings.CLAIM_MATCH_RUN_SECONDS = 0  # every run stops after one chunk
    runs = []
    real = services.article_match_claims

    def counted(**kwargs):
        runs.append(kwargs["after"])
        return real(**kwargs)

    monkeypatch.setattr(services, "article_match_claims", counted)
    claims = Claim.objects.filter(article=article).count()

    match_claims.delay(article.pk)

    assert len(runs) == (claims + 1) // 2  # one run per chunk, each continuing the last
    assert runs == sorted(runs) and runs[0] == 0
    assert not Claim.objects.filter(matched_at__isnull=True).exists()
    assert ClaimMatch.objects.filter(relation__in=("conflict", "differs_by_date")).exists()
    row = ArticleMatching.objects.get(article=article)
    assert (row.state, row.attempts) == ("done", 1)


def test_a_matching_run_that_fails_is_shown_on_the_article(monkeypatch, client, staff_user):
    _import("01_riverton_flood.txt")

    def broken(rows, *, chunk_ids):
        raise ValueError("index corrupt")

    monkeypatch.setattr(services, "_write_matches", broken)
    # The task's error is logged by Celery; the import itself succeeds.
    article = Article.objects.get(pk=_import("02_riverton_recovery.txt").article_id)

    row = ArticleMatching.objects.get(article=article)
    assert (row.state, row.error) == ("failed", "ValueError: index corrupt")
    client.force_login(staff_user)
    page = client.get(reverse("claims:article", args=[article.pk])).content.decode()
    assert '<dt>Matching</dt><dd class="matching-failed">Failed:<br>ValueError: index corrupt' in (
        page
    )
    api = APIClient()
    api.force_authenticate(staff_user)
    body = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert body["matching"]["state"] == "failed"
    assert body["matching"]["error"] == "ValueError: index corrupt"
    admin_list = client.get("/admin/matching/articlematching/?state__exact=failed").content.decode()
    assert "ValueError: index corrupt" in admin_list


def test_claims_per_article_are_capped_and_the_article_says_so(settings, client, staff_user):
    settings.PROPOSAL_MAX_CLAIMS_PER_ARTICLE = 3
    article = Article.objects.get(pk=_import("01_riverton_flood.txt").article_id)

    settings.PROPOSAL_MAX_CLAIMS_PER_ARTICLE = 10_000
    uncapped = article_propose_claims(article_id=article.pk, force=True).proposed_claim_count
    assert ArticleMatching.objects.get(article=article).claims_over_cap == 0  # note cleared
    settings.PROPOSAL_MAX_CLAIMS_PER_ARTICLE = 3
    article_propose_claims(article_id=article.pk, force=True)

    kept = list(Claim.objects.filter(article=article).order_by("-score"))
    assert len(kept) == 3 < uncapped
    scores = sorted(round(s[2], 4) for s in Article.objects.get(pk=article.pk).sentence_scores)
    assert [round(c.score, 4) for c in kept] == scores[::-1][:3]  # the three best
    assert ArticleMatching.objects.get(article=article).claims_over_cap == uncapped - 3
    note = (
        f"Only the 3 highest-scoring claims were proposed; {uncapped - 3:,} more were left out "
        "(PROPOSAL_MAX_CLAIMS_PER_ARTICLE)."
    )
    client.force_login(staff_user)
    assert note in client.get(reverse("claims:article", args=[article.pk])).content.decode()
    api = APIClient()
    api.force_authenticate(staff_user)
    assert api.get(f"/api/v1/articles/{article.pk}/").json()["matching"]["note"] == note


def test_admin_retry_gives_a_failed_article_fresh_attempts_and_matches_it(
    monkeypatch, client, staff_user, settings
):
    settings.CLAIM_MATCH_MAX_ATTEMPTS = 1
    _import("01_riverton_flood.txt")
    real = services.compare

    def broken(a, b, **kwargs):
        if "4,200" in a.text or "4,200" in b.text:
            raise TypeError("bad figure")
        return real(a, b, **kwargs)

    with monkeypatch.context() as bug:
        bug.setattr(services, "compare", broken)
        article = Article.objects.get(pk=_import("02_riverton_recovery.txt").article_id)
    row = ArticleMatching.objects.get(article=article)
    assert (row.state, row.attempts) == ("failed", 1)
    Claim.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert match_unmatched_claims() == 0  # out of attempts: the sweep leaves it

    client.force_login(staff_user)
    response = client.post(
        "/admin/matching/articlematching/",
        {"action": "retry_matching", "_selected_action": [article.pk]},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == ("done", 1, "")
    assert not Claim.objects.filter(article=article, matched_at__isnull=True).exists()
    assert ClaimMatch.objects.filter(relation__in=("conflict", "differs_by_date")).exists()


def test_task_names_are_the_contract_with_queued_messages_beat_and_routes():
    """The tasks moved to matching.tasks but keep their names: queued messages, beat's schedule
    and CELERY_TASK_ROUTES still find them, and claims enqueues match_claims by that name."""
    from celery import current_app

    from claims import tasks as claim_tasks
    from matching import tasks

    names = {
        tasks.match_claims: "claims.tasks.match_claims",
        tasks.match_unmatched_claims: "claims.tasks.match_unmatched_claims",
        tasks.recount_match_terms: "claims.tasks.recount_match_terms",
    }
    for task, name in names.items():
        assert task.name == name
        assert current_app.tasks[name].run.__module__ == "matching.tasks"
    assert tasks.match_claims.name == claim_tasks.MATCH_CLAIMS_TASK
    assert settings.CELERY_TASK_ROUTES[tasks.match_claims.name] == {"queue": "matching"}
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {names[tasks.match_unmatched_claims], names[tasks.recount_match_terms]} <= scheduled


def test_proposal_enqueues_matching_by_name_with_the_article(monkeypatch):
    from celery import current_app

    sent = []

    class Signature:
        def __init__(self, name, args):
            self.name, self.args = name, args

        def apply_async(self):
            sent.append((self.name, self.args))

    real = current_app.signature

    def signature(name, *args, **kwargs):
        # The import queues proposal by name too (articles.proposal_queue): that one runs.
        if name != "claims.tasks.match_claims":
            return real(name, *args, **kwargs)
        return Signature(name, kwargs.get("args", args[0] if args else ()))

    monkeypatch.setattr(current_app, "signature", signature)
    outcome = _import("01_riverton_flood.txt")
    assert sent == [("claims.tasks.match_claims", (outcome.article_id,))]
