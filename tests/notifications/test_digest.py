"""The daily digest: what it lists, who gets it, once a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from claims.models import ApprovalState, Claim, VerdictApproval
from claims.services import claim_assign, claim_set_status
from notifications import tasks
from notifications.digest import digest_for, digest_recipients, digests_send
from notifications.models import Notification, NotificationPreference
from tests.factories import ClaimFactory, EditorFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://desk.example.org"


def _assign(claims, user):
    for claim in claims:
        claim_assign(claim_id=claim.pk, assignee=user, user=user)


def test_the_digest_lists_open_and_overdue_claims_of_the_reviewer(reviewer, other_reviewer):
    now = timezone.now()
    open_claims = ClaimFactory.create_batch(3)
    done = ClaimFactory()
    _assign([*open_claims, done], reviewer)
    _assign([ClaimFactory()], other_reviewer)
    claim_set_status(claim_id=done.pk, to_status="verified", user=reviewer)
    Claim.objects.filter(pk=open_claims[0].pk).update(due_at=now - timedelta(hours=2))
    Claim.objects.filter(pk=open_claims[1].pk).update(due_at=now + timedelta(hours=2))

    digest = digest_for(reviewer, now=now)

    assert (digest.open_count, digest.overdue_count, digest.rereview_count) == (3, 1, 0)
    # Soonest due first, claims without a due time last.
    assert [row["pk"] for row in digest.open_claims] == [c.pk for c in open_claims]
    assert digest.awaiting_approval == 0  # no verdict of theirs waits for a second reviewer


def test_the_digest_counts_the_reviewers_verdicts_awaiting_a_second_reviewer(
    reviewer, other_reviewer
):
    claims = ClaimFactory.create_batch(3)
    for claim in claims[:2]:
        VerdictApproval.objects.create(
            claim=claim, to_status="disputed", from_status="proposed", submitted_by=reviewer
        )
    VerdictApproval.objects.create(
        claim=claims[2],
        to_status="disputed",
        from_status="proposed",
        submitted_by=reviewer,
        state=ApprovalState.APPROVED,
    )

    assert digest_for(reviewer).awaiting_approval == 2
    assert digest_for(other_reviewer).awaiting_approval == 0
    assert not digest_for(reviewer).empty


def test_digests_are_queued_once_per_reviewer_per_day(reviewer, other_reviewer, settings):
    _assign(ClaimFactory.create_batch(2), reviewer)
    Notification.objects.all().delete()  # assignments to oneself write none anyway

    assert digests_send() == 1  # omar has nothing waiting: no email
    assert digests_send() == 0  # beat ran twice today

    note = Notification.objects.get(kind="digest")
    today = timezone.localdate()
    assert note.dedupe_key == f"digest:{reviewer.pk}:{today.isoformat()}"
    assert note.user == reviewer
    assert note.subject.startswith("Your factcheck digest for ")
    assert note.subject.endswith(": 2 open claims")
    assert "Claims assigned to you still open: 2" in note.body
    assert "awaiting approval" not in note.body
    assert "https://desk.example.org/?assignee=me" in note.body
    assert "https://desk.example.org/account/notifications/" in note.body

    tomorrow = timezone.now() + timedelta(days=1)
    assert digests_send(now=tomorrow) == 1


def test_the_digest_counts_claims_flagged_for_rereview(inherited, reviewer, other_reviewer):
    source, inheritor = inherited
    claim_set_status(claim_id=source.pk, to_status="disputed", user=other_reviewer, note="No.")

    digest = digest_for(reviewer)

    assert digest.rereview_count == 1
    assert [row["pk"] for row in digest.rereview_claims] == [inheritor.pk]
    assert digests_send() == 1
    body = Notification.objects.get(kind="digest").body
    assert "Claims flagged for re-review: 1" in body
    assert "https://desk.example.org/verdict-changed/" in body


def test_only_reviewers_who_want_it_get_a_digest(reviewer, other_reviewer, django_user_model):
    editor = EditorFactory(username="eddie")
    no_address = ReviewerFactory(username="noaddr", email="")
    admin = django_user_model.objects.create_superuser(
        "boss", "boss@newsroom.example", "pw-xyz-123"
    )
    NotificationPreference.objects.create(user=other_reviewer, daily_digest=False)

    recipients = list(digest_recipients())

    assert recipients == [reviewer, admin]
    assert editor not in recipients and no_address not in recipients


def test_the_digest_task_sends_through_the_outbox(reviewer, django_capture_on_commit_callbacks):
    _assign([ClaimFactory()], reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests.apply().get() == 1
    (message,) = mail.outbox
    assert message.to == ["rita@newsroom.example"]
    html = message.alternatives[0].content
    assert "<strong>1</strong>" in html


def test_beat_runs_the_digest_at_the_configured_hour_and_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["daily-digests"]
    assert entry["task"] == "notifications.tasks.send_daily_digests"
    assert entry["schedule"] == crontab(minute=0, hour=settings.NOTIFICATION_DIGEST_HOUR)
    # The hour is the site's (TIME_ZONE), not UTC's.
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-notifications"]
    assert sweep["task"] == "notifications.tasks.sweep_notifications"
    assert settings.CELERY_TASK_ROUTES["notifications.tasks.send_notification"] == {
        "queue": "notifications"
    }
    assert "notifications" in {q.name for q in settings.CELERY_TASK_QUEUES}


def test_the_command_queues_the_digests_once_a_day(reviewer):
    from io import StringIO

    from django.core.management import call_command

    _assign([ClaimFactory()], reviewer)
    out = StringIO()
    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=out)
    assert out.getvalue() == "Queued 1 digest(s).\nQueued 0 digest(s).\n"
    assert Notification.objects.filter(kind="digest").count() == 1
