"""Desk deadlines and verdict expiry: when a claim is due, when a verdict needs a re-check.

- A proposed claim is due ``DEADLINE_HOURS_<TIER>`` hours after it was proposed (its score tier,
  claims.tiers), or sooner when an editor's active ``DeadlineRule`` matches its article (the
  article's source, or a keyword in its title or text): the most urgent wins.
- A claim still proposed past its due time is *escalated* once (``escalated_at``): the desk's
  editors get one email per sweep listing the newly overdue claims.
- A verdict on a claim of a type in ``VERDICT_EXPIRY_TYPES`` (quantity), or matching an
  ``ExpiryRule``, is due for re-check ``expires_at`` after it was set; a dismissal or a reopen
  clears it. Once past, the expiry is announced once (``expiry_announced_at``): the
  ``claim_verdict_expired`` signal (webhooks) and an ``updated_at`` bump (the changes feed).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from articles.models import Article
from claims import tiers
from claims.models import Claim, ClaimStatus, DeadlineRule, ExpiryRule
from claims.signals import claim_verdict_expired

logger = logging.getLogger(__name__)

VERDICTS = (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNCONFIRMED)


def tier_hours() -> dict[str, int]:
    """Hours until due per score tier (settings DEADLINE_HOURS_HIGH/MEDIUM/LOW)."""
    return {
        tiers.HIGH: settings.DEADLINE_HOURS_HIGH,
        tiers.MEDIUM: settings.DEADLINE_HOURS_MEDIUM,
        tiers.LOW: settings.DEADLINE_HOURS_LOW,
    }


# --- deadline rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    source: str  # lower-cased, "" for any
    pattern: re.Pattern | None
    hours: int


def _active_rules() -> list[_Rule]:
    return [
        _Rule(
            source=r.source.strip().lower(),
            # Whole words, any case: "war" must not match "software".
            pattern=re.compile(rf"\b{re.escape(r.keyword.strip())}\b", re.IGNORECASE)
            if r.keyword.strip()
            else None,
            hours=r.hours,
        )
        for r in DeadlineRule.objects.filter(active=True)
    ]


def rule_hours(
    *, source: str, texts: Iterable[str], rules: list[_Rule] | None = None
) -> int | None:
    """The most urgent hours of the active deadline rules matching an article, or None."""
    rules = _active_rules() if rules is None else rules
    texts = [t for t in texts if t]
    best = None
    for rule in rules:
        if rule.source and rule.source != source.strip().lower():
            continue
        if rule.pattern is not None and not any(rule.pattern.search(t) for t in texts):
            continue
        best = rule.hours if best is None else min(best, rule.hours)
    return best


def deadline_hours(*, score: float, rule_limit: int | None) -> int:
    """Hours from proposal to due: the score tier's, or a matching rule's when sooner."""
    hours = tier_hours()[tiers.tier_for_score(score)]
    return min(hours, rule_limit) if rule_limit is not None else hours


def _due_expression(rule_limit: int | None) -> Case:
    """``created_at`` + the claim's hours, in SQL: one UPDATE sets a whole article's claims.

    Mirrors ``deadline_hours`` (tests hold the two together): the tiers' thresholds are the ones
    claims.tiers.tier_for_score reads.
    """
    hours = {
        tier: min(h, rule_limit) if rule_limit is not None else h
        for tier, h in tier_hours().items()
    }

    def due(tier: str):
        return F("created_at") + Value(timedelta(hours=hours[tier]))

    return Case(
        When(score__gte=settings.CLAIM_TIER_HIGH, then=due(tiers.HIGH)),
        When(score__gte=settings.CLAIM_TIER_MEDIUM, then=due(tiers.MEDIUM)),
        default=due(tiers.LOW),
    )


def article_set_due(
    *,
    article_id: int,
    source: str | None = None,
    texts: list[str] | None = None,
    reset: bool = False,
) -> int:
    """Give the article's proposed claims their due time; returns how many rows were set.

    Only claims without one are set (a re-run of proposal keeps the deadline a claim was given
    when first proposed) unless ``reset``. ``source`` and ``texts`` (title, body) save reading
    the article again (proposal has it). ``updated_at`` is left alone: a due time is not a
    change the API's changes feed announces.
    """
    if source is None or texts is None:
        row = Article.objects.filter(pk=article_id).values_list("source", "title", "body").first()
        if row is None:
            return 0
        source, texts = row[0], [row[1], row[2]]
    limit = rule_hours(source=source, texts=texts)
    qs = Claim.objects.filter(article_id=article_id, status=ClaimStatus.PROPOSED)
    if not reset:
        qs = qs.filter(due_at__isnull=True)
    return qs.update(due_at=_due_expression(limit))


def claim_due_at(claim: Claim, *, start: datetime) -> datetime:
    """When ``claim`` (with its article loaded) is due if its clock starts at ``start``."""
    article = claim.article
    limit = rule_hours(source=article.source, texts=[article.title, article.body])
    return start + timedelta(hours=deadline_hours(score=claim.score, rule_limit=limit))


# --- escalation -------------------------------------------------------------------------------


def overdue_q(now: datetime | None = None) -> Q:
    """Claims past their due time with no verdict yet (the "overdue" filter and badge)."""
    return Q(status=ClaimStatus.PROPOSED, due_at__lt=now or timezone.now())


def claims_escalate_overdue(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Mark up to ``limit`` overdue, not yet escalated claims as escalated; returns their ids.

    Safe to run twice, and concurrently: a claim is marked once (the UPDATE re-checks
    ``escalated_at IS NULL``), and only the run that marked it reports it.
    """
    now = now or timezone.now()
    limit = limit or settings.ESCALATION_BATCH
    with transaction.atomic():
        # SKIP LOCKED: two sweeps at once split the work instead of waiting on each other.
        candidates = list(
            Claim.objects.filter(overdue_q(now), escalated_at__isnull=True)
            .order_by("due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        Claim.objects.filter(pk__in=candidates, escalated_at__isnull=True).update(escalated_at=now)
    logger.info("escalated %d overdue claims", len(candidates))
    return candidates


# --- verdict expiry ---------------------------------------------------------------------------


def verdict_expiry_days(*, claim_type: str, source: str) -> int | None:
    """Days until a verdict on such a claim is due for re-check, or None (it does not expire)."""
    days = settings.VERDICT_EXPIRY_DAYS if claim_type in settings.VERDICT_EXPIRY_TYPES else None
    source = source.strip().lower()
    for rule in ExpiryRule.objects.filter(active=True):
        if rule.claim_type and rule.claim_type != claim_type:
            continue
        if rule.source and rule.source.strip().lower() != source:
            continue
        days = rule.days if days is None else min(days, rule.days)
    return days


def on_claim_status_changed(*, claim: Claim, change, **kwargs: object) -> None:
    """Receiver of ``claim_status_changed`` (inside the change's transaction).

    A verdict gets its re-check date (or none); a dismissal clears it; a reopen clears it and
    starts a new deadline, so the reopened claim is due again (and may be escalated again).
    """
    now = change.changed_at or timezone.now()
    fields: dict[str, object] = {"expiry_announced_at": None}
    if change.to_status in VERDICTS:
        days = verdict_expiry_days(claim_type=claim.claim_type, source=claim.article.source)
        fields["expires_at"] = now + timedelta(days=days) if days is not None else None
    else:
        fields["expires_at"] = None
    if change.to_status == ClaimStatus.PROPOSED:
        fields["due_at"] = claim_due_at(claim, start=now)
        fields["escalated_at"] = None
    Claim.objects.filter(pk=claim.pk).update(**fields)
    for name, value in fields.items():
        setattr(claim, name, value)


def expired_q(now: datetime | None = None) -> Q:
    """Verdicts past their re-check date (the "due for re-check" queue)."""
    return Q(expires_at__lte=now or timezone.now())


def claims_announce_expired(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Announce up to ``limit`` verdicts that passed their re-check date; returns their ids.

    Each expiry is announced once: ``expiry_announced_at`` is set, ``updated_at`` bumped (the
    API's changes feed is ordered by it) and ``claim_verdict_expired`` sent, all in one
    transaction, so a receiver's writes (the webhook event) commit with the mark.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claims = list(
            Claim.objects.filter(expired_q(now), expiry_announced_at__isnull=True)
            .order_by("expires_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("article")[:limit]
        )
        if not claims:
            return []
        ids = [c.pk for c in claims]
        Claim.objects.filter(pk__in=ids).update(expiry_announced_at=now, updated_at=now)
        for claim in claims:
            claim.expiry_announced_at = claim.updated_at = now
            claim_verdict_expired.send(sender=Claim, claim=claim)
    logger.info("announced %d expired verdicts", len(ids))
    return ids
