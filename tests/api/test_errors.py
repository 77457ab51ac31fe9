"""api.errors.DOMAIN_ERRORS: each service error answers with the body its action used to build."""

from __future__ import annotations

import pytest

from api.errors import api_exception_handler
from articles.services import ImportBatchTooLarge
from claims.services import InvalidEvidence, NoteRequired
from integrations.services import WebhookInvalid

NOTE = str(NoteRequired("disputed"))


@pytest.mark.parametrize(
    ("exc", "message", "fields"),
    [
        (NoteRequired("disputed"), f"note: {NOTE}", {"note": [NOTE]}),
        (
            InvalidEvidence("Evidence URL must be an http(s) URL."),
            "evidence: Evidence URL must be an http(s) URL.",
            {"evidence": ["Evidence URL must be an http(s) URL."]},
        ),
        (
            WebhookInvalid("url", "Private address."),
            "url: Private address.",
            {"url": ["Private address."]},
        ),
        (
            ImportBatchTooLarge("At most 500 articles."),
            "At most 500 articles.",
            {"non_field_errors": ["At most 500 articles."]},
        ),
    ],
)
def test_a_field_domain_error_is_a_400_naming_the_field(exc, message, fields):
    response = api_exception_handler(exc, {})

    assert response.status_code == 400
    assert response.data == {"status": 400, "code": "invalid", "message": message, "fields": fields}


def test_a_subclass_of_a_mapped_error_is_mapped_like_its_base():
    class TooManyHosts(WebhookInvalid):
        pass

    response = api_exception_handler(TooManyHosts("url", "Too many hosts."), {})

    assert response.status_code == 400
    assert response.data["fields"] == {"url": ["Too many hosts."]}


def test_an_unmapped_error_is_still_a_500():
    response = api_exception_handler(ValueError("boom"), {})

    assert response.status_code == 500
