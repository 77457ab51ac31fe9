"""Who may open which workspace page and perform which action: a table of role by page or action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import proposal_queue
from claims.models import Claim, Evidence
from claims.services import claim_set_status
from matching.models import ClaimMatch
from tests.factories import ClaimFactory, EditorFactory, ReviewerFactory, UserFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

ALLOW, DENY, LOGIN = "allow", "deny", "login"
ROLES = ["anonymous", "no_group", "reviewer", "editor", "staff", "superuser"]


def _make_user(role):
    return {
        "anonymous": lambda: None,
        "no_group": lambda: UserFactory(username="nobody"),
        "reviewer": lambda: ReviewerFactory(username="rita"),
        "editor": lambda: EditorFactory(username="eddie"),
        "staff": lambda: UserFactory(username="stan", is_staff=True),
        "superuser": lambda: UserFactory(username="stella", is_staff=True, is_superuser=True),
    }[role]()


# Each action: (how to perform it, how to tell it took effect). Effects are checked after an
# allowed request and must be absent after a denied one.
def _queue(client, claim):
    return client.get(reverse("claims:queue"))


def _claim_page(client, claim):
    return client.get(reverse("claims:claim", args=[claim.pk]))


def _article_page(client, claim):
    return client.get(reverse("claims:article", args=[claim.article_id]))


def _password_change(client, claim):
    return client.get(reverse("password_change"))


def _set_status(client, claim):
    return client.post(
        reverse("claims:set_status", args=[claim.pk]), {"to_status": "verified", "version": 1}
    )


def _assign(client, claim):
    return client.post(
        reverse("claims:assign", args=[claim.pk]), {"assignee": "none", "version": 1}
    )


def _add_evidence(client, claim):
    return client.post(
        reverse("claims:add_evidence", args=[claim.pk]), {"url": "https://e.example/", "title": ""}
    )


def _bulk_dismiss(client, claim):
    return client.post(
        reverse("claims:bulk"),
        {"action": "dismiss", "claim": [claim.pk], f"version_{claim.pk}": 1, "queue": ""},
    )


def _rerun(client, claim):
    return client.post(reverse("claims:article_rerun", args=[claim.article_id]))


def _admin_delete(client, claim):
    return client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})


def _linked_source(claim):
    """A verified claim elsewhere, linked to ``claim`` as the same claim."""
    source = ClaimFactory()
    claim_set_status(claim_id=source.pk, to_status="verified", user=None)
    low, high = sorted([claim.pk, source.pk])
    match = ClaimMatch.objects.create(claim_id=low, other_id=high, similarity=0.9, relation="same")
    return source, match


def _inherit(client, claim):
    source, _ = _linked_source(claim)
    return client.post(
        reverse("matching:inherit", args=[claim.pk]), {"source": source.pk, "version": 1}
    )


def _unlink(client, claim):
    _, match = _linked_source(claim)
    return client.post(
        reverse("matching:unlink", args=[claim.pk]),
        {"match": match.pk, "reason": "Another event.", "confirmed": "on"},
    )


def _status_is(status):
    return lambda claim, queued: Claim.objects.get(pk=claim.pk).status == status


EFFECTS = {
    _set_status: _status_is("verified"),
    _bulk_dismiss: _status_is("dismissed"),
    # The fixture claim starts assigned, so unassigning is a visible change.
    _assign: lambda claim, queued: Claim.objects.get(pk=claim.pk).assignee_id is None,
    _add_evidence: lambda claim, queued: Evidence.objects.filter(claim=claim).exists(),
    _rerun: lambda claim, queued: queued == [claim.article_id],
    _inherit: lambda claim, queued: Claim.objects.get(pk=claim.pk).inherited_from_id is not None,
    _unlink: lambda claim, queued: ClaimMatch.objects.filter(unlinked_at__isnull=False).exists(),
    _admin_delete: lambda claim, queued: not Claim.objects.filter(pk=claim.pk).exists(),
}

A, D, L = ALLOW, DENY, LOGIN
# Columns follow ROLES: anonymous, no_group, reviewer, editor, staff, superuser.
TABLE = {
    _queue: [L, D, A, A, A, A],
    _claim_page: [L, D, A, A, A, A],
    _article_page: [L, D, A, A, A, A],
    _password_change: [L, A, A, A, A, A],
    _set_status: [L, D, A, D, D, A],
    _assign: [L, D, A, D, D, A],
    _add_evidence: [L, D, A, D, D, A],
    _bulk_dismiss: [L, D, A, D, D, A],
    _inherit: [L, D, A, D, D, A],
    _unlink: [L, D, A, D, D, A],
    _rerun: [L, D, D, A, D, A],
    # Deleting is for staff with the permission (the admin): never Reviewers or Editors.
    _admin_delete: [L, L, L, L, D, A],
}
CASES = [
    pytest.param(action, role, expected, id=f"{action.__name__[1:]}-{role}")
    for action, row in TABLE.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_role_may_or_may_not_perform_action(client, monkeypatch, action, role, expected):
    owner = ReviewerFactory(username="owner")
    claim = ClaimFactory(assignee=owner)
    queued = []
    monkeypatch.setattr(
        proposal_queue,
        "article_request_proposal",
        lambda *, article_id, actor="": queued.append(article_id),
    )
    user = _make_user(role)
    if user is not None:
        client.force_login(user)

    response = action(client, claim)

    effect = EFFECTS.get(action)
    if expected == ALLOW:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "login" not in response["Location"]
        if effect:
            assert effect(claim, queued)
    else:
        if expected == DENY:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert "/login/" in response["Location"]
        if effect:
            assert not effect(claim, queued)


def test_denied_user_is_told_why(client):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("claims:queue"))
    assert response.status_code == 403
    assert "is not in the Reviewers or Editors group" in response.content.decode()


def test_editor_sees_the_claim_page_without_review_forms(editor_client):
    claim = ClaimFactory()
    html = editor_client.get(reverse("claims:claim", args=[claim.pk])).content.decode()
    assert 'id="verdict-form"' not in html
    assert "assign-form" not in html
    assert "History" in html


def test_every_form_carries_a_csrf_token(reviewer_client, editor_client):
    claim = ClaimFactory()
    pages = [
        (reviewer_client, reverse("claims:queue")),
        (reviewer_client, reverse("claims:claim", args=[claim.pk])),
        (editor_client, reverse("claims:article", args=[claim.article_id])),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        post_forms = html.count('method="post"')
        assert post_forms > 0, url
        assert html.count('name="csrfmiddlewaretoken"') == post_forms, url


def test_posts_without_a_csrf_token_are_refused(reviewer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    claim = ClaimFactory()
    response = _set_status(client, claim)
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == "proposed"
