"""Webhook events: written when a claim's status changes, signed and POSTed by a Celery task.

Each event has a UUID (``X-Factcheck-Event-Id``) and is delivered at most once per subscription
with a success: one WebhookDelivery row per (event, subscription), claimed by a lease before
each attempt. Receivers should still dedupe on the event id: a worker that dies after the
receiver answered but before the success was recorded sends the same event again.

Signature: ``X-Factcheck-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>``
with ``X-Factcheck-Timestamp`` (Unix seconds of this attempt), so receivers can refuse replays.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
import uuid
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimStatusChange
from factcheck import retry
from factcheck.users import username
from integrations import outbound
from integrations.crypto import decrypt_secret
from integrations.models import (
    DeliveryState,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventType,
    WebhookSubscription,
)
from integrations.netguard import UnsafeUrl, check_url

logger = logging.getLogger(__name__)

# The delivery task (integrations.tasks), queued by name: see publish_deliveries.
DELIVER_TASK = "integrations.tasks.deliver_webhook"

SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_ID_HEADER = "X-Factcheck-Event-Id"
EVENT_TYPE_HEADER = "X-Factcheck-Event"


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def backoff_seconds(attempt: int) -> int:
    """Wait before retry number ``attempt`` (1-based): base * 2**(attempt-1), capped."""
    wait = retry.backoff_seconds(
        base=settings.WEBHOOK_RETRY_BASE_SECONDS,
        retry=attempt - 1,
        cap=settings.WEBHOOK_RETRY_MAX_SECONDS,
    )
    return int(wait)


def status_event_payload(*, change: ClaimStatusChange, event_id: uuid.UUID) -> dict:
    """The JSON body of a claim.status_changed event."""
    claim = change.claim
    article = claim.article
    return {
        "id": str(event_id),
        "type": WebhookEventType.CLAIM_STATUS_CHANGED.value,
        "created_at": timezone.now().isoformat(),
        "data": {
            "claim": {
                "id": claim.pk,
                "article": article.pk,
                "article_url": article.url,
                "text": claim.text,
                "claim_type": claim.claim_type,
                "claimer": claim.claimer,
                "score": claim.score,
                # As of this change, not as of delivery: later changes send their own events.
                "status": change.to_status,
                "version": change.version,
                "api_url": reverse("api:claim-detail", args=[claim.pk]),
            },
            "change": {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "changed_by": username(change.changed_by),
                "changed_at": change.changed_at.isoformat(),
                "note": change.note,
                "version": change.version,
                "evidence": [{"url": e.url, "title": e.title} for e in change.evidence.all()],
            },
        },
    }


def on_claim_status_changed(*, change: ClaimStatusChange, **kwargs: object) -> None:
    """Receiver of ``claims.signals.claim_status_changed``: the event waits for the commit."""
    # Webhooks see only committed changes, and a failure here never undoes a review.
    transaction.on_commit(lambda: enqueue_status_event(change_id=change.pk), robust=True)


def enqueue_status_event(*, change_id: int) -> WebhookEvent | None:
    """Record the event of one status change and queue its deliveries; idempotent.

    Runs on commit of claims.services.claim_set_status (``on_claim_status_changed``), so it
    only sees committed changes and a failure here never undoes a review.
    """
    event_type = WebhookEventType.CLAIM_STATUS_CHANGED
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if s.wants(event_type)
    ]
    if not subscriptions:
        return None
    change = (
        ClaimStatusChange.objects.select_related("claim__article", "changed_by")
        .prefetch_related("evidence")
        .get(pk=change_id)
    )
    with transaction.atomic():
        event_id = uuid.uuid4()
        event, _ = WebhookEvent.objects.get_or_create(
            status_change=change,
            defaults={
                "id": event_id,
                "type": event_type,
                "payload": status_event_payload(change=change, event_id=event_id),
            },
        )
        now = timezone.now()
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(event=event, subscription=s, next_attempt_at=now)
                for s in subscriptions
            ],
            ignore_conflicts=True,
        )
        pending = list(
            event.deliveries.filter(state=DeliveryState.PENDING).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: publish_deliveries(pending), robust=True)
    return event


def correction_event_data(*, claim, correction, article_ids: list[int]) -> dict:
    """The ``data`` of a claim.correction event, read while the correction's transaction runs."""
    return {
        "claim": {
            "id": claim.pk,
            "article": claim.article_id,
            "text": claim.text,
            "status": correction.new_status,
            # The public fact-check page (publishing's URL name: integrations does not import it).
            "public_url": settings.SITE_URL + reverse("publishing:fact_check", args=[claim.pk]),
            "api_url": settings.SITE_URL + reverse("api:claim-detail", args=[claim.pk]),
        },
        "correction": {
            "id": correction.pk,
            "from_status": correction.old_status,
            "to_status": correction.new_status,
            "corrected_at": correction.created_at.isoformat(),
        },
        # Every article that carries the claim or a same-fact match of it.
        "article_ids": sorted(article_ids),
    }


def on_claim_correction(*, claim, correction, article_ids, **kwargs: object) -> None:
    """Receiver of ``claims.signals.claim_correction``: a claim.correction event on commit."""
    data = correction_event_data(claim=claim, correction=correction, article_ids=article_ids)
    key = f"correction:{correction.pk}"
    transaction.on_commit(lambda: enqueue_event(key=key, data=data), robust=True)


