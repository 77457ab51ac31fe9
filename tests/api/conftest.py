"""Fixtures for API tests: clients authenticated every way the API allows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from integrations.services import api_token_create
from tests.factories import ReviewerFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle history lives in the cache: one test's requests must not count in the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


def _token_client(scope: str, user=None) -> APIClient:
    created = api_token_create(name=f"{scope} service", scope=scope, user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created.key}")
    client.token = created.token
    return client


@pytest.fixture
def read_token_client(db):
    return _token_client("read")


@pytest.fixture
def review_token_client(db):
    # Review tokens belong to a user (every verdict has a person behind it).
    return _token_client("review", user=ReviewerFactory(username="review-service"))


@pytest.fixture
def import_token_client(db):
    return _token_client("import")


@pytest.fixture
def admin_token_client(db):
    owner = UserFactory(username="admin-service", is_staff=True, is_superuser=True)
    return _token_client("admin", user=owner)


@pytest.fixture
def reviewer_api_client(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


@pytest.fixture
def editor_api_client(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def staff_api_client(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def principal(request):
    """The client of the principal named by the test's ``principal`` parameter."""
    name = request.param
    if name == "anonymous":
        return APIClient()
    return request.getfixturevalue(f"{name}_client")
