"""The events that write emails to the outbox, and who gets them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail

from claims.models import Claim
from claims.services import claim_assign, claim_set_status
from claims.signals import verdict_approved, verdict_sent_back
from notifications.models import Notification, NotificationPreference
from tests.factories import ClaimFactory, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://desk.example.org"


def test_assigning_a_claim_queues_an_email_to_the_assignee_and_sends_it_after_commit(
    reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)

    note = Notification.objects.get()
    assert (note.user, note.kind, note.to_email) == (
        other_reviewer,
        "assigned",
        "omar@newsroom.example",
    )
    assert note.dedupe_key == f"assigned:{claim.pk}:2:{other_reviewer.pk}"
    assert note.subject.startswith(f"Claim #{claim.pk} assigned to you: Harbour City Council")
    assert "rita assigned claim" in note.body
    assert f"https://desk.example.org/claims/{claim.pk}/" in note.body
    assert f'href="https://desk.example.org/claims/{claim.pk}/"' in note.html_body
    # Sent by the task queued on commit (eager here), not by the receiver itself.
    assert len(callbacks) == 1
    note.refresh_from_db()
    assert (note.state, note.attempts) == ("sent", 1)
    (message,) = mail.outbox
    assert message.to == ["omar@newsroom.example"]
    assert message.subject == note.subject
    assert message.alternatives[0].mimetype == "text/html"


def test_nothing_is_sent_when_the_assignment_rolls_back(reviewer, other_reviewer):
    claim = ClaimFactory()
    with pytest.raises(RuntimeError), __import__("django").db.transaction.atomic():
        claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)
        raise RuntimeError("the request failed after the assignment")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_assigning_yourself_or_unassigning_sends_nothing(reviewer, other_reviewer):
    claim = ClaimFactory()
    claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)
    claim_assign(claim_id=claim.pk, assignee=None, user=reviewer)
    assert not Notification.objects.exists()


def test_assigning_again_later_is_a_new_email_but_a_replayed_event_is_not(reviewer, other_reviewer):
    from claims.signals import claim_assigned

    claim = ClaimFactory()
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)
    claim.refresh_from_db()
    # The same event delivered twice (a retried request): still one email.
    claim_assigned.send(sender=Claim, claim=claim, assignee=other_reviewer, by=reviewer)
    assert Notification.objects.count() == 1

    claim_assign(claim_id=claim.pk, assignee=reviewer, user=reviewer)
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)
    assert Notification.objects.count() == 2


def test_a_reviewer_who_turned_assignment_emails_off_gets_none(reviewer, other_reviewer):
    NotificationPreference.objects.create(user=other_reviewer, assigned=False)
    claim_assign(claim_id=ClaimFactory().pk, assignee=other_reviewer, user=reviewer)
    assert not Notification.objects.exists()


def test_users_without_an_address_or_inactive_get_no_email(reviewer):
    no_address = ReviewerFactory(username="noaddr", email="")
    gone = ReviewerFactory(username="gone", is_active=False)
    for user in (no_address, gone):
        claim_assign(claim_id=ClaimFactory().pk, assignee=user, user=reviewer)
    assert not Notification.objects.exists()


def test_a_failing_receiver_never_undoes_the_assignment(reviewer, other_reviewer, monkeypatch):
    from notifications import receivers

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(receivers, "notification_queue", broken)
    claim = ClaimFactory()

    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)

    claim.refresh_from_db()
    assert claim.assignee == other_reviewer
    assert not Notification.objects.exists()


def test_hostile_claim_text_is_escaped_in_the_html_and_kept_in_the_text(reviewer, other_reviewer):
    hostile = "<script>alert(1)</script> Robert'); DROP TABLE claims_claim;--"
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(text=hostile)

    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)

    note = Notification.objects.get()
    assert "<script>" not in note.html_body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note.html_body
    assert hostile in note.body
    assert "\n" not in note.subject and len(note.subject) <= 200
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_huge_claim_text_gives_a_bounded_subject(reviewer, other_reviewer):
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(text="word " * 20_000)
    claim_assign(claim_id=claim.pk, assignee=other_reviewer, user=reviewer)
    note = Notification.objects.get()
    assert len(note.subject) <= 200


def _approval(pk, submitted_by, **extra):
    # The policy app's approval row, as far as these receivers read it.
    return SimpleNamespace(pk=pk, submitted_by=submitted_by, **extra)


def test_an_approved_verdict_emails_its_submitter(reviewer, other_reviewer):
    claim = ClaimFactory()
    change = SimpleNamespace(changed_by=other_reviewer, to_status="disputed")

    verdict_approved.send(sender=Claim, claim=claim, approval=_approval(7, reviewer), change=change)

    note = Notification.objects.get()
    assert (note.user, note.kind) == (reviewer, "verdict_approved")
    assert note.dedupe_key == f"verdict_approved:7:{reviewer.pk}"
    assert note.subject == f"Your verdict on claim #{claim.pk} was approved"
    assert "omar approved your verdict (disputed)" in note.body


def test_a_sent_back_verdict_emails_its_submitter_with_the_note(reviewer, other_reviewer):
    claim = ClaimFactory()

    verdict_sent_back.send(
        sender=Claim,
        claim=claim,
        approval=_approval(8, reviewer, decided_by=other_reviewer),
        note="Add the <b>council minutes</b> as evidence.",
    )
    verdict_sent_back.send(  # replayed
        sender=Claim,
        claim=claim,
        approval=_approval(8, reviewer, decided_by=other_reviewer),
        note="Add the council minutes as evidence.",
    )

    note = Notification.objects.get()
    assert (note.user, note.kind) == (reviewer, "verdict_sent_back")
    assert "omar sent back your verdict" in note.body
    assert "Add the <b>council minutes</b> as evidence." in note.body
    assert "Add the &lt;b&gt;council minutes&lt;/b&gt; as evidence." in note.html_body


def test_verdict_emails_respect_the_preference_and_odd_approvals(reviewer, other_reviewer):
    claim = ClaimFactory()
    NotificationPreference.objects.create(user=reviewer, verdict_decided=False)
    verdict_approved.send(sender=Claim, claim=claim, approval=_approval(1, reviewer))
    # No submitter, or a submitter deciding on their own verdict: nobody to tell.
    verdict_approved.send(sender=Claim, claim=claim, approval=SimpleNamespace(pk=2))
    verdict_approved.send(
        sender=Claim,
        claim=claim,
        approval=_approval(3, other_reviewer, decided_by=other_reviewer),
    )
    assert not Notification.objects.exists()


def test_a_changed_source_verdict_emails_the_reviewer_of_each_inheritor(
    inherited, reviewer, other_reviewer
):
    source, inheritor = inherited

    claim_set_status(
        claim_id=source.pk, to_status="disputed", user=other_reviewer, note="Minutes say 50."
    )

    note = Notification.objects.get(kind="source_changed")
    change = source.history.order_by("-version").first()
    assert note.user == reviewer
    assert note.dedupe_key == f"source_changed:{change.pk}:{reviewer.pk}"
    assert note.subject == f"Verdict changed at the source of claim #{inheritor.pk} you reviewed"
    assert "changed from verified to disputed (omar)" in note.body
    assert f"https://desk.example.org/claims/{inheritor.pk}/" in note.body
    assert "Minutes say 50." in note.body


def test_whoever_changed_the_source_is_not_told_about_it(inherited, reviewer):
    source, _ = inherited
    # rita, who carried the verdict over, now changes the source herself.
    claim_set_status(claim_id=source.pk, to_status="disputed", user=reviewer, note="Checked.")
    assert not Notification.objects.filter(kind="source_changed").exists()


def test_a_status_change_without_inheritors_writes_nothing(reviewer):
    claim_set_status(claim_id=ClaimFactory().pk, to_status="verified", user=reviewer)
    assert not Notification.objects.exists()


def test_a_user_without_review_rights_can_still_be_an_assignee(reviewer):
    plain = UserFactory(username="plain")
    claim_assign(claim_id=ClaimFactory().pk, assignee=plain, user=reviewer)
    assert Notification.objects.get().user == plain