def enqueue_event(*, key: str, data: dict, event_type: str = WebhookEventType.CLAIM_CORRECTION):
    """Record an event not tied to a status change, and queue its deliveries; idempotent by key."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if s.wants(event_type)
    ]
    if not subscriptions:
        return None
    with transaction.atomic():
        event_id = uuid.uuid4()
        event, _ = WebhookEvent.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "id": event_id,
                "type": event_type,
                "payload": {
                    "id": str(event_id),
                    "type": str(event_type),
                    "created_at": timezone.now().isoformat(),
                    "data": data,
                },
            },
        )
        now = timezone.now()
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(event=event, subscription=s, next_attempt_at=now)
                for s in subscriptions
            ],
            ignore_conflicts=True,
        )
        pending = list(
            event.deliveries.filter(state=DeliveryState.PENDING).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: publish_deliveries(pending), robust=True)
    return event


def expiry_event_data(*, claim: Claim) -> dict:
    """The ``data`` of a claim.expired event: the verdict is due for re-check."""
    article = claim.article
    return {
        "claim": {
            "id": claim.pk,
            "article": article.pk,
            "article_url": article.url,
            "text": claim.text,
            "claim_type": claim.claim_type,
            "claimer": claim.claimer,
            "score": claim.score,
            "status": claim.status,
            "version": claim.version,
            "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
            "expires_at": claim.expires_at.isoformat() if claim.expires_at else None,
            "api_url": reverse("api:claim-detail", args=[claim.pk]),
        },
    }


def on_claim_verdict_expired(*, claim: Claim, **kwargs: object) -> None:
    """Receiver of ``claims.signals.claim_verdict_expired``: the event waits for the commit.

    claims sends the signal once per expiry (``Claim.expiry_announced_at``), and the event's
    dedupe key (claim and expiry date) keeps a repeated signal from writing a second event.
    """
    transaction.on_commit(lambda: enqueue_expiry_event(claim_id=claim.pk), robust=True)


def enqueue_expiry_event(*, claim_id: int) -> WebhookEvent | None:
    """Record the claim.expired event of one claim and queue its deliveries."""
    claim = Claim.objects.select_related("article").filter(pk=claim_id).first()
    if claim is None:
        return None
    expires = claim.expires_at.isoformat() if claim.expires_at else ""
    return enqueue_event(
        key=f"expired:{claim.pk}:{expires}",
        data=expiry_event_data(claim=claim),
        event_type=WebhookEventType.CLAIM_EXPIRED,
    )


def publish_deliveries(delivery_ids: list[int]) -> None:
    """Queue a delivery task for each id; a broker failure is left to the delivery sweep."""
    for delivery_id in delivery_ids:
        try:
            # By name, so this module does not import its own tasks; a signature of a
            # registered task still runs eagerly in the embedded mode (send_task would not).
            current_app.signature(DELIVER_TASK, args=(delivery_id,)).delay()
        except Exception:  # broker down: the sweep finds the pending delivery later
            logger.warning("could not enqueue webhook delivery %s; sweep will retry", delivery_id)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    # WEBHOOK_TIMEOUT_SECONDS bounds the whole attempt (connect, headers, body), so a receiver
    # dripping bytes cannot hold a webhooks worker slot past it.
    return outbound.post(
        url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS, read_max=65536
    )


def webhook_deliver(*, delivery_id: int) -> int | None:
    """Make one delivery attempt; return seconds until the next try, or None when done.

    The conditional UPDATE is the lease: of two workers handed the same delivery, one claims
    it and the other returns, so a delivered event is never sent again by a second task.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(state=DeliveryState.PENDING)
            | Q(state=DeliveryState.SENDING, locked_until__lt=now)  # a worker died mid-send
        )
        .update(
            state=DeliveryState.SENDING,
            locked_until=lease,
            last_attempt_at=now,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    subscription, event = delivery.subscription, delivery.event
    if not subscription.active:
        _finish(delivery, DeliveryState.FAILED, error="The subscription is inactive.")
        return None

    body = json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "factcheck-webhooks/1",
        EVENT_ID_HEADER: str(event.pk),
        EVENT_TYPE_HEADER: event.type,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(
            secret=decrypt_secret(subscription.secret_encrypted), timestamp=timestamp, body=body
        ),
    }
    status_code, error = None, ""
    try:
        # Checked again at send time: the name may resolve elsewhere than when subscribed.
        check_url(subscription.url, allowed_private_hosts=settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS)
        status_code = _post(subscription.url, body, headers)
    except UnsafeUrl as exc:
        _finish(delivery, DeliveryState.FAILED, error=str(exc))
        return None
    # Refused, reset, past the deadline, TLS, malformed response.
    except (OSError, ValueError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    if status_code is not None and 200 <= status_code < 300:
        _finish(delivery, DeliveryState.SUCCEEDED, status_code=status_code)
        return None
    error = error or f"HTTP {status_code}"
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        _finish(delivery, DeliveryState.FAILED, status_code=status_code, error=error)
        logger.warning("webhook delivery %s gave up after %s attempts", delivery.pk, error)
        return None
    wait = backoff_seconds(delivery.attempts)
    _finish(
        delivery,
        DeliveryState.PENDING,
        status_code=status_code,
        error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    return wait


def _finish(delivery, state, *, status_code=None, error="", next_attempt_at=None) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        locked_until=None,
        last_status_code=status_code,
        last_error=error[:2000],
        next_attempt_at=next_attempt_at,
        delivered_at=timezone.now() if state == DeliveryState.SUCCEEDED else None,
    )


def webhook_deliveries_due() -> list[int]:
    """Deliveries whose retry is due or whose sender died: for the periodic sweep."""
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, locked_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def webhook_redeliver(*, delivery_id: int) -> None:
    """Queue a delivery that gave up again (admin action): same event id, fresh attempts.

    Only failed deliveries: a succeeded one is never sent twice.
    """
    WebhookDelivery.objects.filter(pk=delivery_id, state=DeliveryState.FAILED).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: publish_deliveries([delivery_id]), robust=True)
