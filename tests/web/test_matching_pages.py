"""The "verdict changed" and "conflicting figures" queues of the workspace."""

import pytest
from django.urls import reverse

from claims.services import claim_set_status
from matching.models import ClaimMatch, ClaimRereview
from matching.verdicts import claim_apply_inherited_verdict
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inherited(reviewer):
    """Claim B inherited A's verdict; then A's verdict changed, which flags B."""
    source = ClaimFactory(article=ArticleFactory(title="Flood report <b>one</b>"))
    copy = ClaimFactory(article=ArticleFactory(title="Flood report two"))
    claim_set_status(claim_id=source.pk, to_status="verified", user=reviewer)
    claim_set_status(claim_id=copy.pk, to_status="verified", user=reviewer, note="inherited")
    copy.inherited_from = source
    copy.save(update_fields=["inherited_from"])
    claim_set_status(
        claim_id=source.pk, to_status="disputed", user=reviewer, note="budget was $40m"
    )
    return source, copy


def test_verdict_changed_queue_lists_flagged_claims_escaped(reviewer_client, inherited):
    source, copy = inherited
    assert ClaimRereview.objects.filter(claim=copy, resolved_at__isnull=True).exists()

    response = reviewer_client.get(reverse("matching:verdict_changed"))

    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("claims:claim", args=[copy.pk]) in body
    assert reverse("claims:claim", args=[source.pk]) in body
    assert "Verified → <strong>Disputed</strong>" in body
    assert "Flood report &lt;b&gt;one&lt;/b&gt;" in body


def test_a_claim_cut_off_by_an_unlink_is_listed_as_match_unlinked(reviewer_client, reviewer):
    source = ClaimFactory(article=ArticleFactory(title="Flood report one"))
    copy = ClaimFactory(article=ArticleFactory(title="Flood report two"))
    claim_set_status(claim_id=source.pk, to_status="verified", user=reviewer)
    match = ClaimMatch.objects.create(claim=source, other=copy, similarity=0.9, relation="same")
    claim_apply_inherited_verdict(claim_id=copy.pk, source_claim_id=source.pk, user=reviewer)

    unlink = {"match": match.pk, "reason": "Another report", "confirmed": "on"}
    reviewer_client.post(reverse("matching:unlink", args=[copy.pk]), unlink)
    body = reviewer_client.get(reverse("matching:verdict_changed")).content.decode()

    assert reverse("claims:claim", args=[copy.pk]) in body
    assert "<strong>Match unlinked</strong>" in body
    assert "its verdict was verified" in body


def test_keep_status_resolves_the_flag(reviewer_client, inherited):
    _, copy = inherited

    response = reviewer_client.post(reverse("matching:rereview_resolve", args=[copy.pk]))

    assert response.status_code == 302
    flag = ClaimRereview.objects.get(claim=copy)
    assert flag.resolved_at is not None
    copy.refresh_from_db()
    assert copy.status == "verified"
    assert (
        "No claim needs re-review."
        in reviewer_client.get(reverse("matching:verdict_changed")).content.decode()
    )


def test_editor_sees_the_queue_but_cannot_resolve(editor_client, inherited):
    _, copy = inherited
    page = editor_client.get(reverse("matching:verdict_changed"))
    assert page.status_code == 200
    assert "Keep status" not in page.content.decode()

    response = editor_client.post(reverse("matching:rereview_resolve", args=[copy.pk]))

    assert response.status_code == 403
    assert ClaimRereview.objects.get(claim=copy).resolved_at is None


def test_anonymous_is_sent_to_login(client):
    for name in ("matching:verdict_changed", "matching:conflicts"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_conflicts_page_shows_both_figures_and_articles(reviewer_client):
    a = ClaimFactory(article=ArticleFactory(title="Riverton evacuates"))
    b = ClaimFactory(article=ArticleFactory(title="Riverton clean-up"))
    ClaimMatch.objects.create(
        claim=a,
        other=b,
        similarity=0.3,
        relation="conflict",
        details=[["4,200", "6,500", "evacuees"]],
    )

    body = reviewer_client.get(reverse("matching:conflicts")).content.decode()

    assert "<strong>4,200</strong> vs <strong>6,500</strong>" in body
    assert "Riverton evacuates" in body and "Riverton clean-up" in body


@pytest.mark.parametrize("rows", [2, 20])
def test_matching_queues_run_constant_queries(reviewer_client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        ClaimMatch.objects.create(
            claim=ClaimFactory(), other=ClaimFactory(), similarity=0.3, relation="conflict"
        )
    # Once first: the navigation's badge counts are cached per user (factcheck.navigation).
    reviewer_client.get(reverse("matching:conflicts"))
    with django_assert_max_num_queries(8):
        assert reviewer_client.get(reverse("matching:conflicts")).status_code == 200
    with django_assert_max_num_queries(8):
        assert reviewer_client.get(reverse("matching:verdict_changed")).status_code == 200
