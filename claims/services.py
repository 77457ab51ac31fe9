"""Writes for claims: status changes, assignment and claim proposal for an article.

Nothing else assigns ``Claim.status``: every change goes through ``claim_set_status``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, ProposalState
from claims.models import Claim, ClaimStatus, ClaimStatusChange, Evidence

logger = logging.getLogger(__name__)

S = ClaimStatus
# from -> the statuses it may move to. A verdict can be changed or reopened; a dismissed
# proposal must be reopened (back to proposed) before it can get a verdict.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.VERIFIED, S.DISPUTED, S.UNCONFIRMED, S.DISMISSED}),
    S.VERIFIED: frozenset({S.DISPUTED, S.UNCONFIRMED, S.PROPOSED}),
    S.DISPUTED: frozenset({S.VERIFIED, S.UNCONFIRMED, S.PROPOSED}),
    S.UNCONFIRMED: frozenset({S.VERIFIED, S.DISPUTED, S.PROPOSED}),
    S.DISMISSED: frozenset({S.PROPOSED}),
}
# A reviewer must say why a claim is disputed or could not be confirmed.
NOTE_REQUIRED = frozenset({S.DISPUTED, S.UNCONFIRMED})
VERDICTS = frozenset({S.VERIFIED, S.DISPUTED, S.UNCONFIRMED})


class ClaimError(Exception):
    """Base class of the errors a claim write can raise."""


class StaleVersion(ClaimError):
    """The caller acted on an older version of the claim than the one stored."""

    def __init__(self, claim: Claim, expected_version: int):
        self.claim = claim
        self.expected_version = expected_version
        who = claim.reviewed_by.get_username() if claim.reviewed_by else "nobody"
        super().__init__(
            f"Claim {claim.pk} changed since you loaded it (you had version {expected_version}, "
            f"it is now version {claim.version}: {claim.status}, last set by {who})."
        )


class IllegalTransition(ClaimError):
    """The transitions table does not allow this move."""

    def __init__(self, claim: Claim, to_status: str):
        self.claim = claim
        self.from_status = claim.status
        self.to_status = to_status
        super().__init__(f"A claim cannot go from {claim.status} to {to_status}.")


class NoteRequired(ClaimError):
    """Disputed and unconfirmed verdicts need a note."""

    def __init__(self, to_status: str):
        self.to_status = to_status
        super().__init__(f"A note is required to mark a claim {to_status}.")


class InvalidEvidence(ClaimError):
    """An evidence link that is not an http(s) URL."""


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    url: str
    title: str = ""


def _clean_evidence(evidence: Iterable[EvidenceLink | dict]) -> list[EvidenceLink]:
    links = []
    for item in evidence:
        link = item if isinstance(item, EvidenceLink) else EvidenceLink(**item)
        parts = urlsplit(link.url.strip())
        # Only http(s): javascript:, data: and friends would run in a reviewer's browser.
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidEvidence(f"Evidence URL must be an http(s) URL, got {link.url!r}.")
        links.append(EvidenceLink(url=link.url.strip(), title=link.title.strip()[:500]))
    return links


def claim_set_status(
    *,
    claim_id: int,
    to_status: str,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
    note: str = "",
    evidence: Sequence[EvidenceLink | dict] = (),
) -> Claim:
    """Move a claim to ``to_status``, writing exactly one history row; a no-op if unchanged."""
    if to_status not in S.values:
        raise IllegalTransition(Claim(status="?"), to_status)
    note = note.strip()
    links = _clean_evidence(evidence)
    with transaction.atomic():
        # Lock the row: two reviewers acting at once are serialised here, and the second
        # one sees the first one's version.
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        if claim.status == to_status:
            return claim
        if to_status not in ALLOWED_TRANSITIONS[claim.status]:
            raise IllegalTransition(claim, to_status)
        if to_status in NOTE_REQUIRED and not note:
            raise NoteRequired(to_status)

        from_status = claim.status
        claim.status = to_status
        claim.version += 1
        claim.reviewed_by = user
        claim.reviewed_at = timezone.now()
        claim.save(update_fields=["status", "version", "reviewed_by", "reviewed_at", "updated_at"])
        change = ClaimStatusChange.objects.create(
            claim=claim,
            from_status=from_status,
            to_status=to_status,
            changed_by=user,
            note=note,
            version=claim.version,
        )
        Evidence.objects.bulk_create(
            Evidence(claim=claim, status_change=change, url=e.url, title=e.title, added_by=user)
            for e in links
        )
    logger.info("claim %s: %s -> %s (v%s)", claim.pk, from_status, to_status, claim.version)
    return claim


def claim_assign(
    *,
    claim_id: int,
    assignee: AbstractBaseUser | None,
    user: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Assign a claim to a reviewer (or unassign with None); bumps the version."""
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=claim_id)
        )
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion(claim, expected_version)
        if claim.assignee_id == (assignee.pk if assignee else None):
            return claim
        claim.assignee = assignee
        claim.version += 1
        claim.save(update_fields=["assignee", "version", "updated_at"])
    return claim


