"""Verdicts that expire: re-check dates, the expiry announcement (signal, webhook, changes feed)
and the API's expires_at / expired."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from claims import deadlines
from claims.models import Claim, ExpiryRule
from claims.services import claim_set_status
from claims.signals import claim_verdict_expired
from claims.tasks import announce_expired_verdicts
from factcheck.celery import app as celery_app
from integrations.models import WebhookEvent
from integrations.services import webhook_subscription_create
from integrations.tasks import deliver_webhook
from tests.factories import ArticleFactory, ClaimFactory
from tests.receiver import verify


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    """Run tasks in-process even when CI points Celery at Redis (tests/worker/ has real ones)."""
    from factcheck.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _expiry(settings):
    settings.VERDICT_EXPIRY_DAYS = 180
    settings.VERDICT_EXPIRY_TYPES = ["quantity"]


def _verdict(claim, status="verified", note="checked"):
    return claim_set_status(claim_id=claim.pk, to_status=status, user=None, note=note)


def _close(when, expected):
    assert abs((when - expected).total_seconds()) < 5, (when, expected)


def test_a_verdict_on_a_quantity_expires_after_the_setting(settings):
    claim = ClaimFactory(claim_type="quantity")

    _verdict(claim)

    claim.refresh_from_db()
    _close(claim.expires_at, timezone.now() + dt.timedelta(days=180))


def test_a_verdict_on_another_type_does_not_expire_without_a_rule():
    claim = ClaimFactory(claim_type="quote")

    _verdict(claim)

    claim.refresh_from_db()
    assert claim.expires_at is None


def test_an_expiry_rule_applies_to_its_type_or_source_and_the_shortest_wins():
    ExpiryRule.objects.create(name="Quotes", claim_type="quote", days=30)
    ExpiryRule.objects.create(name="Herald", source="harbour herald", days=10)
    ExpiryRule.objects.create(name="Off", claim_type="quote", days=1, active=False)
    quote = ClaimFactory(claim_type="quote", article=ArticleFactory(source="Daily Bugle"))
    herald_quantity = ClaimFactory(claim_type="quantity", article=ArticleFactory())

    _verdict(quote)
    _verdict(herald_quantity)

    quote.refresh_from_db()
    herald_quantity.refresh_from_db()
    _close(quote.expires_at, timezone.now() + dt.timedelta(days=30))
    _close(herald_quantity.expires_at, timezone.now() + dt.timedelta(days=10))


def test_dismissal_and_reopening_clear_the_expiry():
    claim = ClaimFactory()
    _verdict(claim)
    claim_set_status(claim_id=claim.pk, to_status="proposed", user=None)
    claim.refresh_from_db()
    assert claim.expires_at is None
    _verdict(claim)
    claim_set_status(claim_id=claim.pk, to_status="proposed", user=None)
    claim_set_status(claim_id=claim.pk, to_status="dismissed", user=None)
    claim.refresh_from_db()
    assert claim.expires_at is None


def test_a_changed_verdict_gets_a_new_date_and_can_be_announced_again():
    claim = ClaimFactory()
    _verdict(claim)
    Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert deadlines.claims_announce_expired() == [claim.pk]

    _verdict(claim, "disputed", note="figure was revised")

    claim.refresh_from_db()
    assert claim.expiry_announced_at is None
    _close(claim.expires_at, timezone.now() + dt.timedelta(days=180))


def _expire(claim) -> Claim:
    _verdict(claim)
    Claim.objects.filter(pk=claim.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1),
        updated_at=timezone.now() - dt.timedelta(days=2),
    )
    return Claim.objects.get(pk=claim.pk)


def test_expiry_is_announced_once_with_the_signal_and_an_updated_at_bump():
    claim = _expire(ClaimFactory())
    not_yet = ClaimFactory(article=ArticleFactory())
    _verdict(not_yet)
    heard = []

    def listener(*, claim, **kwargs):
        heard.append(claim.pk)

    claim_verdict_expired.connect(listener, dispatch_uid="test-listener")
    try:
        assert announce_expired_verdicts.delay().get() == 1
        assert announce_expired_verdicts.delay().get() == 0
    finally:
        claim_verdict_expired.disconnect(dispatch_uid="test-listener")

    assert heard == [claim.pk]
    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.expiry_announced_at is not None
    assert fresh.updated_at > claim.updated_at
    assert fresh.version == claim.version  # an announcement is not a reviewer's change


def test_expiry_becomes_a_signed_claim_expired_webhook(
    receiver, settings, django_capture_on_commit_callbacks
):
    assert deliver_webhook.name  # registered: the event's delivery runs eagerly in-process
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_eager_propagates)
    conf.task_always_eager, conf.task_eager_propagates = True, False
    try:
        webhook_subscription_create(
            name="cms", url=receiver.url, secret="s3cret-s3cret-s3cret", events=["claim.expired"]
        )
        claim = _expire(ClaimFactory())

        with django_capture_on_commit_callbacks(execute=True):
            deadlines.claims_announce_expired()
        with django_capture_on_commit_callbacks(execute=True):
            deadlines.claims_announce_expired()
    finally:
        conf.task_always_eager, conf.task_eager_propagates = saved

    (request,) = receiver.requests  # once, and no status event (not subscribed)
    assert verify(request, "s3cret-s3cret-s3cret")
    assert request["headers"]["X-Factcheck-Event"] == "claim.expired"
    payload = json.loads(request["body"])
    assert payload["type"] == "claim.expired"
    assert payload["data"]["claim"]["id"] == claim.pk
    assert payload["data"]["claim"]["status"] == "verified"
    assert payload["data"]["claim"]["expires_at"] == claim.expires_at.isoformat()
    assert WebhookEvent.objects.filter(type="claim.expired").count() == 1
