"""Explained matches, suggestions and reviewers' decisions (issue #18): services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.models import Claim, Evidence
from claims.services import claim_set_status
from matching.decisions import (
    MAX_REASON_LENGTH,
    MatchNotOpen,
    ReasonRequired,
    conflict_dismiss,
    match_confirm,
    match_reject,
)
from matching.models import ClaimMatch, ClaimMatchDecision
from matching.selectors import claim_match_views, open_conflict_count
from matching.services import article_match_claims
from matching.verdicts import NotMatched, claim_apply_inherited_verdict, claim_unlink_match
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

HERALD = [
    "Around 2,400 residents were evacuated from the low-lying Eastmoor district overnight.",
    "“We were promised this wall would hold for a hundred years,” Varga told reporters.",
    "Schools in the district will stay closed until Wednesday.",
]
COURIER = [
    "Emergency services moved 3,100 people out of Eastmoor during the night.",
    "“They promised us the wall would last a century,” said Mayor Hilde Varga.",
    "The Marrowby Rowing Club said its boathouse had been destroyed.",
]


@pytest.fixture(autouse=True)
def _fresh_key_counts():
    from matching import index

    index._df_cache.clear()


def make_article(sentences: list[str], **fields) -> tuple:
    body = "\n\n".join(sentences)
    article = ArticleFactory(body=body, **fields)
    claims, pos = [], 0
    for sentence in sentences:
        start = body.index(sentence, pos)
        pos = start + len(sentence)
        claims.append(ClaimFactory(article=article, start=start, end=pos))
    return article, claims


def match_between(a: Claim, b: Claim) -> ClaimMatch:
    low, high = sorted((a.pk, b.pk))
    return ClaimMatch.objects.get(claim_id=low, other_id=high)


def flood(settings, threshold: float):
    settings.MATCH_CONFIRM_THRESHOLD = threshold
    herald, herald_claims = make_article(HERALD, title="Tesk floods Marrowby")
    courier, courier_claims = make_article(COURIER, title="Marrowby under water")
    for article in (herald, courier):
        article_match_claims(article_id=article.pk)
    return herald_claims, courier_claims


@pytest.fixture
def suggested(settings):
    """The flood, matched with a threshold no link reaches: every "same" link a suggestion."""
    return flood(settings, 1.0)


def test_every_match_stores_its_explanation_and_a_confidence(settings):
    (evac_h, quote_h, _), (evac_c, quote_c, _) = flood(settings, 0.0)

    same = match_between(quote_h, quote_c)
    assert same.relation == "same" and same.state == "confirmed"
    assert 0.0 <= same.confidence <= 1.0
    assert same.explanation["confidence"] == same.confidence
    assert same.explanation["similarity"] == same.similarity
    assert "Varga" in same.explanation["names"]
    conflict = match_between(evac_h, evac_c)
    assert conflict.relation == "conflict"
    assert conflict.explanation["differences"] == [
        {"mine": "2,400", "theirs": "3,100", "kind": "evacuees", "verdict": "conflict"}
    ]
    (view,) = [v for v in claim_match_views(claim=evac_c) if v.is_figures]
    # The courier's side reads its own figure first.
    assert view.why.startswith("Same names: Eastmoor; conflict: 3,100 vs 2,400 (evacuees)")


def test_a_match_below_the_threshold_is_a_suggestion_that_passes_no_verdict_on(
    suggested, reviewer, other_reviewer
):
    (_, quote_h, _), (_, quote_c, _) = suggested
    match = match_between(quote_h, quote_c)
    assert (match.state, match.confidence < 1.0) == ("suggested", True)
    quote_h.refresh_from_db()
    assert quote_h.cluster_id is None  # a suggestion joins no cluster
    claim_set_status(claim_id=quote_h.pk, to_status="verified", user=other_reviewer)

    with pytest.raises(NotMatched):
        claim_apply_inherited_verdict(
            claim_id=quote_c.pk, source_claim_id=quote_h.pk, user=reviewer
        )

    match_confirm(match_id=match.pk, user=reviewer)

    match.refresh_from_db()
    assert (match.state, match.confirmed_by) == ("confirmed", reviewer)
    quote_h.refresh_from_db()
    quote_c.refresh_from_db()
    assert quote_h.cluster_id == quote_c.cluster_id is not None
    (decision,) = ClaimMatchDecision.objects.all()
    assert (decision.decision, decision.decided_by, decision.match) == (
        "confirmed",
        reviewer,
        match,
    )
    claim = claim_apply_inherited_verdict(
        claim_id=quote_c.pk, source_claim_id=quote_h.pk, user=reviewer
    )
    assert (claim.status, claim.inherited_from_id) == ("verified", quote_h.pk)


def test_confirming_twice_writes_one_decision(suggested, reviewer):
    (_, quote_h, _), (_, quote_c, _) = suggested
    match = match_between(quote_h, quote_c)
    match_confirm(match_id=match.pk, user=reviewer)
    match_confirm(match_id=match.pk, user=reviewer)
    assert ClaimMatchDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Give a reason to reject a match"),
        ("   \n ", "Give a reason to reject a match"),
        ("x" * (MAX_REASON_LENGTH + 1), "at most 2,000"),
        (None, "Give a reason to reject a match"),
        (["a list"], "must be text"),
        ("nul\x00byte", "NUL"),
    ],
)
def test_reject_needs_a_reason_and_writes_nothing_without_one(suggested, reviewer, reason, message):
    (_, quote_h, _), (_, quote_c, _) = suggested
    match = match_between(quote_h, quote_c)

    with pytest.raises(ReasonRequired, match=message):
        match_reject(match_id=match.pk, user=reviewer, reason=reason)

    match.refresh_from_db()
    assert match.unlinked_at is None
    assert not ClaimMatchDecision.objects.exists()


def test_a_rejected_pair_is_never_proposed_again(suggested, reviewer):
    (_, quote_h, _), (_, quote_c, _) = suggested
    match = match_between(quote_h, quote_c)
    hostile = "<script>alert(1)</script>'; DROP TABLE claims_claim; --"

    match_reject(match_id=match.pk, user=reviewer, reason=f"  {hostile}  ")

    match.refresh_from_db()
    assert match.unlinked_at is not None and match.unlink_note == hostile
    (decision,) = ClaimMatchDecision.objects.all()
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "rejected",
        hostile,
        reviewer,
    )
    # Even with the match row gone, re-running the matcher never proposes the pair again.
    ClaimMatch.objects.filter(pk=match.pk).delete()
    Claim.objects.update(matched_at=None)
    for claim in (quote_h, quote_c):
        article_match_claims(article_id=claim.article_id)
    low, high = sorted((quote_h.pk, quote_c.pk))
    assert not ClaimMatch.objects.filter(claim_id=low, other_id=high).exists()
    assert ClaimMatch.objects.exists()  # the other pairs were matched again


def test_reject_applies_to_open_suggestions_only(settings, reviewer):
    (evac_h, quote_h, _), (evac_c, quote_c, _) = flood(settings, 0.0)
    with pytest.raises(MatchNotOpen, match="confirmed"):
        match_reject(
            match_id=match_between(quote_h, quote_c).pk, user=reviewer, reason="Not the same."
        )
    with pytest.raises(MatchNotOpen):
        match_confirm(match_id=match_between(evac_h, evac_c).pk, user=reviewer)
    assert not ClaimMatchDecision.objects.exists()


def test_unlink_takes_a_reason_and_is_remembered(settings, reviewer):
    (_, quote_h, _), (_, quote_c, _) = flood(settings, 0.0)
    match = match_between(quote_h, quote_c)

    with pytest.raises(ReasonRequired):
        claim_unlink_match(match_id=match.pk, user=reviewer, reason=" ")
    claim_unlink_match(match_id=match.pk, user=reviewer, reason="Different walls.")

    (decision,) = ClaimMatchDecision.objects.all()
    assert (decision.decision, decision.reason) == ("unlinked", "Different walls.")
    quote_h.refresh_from_db()
    assert quote_h.cluster_id is None


def test_not_a_conflict_is_remembered_and_never_flagged_again(settings, reviewer):
    (evac_h, _, _), (evac_c, _, _) = flood(settings, 0.0)
    match = match_between(evac_h, evac_c)
    assert open_conflict_count() == 1

    with pytest.raises(ReasonRequired):
        conflict_dismiss(match_id=match.pk, user=reviewer, reason="")
    conflict_dismiss(match_id=match.pk, user=reviewer, reason="3,100 includes the hospital.")

    assert open_conflict_count() == 0
    (decision,) = ClaimMatchDecision.objects.all()
    assert (decision.decision, decision.reason) == ("not_conflict", "3,100 includes the hospital.")
    with pytest.raises(MatchNotOpen):
        conflict_dismiss(match_id=match.pk, user=reviewer, reason="again")
    ClaimMatch.objects.filter(pk=match.pk).delete()
    Claim.objects.update(matched_at=None)
    article_match_claims(article_id=evac_c.article_id)
    assert not ClaimMatch.objects.filter(relation="conflict").exists()


def test_figures_that_grew_between_the_articles_dates_differ_by_date(settings):
    settings.MATCH_CONFIRM_THRESHOLD = 0.0
    _, (first,) = make_article(
        ["More than 76,000 residents were evacuated from the Kursk region, officials said."],
        title="Kursk incursion",
        published_at=datetime(2024, 8, 10, tzinfo=UTC),
    )
    later, (second,) = make_article(
        ["More than 120,000 people have fled the Kursk region, officials said."],
        title="Kursk incursion widens",
        published_at=datetime(2024, 8, 14, tzinfo=UTC),
    )
    article_match_claims(article_id=first.article_id)
    article_match_claims(article_id=later.pk)

    match = match_between(first, second)
    assert match.relation == "differs_by_date"
    assert match.explanation["differences"][0]["verdict"] == "differs_by_date"
    assert open_conflict_count() == 0  # the badge counts real conflicts only


def test_inheriting_copies_the_evidence_marked_inherited(settings, reviewer, other_reviewer):
    (_, quote_h, _), (_, quote_c, _) = flood(settings, 0.0)
    claim_set_status(
        claim_id=quote_h.pk,
        to_status="verified",
        user=other_reviewer,
        evidence=[
            {"url": "https://example.org/minutes", "title": "Council minutes"},
            {"url": "https://example.org/video", "title": ""},
        ],
    )
    Evidence.objects.create(claim=quote_c, url="https://example.org/video", title="Own copy")

    claim_apply_inherited_verdict(claim_id=quote_c.pk, source_claim_id=quote_h.pk, user=reviewer)

    copied = Evidence.objects.filter(claim=quote_c, inherited_from__isnull=False)
    ((url, title, source_claim, change_version),) = copied.values_list(
        "url", "title", "inherited_from__claim_id", "status_change__version"
    )
    assert (url, title, source_claim) == (
        "https://example.org/minutes",
        "Council minutes",
        quote_h.pk,
    )
    quote_c.refresh_from_db()
    assert change_version == quote_c.version
    assert Evidence.objects.filter(claim=quote_c).count() == 2  # the video is not cited twice
