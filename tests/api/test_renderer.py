"""api.renderers.ORJSONRenderer writes what DRF's JSONRenderer writes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from api.renderers import ORJSONRenderer

SAMPLES = [
    {"id": 1, "text": "Unemployment fell to 4.2%", "score": 0.8123, "ok": True, "none": None},
    {"when": datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)},  # DRF: milliseconds, "Z"
    {"when": datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC), "day": date(2026, 3, 1)},
    {"at": time(9, 30, 15, 250000), "amount": Decimal("12.50"), "key": uuid.UUID(int=7)},
    {"detail": ErrorDetail("Not found.", code="not_found"), "lazy": gettext_lazy("Not found.")},
    {"quote": "« Ça coûte 5 € » — 東京", "script": "</script><b>", "sep": "a\u2028b\u2029c"},
    ReturnDict(
        {"results": ReturnList([{"a": 1}, {"b": [1, 2.5, "x"]}], serializer=None)}, serializer=None
    ),
    [],
    {},
    {1: "integer key"},  # orjson refuses it: the standard encoder writes it, as before
    {"big": 2**70},  # past 64 bits: as before
]


@pytest.mark.parametrize("data", SAMPLES)
def test_output_is_what_jsonrenderer_writes(data):
    fast = ORJSONRenderer().render(data, "application/json", {})
    drf = JSONRenderer().render(data, "application/json", {})

    assert fast == drf
    assert json.loads(fast) == json.loads(drf)


def test_line_separators_are_escaped_for_javascript():
    assert ORJSONRenderer().render({"s": "a\u2028b"}) == b'{"s":"a\\u2028b"}'


def test_indent_asked_by_the_client_is_honoured():
    out = ORJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert out == b'{\n  "a": [\n    1\n  ]\n}'


def test_none_renders_as_an_empty_body():
    assert ORJSONRenderer().render(None) == b""


def test_api_responses_use_it(read_token_client):
    response = read_token_client.get("/api/v1/claims/")
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
    assert response["Content-Type"] == "application/json"
