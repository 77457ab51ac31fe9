"""The live OpenAPI schema is valid, and every operation honours it (schemathesis).

Every operation is called with generated requests (a bounded number per operation) by a
token with full rights: no answer may be a 5xx, and every answer must be one the schema
declares, with the declared content type, headers and body shape.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.services import claim_set_status
from factcheck.wsgi import application
from integrations.services import api_token_create
from tests.factories import ArticleFactory, ClaimFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def wsgi_in_test_transaction():
    # The WSGI handler closes "old" connections around each request; inside the test's
    # transaction that would close it (Django's own test client disconnects these too).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def full_rights_key(db, wsgi_in_test_transaction):
    # Some objects to find: generated ids in the low range hit real rows.
    for _ in range(3):
        claim = ClaimFactory()
    claim_set_status(claim_id=claim.pk, to_status="verified", user=None)
    ArticleFactory()
    return api_token_create(name="schemathesis", scope="admin").key


def test_schema_is_valid_openapi_3(api_client, db):
    response = api_client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/articles/{id}/propose/",
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/history/",
        "/api/v1/claims/{id}/review/",
        "/api/v1/claims/{id}/assign/",
        "/api/v1/claims/{id}/claimreview/",
        "/api/v1/claims/changes/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
    } <= paths
    review = document["paths"]["/api/v1/claims/{id}/review/"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "412", "429"} <= set(review["responses"])
    assert "tokenAuth" in document["components"]["securitySchemes"]


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema_and_never_fails(case, full_rights_key):
    case.call_and_validate(headers={"Authorization": f"Token {full_rights_key}"}, checks=CHECKS)
