"""Every endpoint for every role and token scope: who may read, review, import, administer."""

from __future__ import annotations

import pytest

from claims.services import claim_set_status
from integrations.models import WebhookSubscription
from publishing.services import publication_publish
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, ReviewerFactory

# These tests are about something else than the verdict policy (tests/*/test_verdict_policy.py
# cover it): a policy asking for nothing keeps their verdicts one-step.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lenient_policy")]

PRINCIPALS = [
    "anonymous",
    "reviewer_api",
    "editor_api",
    "staff_api",
    "read_token",
    "review_token",
    "import_token",
    "admin_token",
]
READ, REVIEW, IMPORT, ADMIN = "read", "review", "import", "admin"
# Who holds each capability (besides staff, who hold all of them).
HOLDERS = {
    READ: {
        "reviewer_api",
        "editor_api",
        "read_token",
        "review_token",
        "import_token",
        "admin_token",
    },
    REVIEW: {"reviewer_api", "review_token", "admin_token"},
    IMPORT: {"editor_api", "import_token", "admin_token"},
    ADMIN: {"admin_token"},
}


def _claim(verified: bool = False, published: bool = False):
    claim = ClaimFactory()
    if verified or published:
        claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    if published:
        publication_publish(claim_id=claim.pk, user=None, rationale="Budget papers agree.")
    return claim


def _subscription():
    return WebhookSubscription.objects.create(
        name="cms", url="https://hooks.example/in", secret_encrypted="x"
    )


# (name, capability, method, url builder, body, success status)
ENDPOINTS = [
    ("claims list", READ, "get", lambda: "/api/v1/claims/", None, 200),
    ("claim detail", READ, "get", lambda: f"/api/v1/claims/{_claim().pk}/", None, 200),
    ("claim history", READ, "get", lambda: f"/api/v1/claims/{_claim().pk}/history/", None, 200),
    (
        "claimreview",
        READ,
        "get",
        lambda: f"/api/v1/claims/{_claim(published=True).pk}/claimreview/",
        None,
        200,
    ),
    (
        "publish",
        REVIEW,
        "post",
        lambda: f"/api/v1/claims/{_claim(verified=True).pk}/publish/",
        {"rationale": "Budget papers agree."},
        200,
    ),
    (
        "unpublish",
        REVIEW,
        "post",
        lambda: f"/api/v1/claims/{_claim(published=True).pk}/unpublish/",
        {},
        200,
    ),
    ("changes feed", READ, "get", lambda: "/api/v1/claims/changes/", None, 200),
    ("claims csv", READ, "get", lambda: "/api/v1/claims/?format=csv", None, 200),
    (
        "review",
        REVIEW,
        "post",
        lambda: f"/api/v1/claims/{_claim().pk}/review/",
        {"status": "verified", "version": 1},
        200,
    ),
    (
        "assign",
        REVIEW,
        "post",
        lambda: f"/api/v1/claims/{_claim().pk}/assign/",
        {"assignee": None, "version": 1},
        200,
    ),
    ("articles list", READ, "get", lambda: "/api/v1/articles/", None, 200),
    ("article detail", READ, "get", lambda: f"/api/v1/articles/{ArticleFactory().pk}/", None, 200),
    (
        "article import",
        IMPORT,
        "post",
        lambda: "/api/v1/articles/",
        {"title": "Flood plan", "body": "The council approved 12 new pumps on Monday."},
        201,
    ),
    (
        "re-run proposal",
        IMPORT,
        "post",
        lambda: f"/api/v1/articles/{ArticleFactory().pk}/propose/",
        None,
        202,
    ),
    ("webhooks list", ADMIN, "get", lambda: "/api/v1/webhooks/", None, 200),
    (
        "webhook create",
        ADMIN,
        "post",
        lambda: "/api/v1/webhooks/",
        {"name": "cms", "url": "https://hooks.example/in"},
        201,
    ),
    ("webhook detail", ADMIN, "get", lambda: f"/api/v1/webhooks/{_subscription().pk}/", None, 200),
    (
        "webhook delete",
        ADMIN,
        "delete",
        lambda: f"/api/v1/webhooks/{_subscription().pk}/",
        None,
        204,
    ),
]


def _expected(principal: str, capability: str, success: int) -> int:
    if principal == "anonymous":
        return 401
    if principal == "staff_api" or principal in HOLDERS[capability]:
        return success
    return 403


@pytest.mark.parametrize("principal", PRINCIPALS, indirect=True, ids=PRINCIPALS)
@pytest.mark.parametrize(
    ("capability", "method", "url", "body", "success"),
    [e[1:] for e in ENDPOINTS],
    ids=[e[0] for e in ENDPOINTS],
)
def test_endpoint_allows_exactly_the_roles_and_scopes_that_hold_its_capability(
    principal, capability, method, url, body, success, request, settings
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["hooks.example"]
    principal_name = request.node.callspec.params["principal"]

    response = getattr(principal, method)(url(), body, format="json")

    assert response.status_code == _expected(principal_name, capability, success)
    if response.status_code in (401, 403):
        assert response.json()["code"] in ("not_authenticated", "permission_denied")


def test_anonymous_request_gets_401_with_the_token_challenge(api_client):
    response = api_client.get("/api/v1/claims/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
    }


def test_read_token_cannot_review_and_is_told_which_scope_would(read_token_client):
    claim = ClaimFactory()

    response = read_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/", {"status": "verified", "version": 1}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "code": "permission_denied",
        "message": "A token with scope 'read' cannot do this; it needs admin or review.",
    }
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("proposed", 1)


def test_user_without_any_role_cannot_read(api_client, django_user_model):
    api_client.force_authenticate(django_user_model.objects.create_user("nobody"))

    response = api_client.get("/api/v1/claims/")

    assert response.status_code == 403
    assert response.json()["message"] == "Your role does not allow this action."


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_schema_and_docs_are_public(api_client, url):
    assert api_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "method", "url", "body"),
    [
        (
            "editor",
            "post",
            lambda: f"/api/v1/claims/{_claim().pk}/review/",
            {"status": "verified", "version": 1},
        ),
        ("reviewer", "post", lambda: "/api/v1/articles/", {"title": "T", "body": "Some text."}),
        ("reviewer", "get", lambda: "/api/v1/webhooks/", None),
        (
            "editor",
            "post",
            lambda: "/api/v1/webhooks/",
            {"name": "x", "url": "https://hooks.example/"},
        ),
    ],
    ids=["editor reviews", "reviewer imports", "reviewer lists webhooks", "editor adds a webhook"],
)
def test_is_staff_alone_grants_no_api_capability(api_client, role, method, url, body):
    # Reviewers and editors are staff so they can enter the admin; that must not let one do
    # the other's job (or manage webhooks) through the API.
    factory = ReviewerFactory if role == "reviewer" else EditorFactory
    api_client.force_authenticate(factory(username=f"staff-{role}", is_staff=True))

    response = getattr(api_client, method)(url(), body, format="json")

    assert response.status_code == 403
    assert response.json()["message"] == "Your role does not allow this action."


def test_a_user_granted_the_webhook_permission_manages_webhooks(api_client, django_user_model):
    from django.contrib.auth.models import Permission

    ops = django_user_model.objects.create_user("ops", is_staff=True)
    ops.user_permissions.add(Permission.objects.get(codename="change_webhooksubscription"))
    api_client.force_authenticate(ops)

    assert api_client.get("/api/v1/webhooks/").status_code == 200