def claim_add_evidence(
    *, claim_id: int, url: str, title: str = "", user: AbstractBaseUser | None
) -> Evidence:
    """Attach an evidence link to a claim outside a status change."""
    (link,) = _clean_evidence([EvidenceLink(url=url, title=title)])
    return Evidence.objects.create(claim_id=claim_id, url=link.url, title=link.title, added_by=user)


# --- Proposal -------------------------------------------------------------------------------


class ProposalError(Exception):
    """Proposal could not run for a reason retrying will not fix."""


def _proposal_threshold(scorer_threshold: float) -> float:
    configured = settings.CLAIM_PROPOSAL_THRESHOLD
    return scorer_threshold if configured is None else configured


def article_mark_queued(*, article_id: int) -> None:
    """Record that proposal was (re-)enqueued for an article; resets it to pending."""
    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.PENDING,
        proposal_queued_at=timezone.now(),
        proposal_error="",
    )


def article_mark_failed(*, article_id: int, error: str) -> None:
    """Record that proposal failed for good, with the error shown in admin and API."""
    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.FAILED,
        proposal_error=error[:5000],
        proposal_finished_at=timezone.now(),
    )


def article_propose_claims(*, article_id: int) -> Article:
    """Run the claim pipeline on an article and upsert its proposed claims, idempotently.

    Claims a reviewer has touched (version > 1) are kept whatever the pipeline now says;
    untouched proposals are updated, added or removed to match the pipeline's output.
    """
    from claims.extraction.pipeline import propose
    from claims.extraction.scoring import load_scorer

    Article.objects.filter(pk=article_id).update(
        proposal_state=ProposalState.RUNNING,
        proposal_started_at=timezone.now(),
        proposal_attempts=F("proposal_attempts") + 1,
    )
    article = Article.objects.get(pk=article_id)
    scorer = load_scorer(settings.CLAIM_SCORER)
    began = time.perf_counter()
    result = propose(
        article.body,
        language=article.language or None,
        outlet=article.source,
        threshold=_proposal_threshold(scorer.threshold),
        scorer=scorer,
    )
    logger.info(
        "article %s: %d sentences scored in %.1f ms",
        article_id,
        len(result.sentences),
        (time.perf_counter() - began) * 1000,
    )

    with transaction.atomic():
        # Lock the article so two workers proposing it at once apply their results one
        # after the other; the unique span constraint backs this up.
        article = Article.objects.select_for_update().get(pk=article_id)
        if not result.supported:
            article.language = result.language
            article.proposal_state = ProposalState.UNSUPPORTED
            article.proposal_error = (
                f"No claim model for language {result.language!r}; nothing was proposed."
            )
            article.proposed_claim_count = 0
            article.sentence_scores = []
        else:
            wanted = {(p.start, p.end): p for p in result.claims}
            for p in wanted.values():
                # The invariant every claim relies on: its text is exactly that span of the body.
                if article.body[p.start : p.end] != p.text:
                    raise ProposalError(f"Span {p.start}:{p.end} does not match the article text.")
            existing = {(c.start, c.end): c for c in article.claims.all()}
            stale_ids = [
                c.pk for span, c in existing.items() if span not in wanted and not c.is_touched
            ]
            Claim.objects.filter(pk__in=stale_ids, version=1).delete()
            to_update, to_create = [], []
            for span, p in wanted.items():
                claim = existing.get(span)
                if claim is None:
                    to_create.append(
                        Claim(
                            article=article,
                            text=p.text,
                            start=p.start,
                            end=p.end,
                            score=p.score,
                            claim_type=p.claim_type,
                            claimer=p.claimer[:300],
                        )
                    )
                elif not claim.is_touched:
                    claim.score, claim.claim_type = p.score, p.claim_type
                    claim.claimer = p.claimer[:300]
                    to_update.append(claim)
            Claim.objects.bulk_update(to_update, ["score", "claim_type", "claimer"])
            try:
                with transaction.atomic():
                    Claim.objects.bulk_create(to_create)
            except IntegrityError:
                # Another run inserted some of these spans first: insert what is missing.
                Claim.objects.bulk_create(to_create, ignore_conflicts=True)
            article.language = result.language
            article.proposal_state = ProposalState.DONE
            article.proposal_error = ""
            article.proposed_claim_count = article.claims.count()
            article.sentence_scores = [
                [s.start, s.end, round(s.score, 4)] for s in result.sentences
            ]
        article.proposal_scorer = result.scorer
        article.proposal_finished_at = timezone.now()
        article.save()
    return article
