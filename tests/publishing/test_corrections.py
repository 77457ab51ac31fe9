"""A published verdict that changes: Correction, corrections to make per affected article,
the claim.correction webhook event and the editors' emails."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from claims.roles import EDITORS
from claims.services import claim_set_status
from integrations.models import WebhookEvent, WebhookSubscription
from matching.models import ClaimMatch, MatchRelation
from matching.verdicts import claim_unlink_match
from publishing.emails import correction_task_email
from publishing.models import Correction, CorrectionTask, PublicationChange
from publishing.services import publication_publish
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory

pytestmark = pytest.mark.django_db


def _link(a, b, relation=MatchRelation.SAME):
    low, high = sorted((a, b), key=lambda c: c.pk)
    return ClaimMatch.objects.create(claim=low, other=high, similarity=0.93, relation=relation)


@pytest.fixture
def repeats(published_claim):
    """Two other articles repeat the claim (same-fact links); a third only conflicts with it."""
    same = [ClaimFactory(article=ArticleFactory()) for _ in range(2)]
    for other in same:
        _link(published_claim, other)
    conflict = ClaimFactory(article=ArticleFactory())
    _link(published_claim, conflict, MatchRelation.CONFLICT)
    return same, conflict


def _flip(claim, user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claim_set_status(
            claim_id=claim.pk,
            to_status="disputed",
            user=user,
            note="New budget figures: $38 million.",
            **kwargs,
        )
    return callbacks


def test_a_flipped_published_verdict_records_a_correction_and_a_task_per_article(
    published_claim, repeats, reviewer, django_capture_on_commit_callbacks
):
    same, conflict = repeats

    _flip(published_claim, reviewer, django_capture_on_commit_callbacks)

    correction = Correction.objects.get()
    assert (correction.claim_id, correction.old_status, correction.new_status) == (
        published_claim.pk,
        "verified",
        "disputed",
    )
    assert correction.created_by == reviewer
    assert correction.public_note == ""  # the verdict note is internal until published
    tasks = CorrectionTask.objects.order_by("article_id")
    assert {(t.article_id, t.claim_id, t.state) for t in tasks} == {
        (published_claim.article_id, published_claim.pk, "open"),
        *((c.article_id, c.pk, "open") for c in same),
    }
    assert conflict.article_id not in {t.article_id for t in tasks}
    change = PublicationChange.objects.filter(claim=published_claim).last()
    assert (change.action, change.status, change.user) == ("corrected", "disputed", reviewer)


def test_the_public_page_shows_the_correction_with_the_old_verdict(
    client, published_claim, reviewer, django_capture_on_commit_callbacks
):
    _flip(published_claim, reviewer, django_capture_on_commit_callbacks)
    publication_publish(
        claim_id=published_claim.pk, user=reviewer, rationale="The final budget is $38 million."
    )

    html = client.get(f"/fact-checks/{published_claim.pk}/").content.decode()

    assert "Our verdict: <strong>Disputed</strong>" in html
    assert "changed from <strong>Accurate</strong> to <strong>Disputed</strong>" in html
    assert "The final budget is $38 million." in html
    # The reviewer's status note was never published.
    assert "New budget figures" not in html
    assert Correction.objects.get().public_note == "The final budget is $38 million."


def test_unpublished_or_withdrawn_verdicts_and_unlinked_matches_make_no_corrections(
    verified_claim, reviewer, django_capture_on_commit_callbacks
):
    other = ClaimFactory(article=ArticleFactory())
    match = _link(verified_claim, other)

    _flip(verified_claim, reviewer, django_capture_on_commit_callbacks)
    assert not Correction.objects.exists()

    claim_set_status(claim_id=verified_claim.pk, to_status="verified", user=reviewer)
    publication_publish(claim_id=verified_claim.pk, user=reviewer, rationale="Checked.")
    claim_unlink_match(match_id=match.pk, user=reviewer, reason="Different evacuation counts.")
    _flip(verified_claim, reviewer, django_capture_on_commit_callbacks)

    assert list(CorrectionTask.objects.values_list("article_id", flat=True)) == [
        verified_claim.article_id
    ]


def test_the_correction_sends_a_claim_correction_webhook_event_with_the_article_ids(
    published_claim, repeats, reviewer, django_capture_on_commit_callbacks
):
    WebhookSubscription.objects.create(
        name="cms",
        url="https://hooks.example/in",
        secret_encrypted="x",
        events=["claim.correction"],
    )
    same, _ = repeats

    _flip(published_claim, reviewer, django_capture_on_commit_callbacks)

    event = WebhookEvent.objects.get(type="claim.correction")
    correction = Correction.objects.get()
    assert event.dedupe_key == f"correction:{correction.pk}"
    data = event.payload["data"]
    assert data["article_ids"] == sorted(
        [published_claim.article_id, *(c.article_id for c in same)]
    )
    assert data["correction"]["from_status"] == "verified"
    assert data["correction"]["to_status"] == "disputed"
    assert data["claim"]["public_url"] == (
        f"https://facts.example.org/fact-checks/{published_claim.pk}/"
    )
    assert event.deliveries.count() == 1
    # The subscription to status changes only is not sent corrections.
    assert not WebhookEvent.objects.filter(type="claim.status_changed").exists()


def test_each_affected_articles_editors_get_one_email(
    published_claim, repeats, reviewer, settings, django_capture_on_commit_callbacks
):
    same, _ = repeats
    importer = EditorFactory(username="ines", email="ines@herald.example")
    article = published_claim.article
    article.imported_by = importer
    article.save()
    desk = Group.objects.create(name="Coast desk")
    coast_editor = EditorFactory(username="cora", email="cora@coast.example")
    coast_editor.groups.add(desk)
    same[0].article.source = "Coast News"
    same[0].article.save()
    settings.CORRECTION_EDITOR_GROUPS = {"Coast News": "Coast desk"}
    everyone = EditorFactory(username="eve", email="eve@newsroom.example")

    _flip(published_claim, reviewer, django_capture_on_commit_callbacks)

    recipients = sorted(tuple(m.to) for m in mail.outbox)
    # The importer; the source's group; everyone in Editors for the third article.
    assert recipients == sorted(
        [
            ("ines@herald.example",),
            ("cora@coast.example",),
            tuple(sorted({"cora@coast.example", "eve@newsroom.example", "ines@herald.example"})),
        ]
    )
    assert everyone.groups.filter(name=EDITORS).exists()
    first = next(m for m in mail.outbox if m.to == ["ines@herald.example"])
    assert first.subject.startswith("Correction to make: ")
    assert f"https://facts.example.org/fact-checks/{published_claim.pk}/" in first.body
    assert "https://facts.example.org/corrections/" in first.body
    assert '"Accurate" to "Disputed"' in first.body
    assert "New budget figures" not in first.body  # internal note
    assert all(t.emailed_at for t in CorrectionTask.objects.all())


def test_the_email_is_sent_once_per_task_however_often_the_task_runs(
    published_claim, reviewer, editor, django_capture_on_commit_callbacks
):
    _flip(published_claim, reviewer, django_capture_on_commit_callbacks)
    task = CorrectionTask.objects.get()
    assert len(mail.outbox) == 1

    assert correction_task_email(task_id=task.pk) is False
    assert correction_task_email(task_id=task.pk) is False

    assert len(mail.outbox) == 1


def test_the_email_waits_for_the_commit(published_claim, reviewer, editor):
    # Without running the on-commit callbacks (the request's transaction never committed),
    # nothing is sent.
    claim_set_status(claim_id=published_claim.pk, to_status="disputed", user=reviewer, note="x")

    assert mail.outbox == []
    assert CorrectionTask.objects.get().emailed_at is None


def test_the_email_task_is_routed_to_the_notifications_queue(settings):
    queues = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert "notifications" in queues
    route = settings.CELERY_TASK_ROUTES["publishing.tasks.send_correction_email"]
    assert route == {"queue": "notifications"}


def test_the_sweep_sends_emails_whose_message_was_lost(published_claim, reviewer, editor):
    from datetime import timedelta

    from django.utils import timezone

    from publishing.tasks import sweep_correction_emails

    # Committed without its on-commit callbacks: the email was never queued.
    claim_set_status(claim_id=published_claim.pk, to_status="disputed", user=reviewer, note="x")
    assert sweep_correction_emails() == 0  # too recent: its message may still be on its way
    CorrectionTask.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    assert sweep_correction_emails() == 1

    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert sweep_correction_emails() == 0
