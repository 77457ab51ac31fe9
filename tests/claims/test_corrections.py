"""claims.corrections: a reviewer corrects claimer and type; history rows; re-runs keep them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.proposal_queue import article_mark_queued
from claims.corrections import InvalidCorrection, claim_correct_attribution
from claims.models import Claim, ClaimEdit
from claims.proposal import article_propose_claims
from claims.services import StaleVersion
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_correction_changes_both_fields_with_one_history_row_each(reviewer):
    claim = ClaimFactory(claimer="Harbour Herald", claim_type="quantity")

    updated = claim_correct_attribution(
        claim_id=claim.pk,
        claimer="  Dana   Whitfield ",
        claim_type="quote",
        user=reviewer,
        expected_version=1,
    )

    claim.refresh_from_db()
    assert (claim.claimer, claim.claim_type, claim.version) == ("Dana Whitfield", "quote", 2)
    assert claim.claimer_locked and claim.type_locked
    assert updated.version == 2
    rows = list(
        ClaimEdit.objects.filter(claim=claim)
        .values_list("field", "old_value", "new_value", "edited_by", "version")
        .order_by("field")
    )
    assert rows == [
        ("claim_type", "quantity", "quote", reviewer.pk, 2),
        ("claimer", "Harbour Herald", "Dana Whitfield", reviewer.pk, 2),
    ]


def test_correction_of_one_field_locks_only_that_field(reviewer):
    claim = ClaimFactory(claim_type="quantity")
    claim_correct_attribution(claim_id=claim.pk, claim_type="event", user=reviewer)
    claim.refresh_from_db()
    assert claim.type_locked and not claim.claimer_locked
    assert ClaimEdit.objects.filter(claim=claim).count() == 1


def test_unchanged_values_are_a_no_op(reviewer):
    claim = ClaimFactory(claimer="Harbour Herald", claim_type="quantity")
    claim_correct_attribution(
        claim_id=claim.pk, claimer="Harbour Herald", claim_type="quantity", user=reviewer
    )
    claim.refresh_from_db()
    assert (claim.version, claim.claimer_locked, ClaimEdit.objects.count()) == (1, False, 0)


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({}, {"non_field_errors": "Give a claimer, a claim type or both."}),
        ({"claimer": "   "}, {"claimer": "The claimer cannot be empty."}),
        ({"claimer": "x" * 301}, {"claimer": "The claimer is 301 characters; at most 300."}),
        ({"claimer": "Ann\x00"}, {"claimer": "The claimer contains control characters."}),
        (
            {"claim_type": "<script>"},
            {
                "claim_type": "Unknown claim type '<script>'; expected one of quantity, event, "
                "quote, causal, prediction, other."
            },
        ),
        (
            {"claimer": "", "claim_type": "opinion'; DROP TABLE claims_claim;--"},
            {
                "claimer": "The claimer cannot be empty.",
                "claim_type": 'Unknown claim type "opinion\'; DROP TABLE claims_claim;--"; '
                "expected one of quantity, event, quote, causal, prediction, other.",
            },
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(reviewer, kwargs, errors):
    claim = ClaimFactory()
    with pytest.raises(InvalidCorrection) as raised:
        claim_correct_attribution(claim_id=claim.pk, user=reviewer, **kwargs)
    assert raised.value.errors == errors
    claim.refresh_from_db()
    assert (claim.version, claim.claimer, ClaimEdit.objects.count()) == (1, "Harbour Herald", 0)


def test_stale_version_is_refused(reviewer):
    claim = ClaimFactory()
    claim_correct_attribution(claim_id=claim.pk, claimer="A", user=reviewer, expected_version=1)
    with pytest.raises(StaleVersion):
        claim_correct_attribution(claim_id=claim.pk, claimer="B", user=reviewer, expected_version=1)
    claim.refresh_from_db()
    assert claim.claimer == "A"


def test_rerun_of_proposal_keeps_the_corrected_claimer_and_type(settings, reviewer):
    settings.CLAIM_PIPELINE = "extraction.pipeline.propose"
    body = (
        "The council approved 48 million dollars for flood defences on Tuesday.\n\n"
        "The mayor said the plan would protect 12,000 homes by 2028."
    )
    article = ArticleFactory(body=body, proposal_state="pending", source="Harbour Herald")
    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)
    claim = Claim.objects.filter(article=article).order_by("start").first()
    assert claim is not None
    claim_correct_attribution(
        claim_id=claim.pk, claimer="City Council", claim_type="event", user=reviewer
    )

    article_propose_claims(article_id=article.pk, force=True)

    claim.refresh_from_db()
    assert (claim.claimer, claim.claim_type) == ("City Council", "event")
    assert claim.claimer_locked and claim.type_locked


def test_claim_page_form_saves_and_shows_the_correction_in_history(reviewer_client):
    claim = ClaimFactory()
    url = reverse("claims:correct_attribution", args=[claim.pk])

    response = reviewer_client.post(
        url,
        {"version": 1, "claimer": "Dana Whitfield", "claim_type": "quote"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Claimer and type saved." in page
    assert "corrected the claimer:" in page and "“Harbour Herald” → “Dana Whitfield”" in page
    assert 'id="claim-claimer" hx-swap-oob="true">Dana Whitfield' in page
    claim.refresh_from_db()
    assert (claim.claimer, claim.claim_type, claim.version) == ("Dana Whitfield", "quote", 2)
    detail = reviewer_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert "corrected the type:" in detail and "(set by a reviewer)" in detail


def test_claim_page_form_refuses_a_bad_type_and_escapes_it(reviewer_client):
    claim = ClaimFactory()
    response = reviewer_client.post(
        reverse("claims:correct_attribution", args=[claim.pk]),
        {"version": 1, "claimer": "<b>x</b>", "claim_type": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert "<script>alert(1)</script>" not in page
    claim.refresh_from_db()
    assert (claim.version, claim.claimer) == (1, "Harbour Herald")


def test_claim_page_form_with_a_stale_version_is_a_conflict(reviewer_client, reviewer):
    claim = ClaimFactory()
    claim_correct_attribution(claim_id=claim.pk, claimer="A", user=reviewer)
    response = reviewer_client.post(
        reverse("claims:correct_attribution", args=[claim.pk]),
        {"version": 1, "claimer": "B", "claim_type": "quote"},
    )
    assert response.status_code == 409
    claim.refresh_from_db()
    assert claim.claimer == "A"


def test_editor_without_review_rights_cannot_correct(editor_client):
    claim = ClaimFactory()
    response = editor_client.post(
        reverse("claims:correct_attribution", args=[claim.pk]),
        {"version": 1, "claimer": "B", "claim_type": "quote"},
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.claimer == "Harbour Herald"


def test_upsert_keeps_locked_fields_even_on_an_untouched_claim(settings):
    # Belt and braces: the upsert's CASE keeps a reviewer-set value whatever the version rule.
    settings.CLAIM_PIPELINE = "extraction.pipeline.propose"
    body = "The council approved 48 million dollars for flood defences on Tuesday."
    article = ArticleFactory(body=body, proposal_state="pending", source="Harbour Herald")
    article_mark_queued(article_id=article.pk)
    article_propose_claims(article_id=article.pk)
    claim = Claim.objects.get(article=article)
    Claim.objects.filter(pk=claim.pk).update(
        claimer="Someone else", claimer_locked=True, claim_type="other"
    )

    article_propose_claims(article_id=article.pk, force=True)

    claim.refresh_from_db()
    assert claim.claimer == "Someone else"  # locked: kept
    assert claim.claim_type != "other"  # not locked: the pipeline's type again


def test_admin_edit_of_the_claimer_goes_through_the_service(admin_client, admin_user):
    claim = ClaimFactory()
    response = admin_client.post(
        f"/admin/claims/claim/{claim.pk}/change/",
        {
            "claim_type": "quantity",
            "claimer": "City Council",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
            "edits-TOTAL_FORMS": "0",
            "edits-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert (claim.claimer, claim.claimer_locked, claim.version) == ("City Council", True, 2)
    edit = ClaimEdit.objects.get(claim=claim)
    assert (edit.field, edit.old_value, edit.edited_by) == ("claimer", "Harbour Herald", admin_user)
