"""The cross-cutting permission matrix: every URL pattern (pages, admin, API) by every kind of
caller (anonymous, reviewer, editor, staff, each API token scope): allowed or denied.

The rows are checked against the URL resolver: a new URL pattern without a row fails
``test_every_url_pattern_has_a_row``, and a new admin model without a policy fails
``test_every_admin_model_has_a_policy``. Per-area tests (tests/api, tests/web, tests/articles)
check behaviour in depth; this one checks that nothing is left open.

Roles as deployed (claims/management/commands/demo_setup.py): reviewers and editors have
``is_staff`` to enter the admin, so here they do too; "staff" is a superuser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from claims.models import (
    ClaimCluster,
    ClaimModelVersion,
    DeadlineRule,
    ExpiryRule,
    SavedView,
    VerdictApproval,
    VerdictPolicy,
)
from claims.services import claim_set_status
from factchecks.models import ArticleArchiveMatching, FactCheck, FactCheckHit, FactCheckImport
from integrations.crypto import encrypt_secret
from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from integrations.services import api_token_create
from matching.models import ArticleMatching, ClaimMatch, ClaimRereview
from notifications.models import Notification, NotificationPreference
from publishing.models import Correction, CorrectionTask
from publishing.services import publication_publish
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    ReviewerFactory,
    UserFactory,
)

ANON, REVIEWER, EDITOR, STAFF = "anonymous", "reviewer", "editor", "staff"
TOKENS = ("token_read", "token_review", "token_import", "token_admin")
PRINCIPALS = (ANON, REVIEWER, EDITOR, STAFF, *TOKENS)
USERS = frozenset({REVIEWER, EDITOR, STAFF})
EVERYONE = frozenset(PRINCIPALS)
NOBODY: frozenset[str] = frozenset()

ALLOW, DENY, NOT_FOUND = "allow", "deny", "404"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Case:
    """One request: method + URL (built from the test's objects) and who may make it."""

    method: str
    url: Callable[[dict], str]
    allowed: frozenset[str]
    # Callers refused with a 404 rather than a 401/403/login page (the admin's app index and
    # unknown pages for those inside the admin, the API's unknown URLs for everyone).
    not_found_for: frozenset[str] = frozenset()
    data: dict = field(default_factory=dict)
    # Principals whose cell is a known defect, with the reason: the test asserts the defect
    # is still there, so fixing it fails the test until the entry is removed.
    known_gaps: dict[str, str] = field(default_factory=dict)

    def expected(self, principal: str) -> str:
        if principal in self.allowed:
            return ALLOW
        return NOT_FOUND if principal in self.not_found_for else DENY


def fixed(path: str) -> Callable[[dict], str]:
    return lambda world: path


def named(name: str, *keys: str) -> Callable[[dict], str]:
    return lambda world: reverse(name, args=[world[k] for k in keys])


# --- Pages and API: route (as the resolver prints it) -> cases -------------------------------

API_READERS = frozenset({REVIEWER, EDITOR, STAFF, *TOKENS})
REVIEWERS = frozenset({REVIEWER, STAFF, "token_review", "token_admin"})
IMPORTERS = frozenset({EDITOR, STAFF, "token_import", "token_admin"})
API_ADMINS = frozenset({STAFF, "token_admin"})
ADMIN_ENTRANTS = USERS  # is_staff: reviewers, editors and superusers

ROUTES: dict[str, list[Case]] = {
    # Probes and public pages.
    "healthz": [Case("GET", fixed("/healthz"), EVERYONE)],
    "readyz": [Case("GET", fixed("/readyz"), EVERYONE)],
    "accounts/login/": [Case("GET", fixed("/accounts/login/"), EVERYONE)],
    "accounts/logout/": [Case("POST", fixed("/accounts/logout/"), EVERYONE)],
    "accounts/password_change/": [Case("GET", fixed("/accounts/password_change/"), USERS)],
    "accounts/password_change/done/": [
        Case("GET", fixed("/accounts/password_change/done/"), USERS)
    ],
    "accounts/password_reset/": [Case("GET", fixed("/accounts/password_reset/"), EVERYONE)],
    "accounts/password_reset/done/": [
        Case("GET", fixed("/accounts/password_reset/done/"), EVERYONE)
    ],
    "accounts/reset/<uidb64>/<token>/": [
        Case("GET", fixed("/accounts/reset/MQ/set-password/"), EVERYONE)
    ],
    "accounts/reset/done/": [Case("GET", fixed("/accounts/reset/done/"), EVERYONE)],
    # Reviewer workspace.
    "": [Case("GET", fixed("/"), USERS)],
    "claims/bulk/": [Case("POST", fixed("/claims/bulk/"), frozenset({REVIEWER, STAFF}))],
    "claims/<int:claim_id>/": [Case("GET", named("claims:claim", "claim"), USERS)],
    "claims/<int:claim_id>/status/": [
        Case("POST", named("claims:set_status", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/assign/": [
        Case("POST", named("claims:assign", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/evidence/": [
        Case("POST", named("claims:add_evidence", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # The verdict policy: the second reviewer's page and decisions, and undo (reviewers).
    # Everyone in the workspace may read the list; deciding needs the review permission.
    "approvals/": [Case("GET", fixed("/approvals/"), USERS)],
    "claims/<int:claim_id>/approve/": [
        Case("POST", named("claims:approve", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/send-back/": [
        Case("POST", named("claims:send_back", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # Undo names the history row it undoes: without one there is nothing to undo (404).
    "claims/<int:claim_id>/undo/": [
        Case(
            "POST",
            named("claims:undo", "claim"),
            NOBODY,
            not_found_for=frozenset({REVIEWER, STAFF}),
        )
    ],
    "claims/<int:claim_id>/attribution/": [
        Case("POST", named("claims:correct_attribution", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # Claim matching: inherit a matching claim's verdict, or record that a match is wrong.
    "claims/<int:claim_id>/inherit/": [
        Case("POST", named("matching:inherit", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/unlink/": [
        Case("POST", named("matching:unlink", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # Suggested matches and conflicts: confirm, reject (with a reason), not a conflict.
    "claims/<int:claim_id>/matches/confirm/": [
        Case("POST", named("matching:confirm", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/matches/reject/": [
        Case("POST", named("matching:reject", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    "claims/<int:claim_id>/matches/not-a-conflict/": [
        Case("POST", named("matching:not_conflict", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # Matching queues: everyone in the workspace reads them; reviewers keep a flagged status.
    "verdict-changed/": [Case("GET", fixed("/verdict-changed/"), USERS)],
    "conflicts/": [Case("GET", fixed("/conflicts/"), USERS)],
    "claims/<int:claim_id>/keep/": [
        Case("POST", named("matching:rereview_resolve", "claim"), frozenset({REVIEWER, STAFF}))
    ],
    # Deadlines and saved views: every workspace user reads the re-check queue and keeps views
    # (deleting someone else's view is refused with a message, not an error page).
    "recheck/": [Case("GET", fixed("/recheck/"), USERS)],
    "views/": [Case("POST", fixed("/views/"), USERS, data={"name": "Mine", "query": ""})],
    "views/<int:view_id>/delete/": [
        Case("POST", named("claims:saved_view_delete", "saved_view"), USERS)
    ],
    # Publishing: public fact-check pages (anyone), publish actions (reviewers), the
    # corrections queue (editors and superusers).
    "fact-checks/<int:claim_id>/": [
        Case("GET", named("publishing:fact_check", "reviewed_claim"), EVERYONE)
    ],
    "fact-checks/articles/<int:article_id>/": [
        Case("GET", named("publishing:article", "published_article"), EVERYONE)
    ],
    "fact-checks/articles/<int:article_id>/embed/": [
        Case("GET", named("publishing:embed", "published_article"), EVERYONE)
    ],
    "oembed": [
        Case(
            "GET",
            lambda world: (
                f"/oembed?url={django_settings.SITE_URL}/fact-checks/{world['reviewed_claim']}/"
            ),
            EVERYONE,
        )
    ],
    "claims/<int:claim_id>/publish/": [
        Case(
            "POST",
            named("publishing:publish", "reviewed_claim"),
            frozenset({REVIEWER, STAFF}),
            data={"rationale": "x"},
        )
    ],
    "claims/<int:claim_id>/unpublish/": [
        Case("POST", named("publishing:unpublish", "reviewed_claim"), frozenset({REVIEWER, STAFF}))
    ],
    "corrections/": [Case("GET", fixed("/corrections/"), frozenset({EDITOR, STAFF}))],
    "corrections/<int:task_id>/close/": [
        Case(
            "POST",
            named("publishing:correction_close", "correction_task"),
            frozenset({EDITOR, STAFF}),
        )
    ],
    "articles/<int:article_id>/": [Case("GET", named("claims:article", "article"), USERS)],
    # Each signed-in user's own email preferences.
    "account/notifications/": [
        Case("GET", fixed("/account/notifications/"), USERS),
        Case("POST", fixed("/account/notifications/"), USERS, data={"assigned": "on"}),
    ],
    "articles/<int:article_id>/rerun/": [
        Case("POST", named("claims:article_rerun", "article"), frozenset({EDITOR, STAFF}))
    ],
    # The editors' dashboard and its CSV series.
    "dashboard/": [Case("GET", fixed("/dashboard/"), frozenset({EDITOR, STAFF}))],
    "dashboard/csv/<slug:series>/": [
        Case("GET", fixed("/dashboard/csv/activity/"), frozenset({EDITOR, STAFF}))
    ],
    # REST API.
    # The index names URLs only: public like the schema.
    "api/v1/": [Case("GET", fixed("/api/v1/"), EVERYONE)],
    "api/v1/schema/": [Case("GET", fixed("/api/v1/schema/"), EVERYONE)],
    "api/v1/docs/": [Case("GET", fixed("/api/v1/docs/"), EVERYONE)],
    "api/v1/^articles/$": [
        Case("GET", fixed("/api/v1/articles/"), API_READERS),
        Case("POST", fixed("/api/v1/articles/"), IMPORTERS),
    ],
    "api/v1/^articles/(?P<pk>[^/.]+)/$": [
        Case("GET", named("api:article-detail", "article"), API_READERS)
    ],
    "api/v1/^articles/(?P<pk>[^/.]+)/propose/$": [
        Case("POST", named("api:article-propose", "article"), IMPORTERS)
    ],
    "api/v1/^claims/$": [Case("GET", fixed("/api/v1/claims/"), API_READERS)],
    "api/v1/^claims/changes/$": [Case("GET", fixed("/api/v1/claims/changes/"), API_READERS)],
    "api/v1/^clusters/(?P<pk>\\d+)/$": [
        Case("GET", named("api:cluster-detail", "cluster"), API_READERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/$": [
        Case("GET", named("api:claim-detail", "claim"), API_READERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/history/$": [
        Case("GET", named("api:claim-history", "claim"), API_READERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/matches/$": [
        Case("GET", named("api:claim-matches", "claim"), API_READERS)
    ],
    (
        "api/v1/^claims/(?P<pk>[^/.]+)/matches/(?P<match_id>[0-9]{1,18})/"
        "(?P<decision>confirm|reject|unlink|not-a-conflict)/$"
    ): [
        # The world's match is confirmed already: confirming it again is an allowed no-op.
        Case(
            "POST",
            lambda world: reverse(
                "api:claim-match-decision",
                args=[world["claim"], world["matching.claimmatch"], "confirm"],
            ),
            REVIEWERS,
        )
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/claimreview/$": [
        # ClaimReview exists for claims with a verdict.
        Case("GET", named("api:claim-claimreview", "reviewed_claim"), API_READERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/publish/$": [
        Case(
            "POST", named("api:claim-publish", "reviewed_claim"), REVIEWERS, data={"rationale": "x"}
        )
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/unpublish/$": [
        Case("POST", named("api:claim-unpublish", "reviewed_claim"), REVIEWERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/review/$": [
        Case("POST", named("api:claim-review", "claim"), REVIEWERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/assign/$": [
        Case("POST", named("api:claim-assign", "claim"), REVIEWERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/approve/$": [
        Case("POST", named("api:claim-approve", "claim"), REVIEWERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/send-back/$": [
        Case("POST", named("api:claim-send-back", "claim"), REVIEWERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/undo/$": [
        Case("POST", named("api:claim-undo", "claim"), REVIEWERS)
    ],
    # The fact-check archive's imports: importers list, read and start them.
    "api/v1/^fact-check-imports/$": [
        Case("GET", fixed("/api/v1/fact-check-imports/"), IMPORTERS),
        Case("POST", fixed("/api/v1/fact-check-imports/"), IMPORTERS),
    ],
    "api/v1/^fact-check-imports/(?P<pk>[^/.]+)/$": [
        Case("GET", named("api:fact-check-import-detail", "factchecks.factcheckimport"), IMPORTERS)
    ],
    "api/v1/^claims/(?P<pk>[^/.]+)/attribution/$": [
        Case("POST", named("api:claim-attribution", "claim"), REVIEWERS)
    ],
    "api/v1/^webhooks/$": [
        Case("GET", fixed("/api/v1/webhooks/"), API_ADMINS),
        Case("POST", fixed("/api/v1/webhooks/"), API_ADMINS),
    ],
    "api/v1/^webhooks/(?P<pk>[^/.]+)/$": [
        Case("GET", named("api:webhook-detail", "webhook"), API_ADMINS),
        Case("PATCH", named("api:webhook-detail", "webhook"), API_ADMINS),
        Case("DELETE", named("api:webhook-detail", "webhook"), API_ADMINS),
    ],
    # Anything else under the API is its JSON 404, for everyone.
    "api/v1/^.*$": [Case("GET", fixed("/api/v1/no-such-thing/"), NOBODY, not_found_for=EVERYONE)],
    # Admin site views (model views are generated from ADMIN_POLICY below).
    "admin/": [Case("GET", fixed("/admin/"), ADMIN_ENTRANTS)],
    "admin/login/": [Case("GET", fixed("/admin/login/"), EVERYONE)],
    # Logging out is harmless for anyone (without a session it is a redirect to the index).
    "admin/logout/": [Case("POST", fixed("/admin/logout/"), EVERYONE)],
    "admin/password_change/": [Case("GET", fixed("/admin/password_change/"), ADMIN_ENTRANTS)],
    "admin/password_change/done/": [
        Case("GET", fixed("/admin/password_change/done/"), ADMIN_ENTRANTS)
    ],
    "admin/jsi18n/": [Case("GET", fixed("/admin/jsi18n/"), ADMIN_ENTRANTS)],
    # No admin uses autocomplete_fields: the view refuses every request.
    "admin/autocomplete/": [Case("GET", fixed("/admin/autocomplete/"), NOBODY)],
    # "View on site": redirects to the object's page, which checks permissions itself.
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        Case("GET", lambda w: f"/admin/r/{w['article_ct']}/{w['article']}/", ADMIN_ENTRANTS)
    ],
    # An app's index lists only models the user may see; with none it is a 404.
    (
        "admin/^(?P<app_label>auth|articles|claims|matching|factchecks|integrations|"
        "notifications|axes)/$"
    ): [
        Case("GET", fixed("/admin/claims/"), ADMIN_ENTRANTS),
        # The archive's imports: editors start them; its entries and hits are superusers'.
        Case(
            "GET",
            fixed("/admin/factchecks/"),
            frozenset({EDITOR, STAFF}),
            not_found_for=ADMIN_ENTRANTS,
        ),
        Case("GET", fixed("/admin/articles/"), ADMIN_ENTRANTS),
        # The match rows (read-only, superusers): the app index is as hidden as their pages.
        Case("GET", fixed("/admin/matching/"), frozenset({STAFF}), not_found_for=ADMIN_ENTRANTS),
        Case(
            "GET", fixed("/admin/integrations/"), frozenset({STAFF}), not_found_for=ADMIN_ENTRANTS
        ),
        Case("GET", fixed("/admin/auth/"), frozenset({STAFF}), not_found_for=ADMIN_ENTRANTS),
        Case(
            "GET", fixed("/admin/notifications/"), frozenset({STAFF}), not_found_for=ADMIN_ENTRANTS
        ),
        Case("GET", fixed("/admin/axes/"), frozenset({STAFF}), not_found_for=ADMIN_ENTRANTS),
    ],
    "admin/(?P<url>.*)$": [
        Case("GET", fixed("/admin/no-such-page/"), NOBODY, not_found_for=ADMIN_ENTRANTS)
    ],
    "admin/auth/user/<id>/password/": [
        Case("GET", named("admin:auth_user_password_change", "user"), frozenset({STAFF}))
    ],
    "admin/factchecks/factcheckimport/import/": [
        Case("GET", fixed("/admin/factchecks/factcheckimport/import/"), frozenset({EDITOR, STAFF}))
    ],
    "admin/articles/article/import/": [
        Case("GET", fixed("/admin/articles/article/import/"), frozenset({EDITOR, STAFF}))
    ],
}
# --- Admin model views: who may view, add, change, delete each registered model --------------

S = frozenset({STAFF})
ADMIN_POLICY: dict[str, dict[str, frozenset[str]]] = {
    "auth.group": {"view": S, "add": S, "change": S, "delete": S},
    "auth.user": {"view": S, "add": S, "change": S, "delete": S},
    "articles.article": {
        "view": frozenset({REVIEWER, EDITOR, STAFF}),
        "add": frozenset({EDITOR, STAFF}),
        "change": frozenset({EDITOR, STAFF}),
        "delete": S,
    },
    "claims.claim": {
        "view": frozenset({REVIEWER, EDITOR, STAFF}),
        # Claims come from proposal only; status changes go through the reviewer pages.
        "add": NOBODY,
        "change": frozenset({REVIEWER, STAFF}),
        "delete": S,
    },
    # The audit log: readable, never written or deleted through the admin, not even by staff.
    "claims.claimstatuschange": {
        "view": frozenset({REVIEWER, EDITOR, STAFF}),
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
    },
    # The desk's rules and the reviewers' saved views: staff in the admin (reviewers keep their
    # views on the queue page).
    "claims.deadlinerule": {"view": S, "add": S, "change": S, "delete": S},
    "claims.expiryrule": {"view": S, "add": S, "change": S, "delete": S},
    "claims.savedview": {"view": S, "add": S, "change": S, "delete": S},
    # Model versions: written by the desk-layer fit; superusers look, activate (roll back) and
    # delete inactive ones; nobody adds one by hand.
    "claims.claimmodelversion": {"view": S, "add": NOBODY, "change": S, "delete": S},
    # Written only by the matcher and the status service: superusers may look (and delete, as
    # deleting an article deletes them), nobody edits.
    "matching.claimmatch": {"view": S, "add": NOBODY, "change": NOBODY, "delete": S},
    "matching.claimrereview": {"view": S, "add": NOBODY, "change": NOBODY, "delete": S},
    "matching.articlematching": {"view": S, "add": NOBODY, "change": NOBODY, "delete": S},
    # The verdict policy: one row staff edit; the approvals are written by claims.review only.
    "claims.verdictpolicy": {"view": S, "add": NOBODY, "change": S, "delete": NOBODY},
    "claims.verdictapproval": {"view": S, "add": NOBODY, "change": NOBODY, "delete": NOBODY},
    # The fact-check archive: imports (editors start them), entries, hits and matching state.
    "factchecks.factcheckimport": {
        "view": frozenset({EDITOR, STAFF}),
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
    },
    "factchecks.factcheck": {"view": S, "add": NOBODY, "change": NOBODY, "delete": NOBODY},
    "factchecks.factcheckhit": {"view": S, "add": NOBODY, "change": NOBODY, "delete": NOBODY},
    "factchecks.articlearchivematching": {
        "view": S,
        "add": NOBODY,
        "change": NOBODY,
        "delete": NOBODY,
    },
    "integrations.apitoken": {"view": S, "add": S, "change": S, "delete": S},
    "integrations.webhooksubscription": {"view": S, "add": S, "change": S, "delete": S},
    "integrations.webhookevent": {"view": S, "add": NOBODY, "change": S, "delete": S},
    "integrations.webhookdelivery": {"view": S, "add": NOBODY, "change": S, "delete": S},
    # The email outbox: written by the app's receivers only; staff look and resend.
    "notifications.notification": {"view": S, "add": NOBODY, "change": S, "delete": S},
    "notifications.notificationpreference": {"view": S, "add": S, "change": S, "delete": S},
    "axes.accessattempt": {"view": S, "add": NOBODY, "change": S, "delete": S},
    "axes.accesslog": {"view": S, "add": NOBODY, "change": S, "delete": S},
    "axes.accessfailurelog": {"view": S, "add": NOBODY, "change": S, "delete": S},
}


def _admin_model_routes() -> dict[str, list[Case]]:
    routes: dict[str, list[Case]] = {}
    for label, policy in ADMIN_POLICY.items():
        app, model = label.split(".")
        base = f"admin/{app}/{model}/"
        see = policy["view"] | policy["change"]

        def url(view: str, with_id: bool, label=label, app=app, model=model):
            name = f"admin:{app}_{model}_{view}"
            return (lambda w: reverse(name, args=[w[label]])) if with_id else fixed(reverse(name))

        routes[base] = [Case("GET", url("changelist", False), see)]
        routes[f"{base}add/"] = [
            Case("GET", url("add", False), policy["add"]),
            Case("POST", url("add", False), policy["add"]),
        ]
        routes[f"{base}<path:object_id>/change/"] = [
            Case("GET", url("change", True), see),
            Case("POST", url("change", True), policy["change"]),
        ]
        routes[f"{base}<path:object_id>/delete/"] = [
            Case("GET", url("delete", True), policy["delete"]),
            Case("POST", url("delete", True), policy["delete"], data={"post": "yes"}),
        ]
        routes[f"{base}<path:object_id>/history/"] = [Case("GET", url("history", True), see)]
        # The old-style object URL redirects to the change view, which checks permissions.
        routes[f"{base}<path:object_id>/"] = [
            Case("GET", lambda w, label=label, base=base: f"/{base}{w[label]}/", ADMIN_ENTRANTS)
        ]
    return routes


ALL_ROUTES = {**ROUTES, **_admin_model_routes()}


def _resolver_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return set(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row():
    missing = _resolver_routes() - set(ALL_ROUTES)
    assert not missing, f"URL patterns without a permission-matrix row: {sorted(missing)}"


def test_every_row_names_a_url_pattern():
    stale = set(ALL_ROUTES) - _resolver_routes()
    assert not stale, f"rows for URL patterns that no longer exist: {sorted(stale)}"


def test_every_admin_model_has_a_policy():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered == set(ADMIN_POLICY)


def test_only_superusers_may_delete_and_only_staff_touch_tokens_and_webhooks():
    # The policy itself, as the roles define it (claims/roles.py).
    for label, policy in ADMIN_POLICY.items():
        assert policy["delete"] <= {STAFF}, label
        if label.startswith(("integrations.", "auth.", "axes.")):
            assert all(p <= {STAFF} for p in policy.values()), label


# --- Running the cases ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every case creates three users: real password hashing would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # API throttle counts live in the cache: one case must not count against the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, staff_user):
    """One object of every kind a URL needs, plus the users behind the principals."""
    reviewer = ReviewerFactory(username="rita", is_staff=True)
    editor = EditorFactory(username="eddie", is_staff=True)
    article = ArticleFactory()
    cluster = ClaimCluster.objects.create()
    claim = ClaimFactory(article=article, cluster=cluster)
    archive_import = FactCheckImport.objects.create(via="cli", source="archive.jsonl")
    fact_check = FactCheck.objects.create(
        external_id="fc-1", claim="A claim", author="Desk", source_import=archive_import
    )
    history_claim = ClaimFactory(article=ArticleFactory())
    claim_set_status(claim_id=history_claim.pk, to_status="verified", user=reviewer)
    change = history_claim.history.get()
    publication_publish(claim_id=history_claim.pk, user=reviewer, rationale="Budget papers agree.")
    correction = Correction.objects.create(
        claim=history_claim, old_status="disputed", new_status="verified"
    )
    correction_task = CorrectionTask.objects.create(correction=correction, article=article)
    first, second = sorted([claim, history_claim], key=lambda c: c.pk)
    match = ClaimMatch.objects.create(claim=first, other=second, similarity=0.9, relation="same")
    rereview = ClaimRereview.objects.create(
        claim=claim, source=history_claim, source_change=change, from_status="proposed",
        to_status="verified",
    )  # fmt: skip
    subscription = WebhookSubscription.objects.create(
        name="desk", url="https://hooks.example/x", secret_encrypted=encrypt_secret("s")
    )
    event = WebhookEvent.objects.create(type="claim.status_changed", payload={})
    delivery = WebhookDelivery.objects.create(event=event, subscription=subscription)
    token = api_token_create(name="ops", scope="read", user=None).token
    saved_view = SavedView.objects.create(owner=staff_user, name="Desk", query="", shared=True)
    notification = Notification.objects.create(
        user=reviewer, kind="assigned", dedupe_key="matrix", to_email="rita@newsroom.example",
        subject="Claim assigned", body="Hello", next_attempt_at=timezone.now(),
    )  # fmt: skip
    preference = NotificationPreference.objects.create(user=editor)
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="198.51.100.1", user_agent="", get_data="", post_data="",
        failures_since_start=1,
    )  # fmt: skip
    log = AccessLog.objects.create(username="x", ip_address="198.51.100.1", user_agent="")
    failure = AccessFailureLog.objects.create(
        username="x", ip_address="198.51.100.1", user_agent=""
    )
    return {
        "users": {REVIEWER: reviewer, EDITOR: editor, STAFF: staff_user},
        "article": article.pk,
        "claim": claim.pk,
        "cluster": cluster.pk,
        "reviewed_claim": history_claim.pk,
        "published_article": history_claim.article_id,
        "correction_task": correction_task.pk,
        "webhook": subscription.pk,
        "user": reviewer.pk,
        "article_ct": ContentType.objects.get_for_model(article).pk,
        "auth.group": Group.objects.get(name="Reviewers").pk,
        "auth.user": reviewer.pk,
        "articles.article": article.pk,
        "claims.claim": claim.pk,
        "claims.claimstatuschange": change.pk,
        "claims.deadlinerule": DeadlineRule.objects.create(name="Wire", source="x", hours=2).pk,
        "claims.expiryrule": ExpiryRule.objects.create(name="Q", claim_type="quote", days=9).pk,
        "claims.savedview": saved_view.pk,
        "saved_view": saved_view.pk,
        "claims.verdictpolicy": VerdictPolicy.current().pk,
        "claims.verdictapproval": VerdictApproval.objects.create(
            claim=ClaimFactory(), to_status="disputed", from_status="proposed", submitted_by=editor
        ).pk,
        "factchecks.factcheckimport": archive_import.pk,
        "factchecks.factcheck": fact_check.pk,
        "factchecks.factcheckhit": FactCheckHit.objects.create(
            claim=history_claim, fact_check=fact_check, score=0.9
        ).pk,
        "factchecks.articlearchivematching": ArticleArchiveMatching.objects.create(
            article=ArticleFactory()
        ).pk,
        "claims.claimmodelversion": ClaimModelVersion.objects.create(
            name="desk-matrix", kind="desk"
        ).pk,
        "matching.claimmatch": match.pk,
        "matching.claimrereview": rereview.pk,
        "matching.articlematching": ArticleMatching.objects.create(article=article).pk,
        "integrations.apitoken": token.pk,
        "integrations.webhooksubscription": subscription.pk,
        "integrations.webhookevent": event.pk,
        "integrations.webhookdelivery": delivery.pk,
        "notifications.notification": notification.pk,
        "notifications.notificationpreference": preference.pk,
        "axes.accessattempt": attempt.pk,
        "axes.accesslog": log.pk,
        "axes.accessfailurelog": failure.pk,
    }


def _client(principal: str, world: dict) -> Client:
    if principal in world["users"]:
        client = Client()
        client.force_login(world["users"][principal])
        return client
    if principal.startswith("token_"):
        scope = principal.removeprefix("token_")
        # Tokens that can review belong to a user (every verdict has a person behind it); the
        # owner's role grants at least what the scope does, so the scope alone decides here.
        owner = None
        if scope == "review":
            owner = ReviewerFactory(username=f"{principal}-owner")
        elif scope == "admin":
            owner = UserFactory(username=f"{principal}-owner", is_superuser=True)
        key = api_token_create(name=principal, scope=scope, user=owner).key
        return Client(headers={"Authorization": f"Token {key}"})
    return Client()


def classify(response) -> str:
    """ALLOW, DENY (401/403, or sent to a login page) or NOT_FOUND."""
    status = response.status_code
    if status in (401, 403):
        return DENY
    # Logging out lands on the login page: that is the logout working, not a refusal.
    to_login = status in (301, 302) and response["Location"].split("?")[0] in LOGIN_PATHS
    if to_login and "logout" not in response.wsgi_request.path:
        return DENY
    if status == 404:
        return NOT_FOUND
    if status == 503 and response.wsgi_request.path == "/readyz":
        # Answered, just not ready (no worker heartbeat in a test): not a permission matter.
        return ALLOW
    assert status < 500, f"{response.wsgi_request.path}: server error {status}"
    return ALLOW


def _cases():
    for route, cases in sorted(ALL_ROUTES.items()):
        for index, case in enumerate(cases):
            yield pytest.param(route, index, id=f"{case.method} {route} #{index}")


def _request(client, case: Case, url: str):
    if url.startswith("/api/"):
        return getattr(client, case.method.lower())(url, case.data, content_type="application/json")
    return getattr(client, case.method.lower())(url, case.data)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "index"), list(_cases()))
def test_permission_matrix(world, route, index):
    case = ALL_ROUTES[route][index]
    url = case.url(world)
    wrong, gaps_fixed = [], []
    for principal in PRINCIPALS:
        client = _client(principal, world)
        # Each caller acts on the same objects: roll back what the previous one changed
        # (a delete, a review) so every cell starts from the same state.
        with transaction.atomic():
            response = _request(client, case, url)
            transaction.set_rollback(True)
        got = classify(response)
        expected = case.expected(principal)
        if principal in case.known_gaps:
            # A known defect: the cell must still show it; when it is fixed, drop the entry.
            if got == expected:
                gaps_fixed.append(f"{principal}: {case.known_gaps[principal]}")
            continue
        if got != expected:
            wrong.append(
                f"{principal}: expected {expected}, got {got} "
                f"({response.status_code} {response.get('Location', '')})"
            )
    assert not wrong, f"{case.method} {url}:\n  " + "\n  ".join(wrong)
    assert not gaps_fixed, f"{case.method} {url}: known gaps now fixed: {gaps_fixed}"
