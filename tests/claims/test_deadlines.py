"""Due times (score tier, editors' rules), the backfill command, escalation of overdue claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import deadlines, tiers
from claims.models import Claim, DeadlineRule
from claims.proposal import article_propose_claims
from claims.services import claim_set_status
from claims.tasks import escalate_overdue_claims, send_escalation_email
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(monkeypatch):
    """Run tasks in-process even when CI points Celery at Redis (tests/worker/ has real ones)."""
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _hours(settings):
    settings.DEADLINE_HOURS_HIGH = 4
    settings.DEADLINE_HOURS_MEDIUM = 24
    settings.DEADLINE_HOURS_LOW = 72
    settings.CLAIM_TIER_HIGH = 0.8
    settings.CLAIM_TIER_MEDIUM = 0.5


def _claim(score: float, **article) -> Claim:
    claim = ClaimFactory(score=score, article=ArticleFactory(**article))
    deadlines.article_set_due(article_id=claim.article_id)
    claim.refresh_from_db()
    return claim


@pytest.mark.parametrize(
    ("score", "hours"), [(0.95, 4), (0.8, 4), (0.79, 24), (0.5, 24), (0.49, 72), (0.0, 72)]
)
def test_due_time_follows_the_score_tier(score, hours):
    claim = _claim(score)

    assert claim.due_at == claim.created_at + dt.timedelta(hours=hours)
    # The SQL expression and the Python rule agree (tier_for_score is the reference).
    assert deadlines.deadline_hours(score=score, rule_limit=None) == hours
    assert deadlines.tier_hours()[tiers.tier_for_score(score)] == hours


def test_a_source_rule_makes_a_claim_more_urgent_and_the_most_urgent_rule_wins():
    DeadlineRule.objects.create(name="Wire", source="harbour herald", hours=2)
    DeadlineRule.objects.create(name="Wire fast", source="Harbour Herald", hours=1)
    DeadlineRule.objects.create(name="Other outlet", source="Daily Bugle", hours=1)

    claim = _claim(0.3, source="Harbour Herald")

    assert claim.due_at == claim.created_at + dt.timedelta(hours=1)


def test_a_rule_never_makes_a_claim_less_urgent_than_its_tier():
    DeadlineRule.objects.create(name="Slow", source="Harbour Herald", hours=100)

    claim = _claim(0.9, source="Harbour Herald")

    assert claim.due_at == claim.created_at + dt.timedelta(hours=4)


def test_a_keyword_rule_matches_whole_words_in_the_article_title_or_text():
    DeadlineRule.objects.create(name="Elections", keyword="ballot", hours=1)
    DeadlineRule.objects.create(name="War", keyword="war", hours=2)

    on_topic = _claim(0.3, title="Ballot count delayed")
    off_topic = _claim(0.3, title="Software update", body="The software shipped late.")

    assert on_topic.due_at == on_topic.created_at + dt.timedelta(hours=1)
    assert off_topic.due_at == off_topic.created_at + dt.timedelta(hours=72)


def test_an_inactive_rule_is_ignored():
    DeadlineRule.objects.create(name="Wire", source="Harbour Herald", hours=1, active=False)

    claim = _claim(0.3)

    assert claim.due_at == claim.created_at + dt.timedelta(hours=72)


def test_a_rule_must_match_something_and_have_sane_hours():
    with pytest.raises(ValidationError, match="must match something"):
        DeadlineRule(name="Everything", hours=3).full_clean()
    with pytest.raises(ValidationError) as exc:
        DeadlineRule(name="Typo", source="x", hours=10**7).full_clean()
    assert "hours" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineRule.objects.create(name="Zero", source="x", hours=0)


def test_a_hostile_keyword_is_matched_as_text_not_as_a_pattern():
    DeadlineRule.objects.create(name="Regex", keyword=".*", hours=1)
    DeadlineRule.objects.create(name="Markup", keyword="<script>alert(1)</script>", hours=2)

    claim = _claim(0.3)

    assert claim.due_at == claim.created_at + dt.timedelta(hours=72)


def test_proposal_gives_new_claims_their_due_time_and_a_rerun_keeps_it():
    DeadlineRule.objects.create(name="Wire", source="Harbour Herald", hours=3)
    article = ArticleFactory(proposal_state="pending")

    article_propose_claims(article_id=article.pk)

    claims = list(Claim.objects.filter(article=article))
    assert claims
    for claim in claims:
        assert claim.due_at == claim.created_at + dt.timedelta(hours=3)
    first = {c.pk: c.due_at for c in claims}
    DeadlineRule.objects.update(hours=1)
    article_propose_claims(article_id=article.pk, force=True)
    assert dict(Claim.objects.filter(article=article).values_list("pk", "due_at")) == first


def test_backfill_command_sets_missing_due_times_and_silences_the_old_backlog():
    old = ClaimFactory(score=0.9)
    Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    fresh = ClaimFactory(score=0.9)
    verdict = ClaimFactory(score=0.9)
    claim_set_status(claim_id=verdict.pk, to_status="verified", user=None)
    Claim.objects.update(due_at=None)

    call_command("set_claim_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115

    old.refresh_from_db()
    fresh.refresh_from_db()
    verdict.refresh_from_db()
    assert old.due_at == old.created_at + dt.timedelta(hours=4)
    assert old.escalated_at is not None  # overdue before the upgrade: nobody is emailed
    assert fresh.due_at is not None and fresh.escalated_at is None
    assert verdict.due_at is None
    assert deadlines.claims_escalate_overdue() == []


def test_backfill_with_escalate_leaves_the_backlog_to_the_sweep():
    old = ClaimFactory(score=0.9)
    Claim.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3), due_at=None
    )

    call_command("set_claim_deadlines", "--escalate", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert deadlines.claims_escalate_overdue() == [old.pk]


# --- escalation -------------------------------------------------------------------------------


def _overdue(hours: float = 1, **kwargs) -> Claim:
    claim = ClaimFactory(score=0.9, article=ArticleFactory(), **kwargs)
    Claim.objects.filter(pk=claim.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=hours), escalated_at=None
    )
    return claim


def test_escalation_marks_each_overdue_claim_once_and_is_safe_to_run_twice():
    late = _overdue(5)
    later = _overdue(1)
    not_due = ClaimFactory(score=0.9, article=ArticleFactory())
    Claim.objects.filter(pk=not_due.pk).update(due_at=timezone.now() + dt.timedelta(hours=1))
    answered = _overdue(2)
    claim_set_status(claim_id=answered.pk, to_status="verified", user=None)

    first = deadlines.claims_escalate_overdue()
    second = deadlines.claims_escalate_overdue()

    assert first == [late.pk, later.pk]
    assert second == []
    assert Claim.objects.get(pk=late.pk).escalated_at is not None
    assert Claim.objects.get(pk=not_due.pk).escalated_at is None
    assert Claim.objects.get(pk=answered.pk).escalated_at is None


def test_escalation_takes_at_most_a_batch_per_run(settings):
    settings.ESCALATION_BATCH = 2
    claims = [_overdue(h) for h in (4, 3, 2)]

    assert deadlines.claims_escalate_overdue() == [claims[0].pk, claims[1].pk]
    assert deadlines.claims_escalate_overdue() == [claims[2].pk]


def test_escalation_task_emails_the_desks_editors_once(settings, eager):
    settings.SITE_URL = "https://desk.example"
    EditorFactory(username="ed", email="ed@newsroom.example")
    EditorFactory(username="ed2", email="ed2@newsroom.example")
    EditorFactory(username="gone", email="gone@newsroom.example", is_active=False)
    ReviewerFactory(username="rev", email="rev@newsroom.example")
    claim = _overdue(3)

    assert escalate_overdue_claims.delay().get() == 1
    assert escalate_overdue_claims.delay().get() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["ed2@newsroom.example", "ed@newsroom.example"]
    assert message.subject == "[factcheck] 1 overdue claim"
    assert claim.text[:50] in message.body
    assert "overdue by 3 h" in message.body
    assert f"https://desk.example/claims/{claim.pk}/" in message.body


def test_escalation_email_leaves_out_claims_answered_since_and_sends_nothing_for_none(eager):
    EditorFactory(username="ed", email="ed@newsroom.example")
    claim = _overdue(3)
    claim_set_status(claim_id=claim.pk, to_status="dismissed", user=None)

    assert send_escalation_email.delay([claim.pk]).get() == 0
    assert mail.outbox == []


def test_escalation_email_is_retried_when_the_mail_server_is_down(settings, monkeypatch):
    EditorFactory(username="ed", email="ed@newsroom.example")
    claim = _overdue(3)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return 1

    monkeypatch.setattr("claims.escalation.send_mail", flaky)
    monkeypatch.setattr("claims.tasks.retry_backoff", lambda retries: 0)

    assert send_escalation_email.apply(args=([claim.pk],)).get() == 1
    assert len(calls) == 2


def test_escalation_email_goes_to_the_notifications_queue(settings):
    from factcheck.celery import app

    route = app.amqp.router.route({}, "claims.tasks.send_escalation_email")
    assert route["queue"].name == "notifications"
    assert "notifications" in {q.name for q in settings.CELERY_TASK_QUEUES}
    assert settings.CELERY_BEAT_SCHEDULE["escalate-overdue-claims"]["task"] == (
        "claims.tasks.escalate_overdue_claims"
    )


def test_reopening_a_verdict_starts_a_new_deadline():
    claim = _overdue(10)
    deadlines.claims_escalate_overdue()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)

    before = timezone.now()
    claim_set_status(claim_id=claim.pk, to_status="proposed", user=None)

    claim.refresh_from_db()
    assert claim.escalated_at is None
    assert before + dt.timedelta(hours=3.9) < claim.due_at < before + dt.timedelta(hours=4.1)
