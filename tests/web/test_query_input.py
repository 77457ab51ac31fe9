"""Any text in the workspace's query parameters and ids is a page or a message, never a 500.

``"²".isdigit()`` is true but ``int("²")`` fails: ids and versions are parsed from ASCII
digits only (factcheck.parsing).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.forms import FILTER_PARAMS
from claims.models import Claim
from factcheck.parsing import parse_int
from tests.factories import ClaimFactory

QUEUE = reverse("claims:queue")
ODD_DIGITS = ["²", "①", "\u0661\u0662", "߁", "\U0001d7d9", " 1", "+1", "1_0", "-1", "0", "9" * 25]
# Any text a URL can carry (no lone surrogates: they cannot be encoded into a URL), often
# made of digits of any script.
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=25),
)
QUEUE_PARAMS = [*FILTER_PARAMS, "after", "before"]


@pytest.mark.parametrize("value", ["7", *ODD_DIGITS])
def test_parse_int_takes_ascii_digits_only(value):
    expected = 7 if value == "7" else None
    assert parse_int(value) == expected


@pytest.mark.parametrize("param", ["after", "before", "assignee", "article"])
@pytest.mark.parametrize("value", ODD_DIGITS)
def test_queue_with_unicode_digits_in_a_parameter_is_a_page(reviewer_client, param, value):
    ClaimFactory()

    response = reviewer_client.get(QUEUE, {param: value})

    assert response.status_code == 200


def test_queue_ignores_an_assignee_in_superscript_digits(reviewer_client):
    claim = ClaimFactory()

    response = reviewer_client.get(QUEUE, {"assignee": "²"})

    assert response.status_code == 200
    assert "Choose mine, unassigned or a reviewer." in response.content.decode()
    assert claim.text in response.content.decode()


@pytest.mark.parametrize("version", ["²", "①", "\u0661"])
def test_bulk_action_with_a_unicode_digit_version_is_not_a_500(reviewer_client, version):
    claim = ClaimFactory()
    data = {"action": "assign_me", "claim": [claim.pk], "queue": ""}
    data[f"version_{claim.pk}"] = version

    response = reviewer_client.post(reverse("claims:bulk"), data, follow=True)

    assert response.status_code == 200
    claim.refresh_from_db()
    # No readable version: no stale check, as when the queue sent none.
    assert claim.assignee is not None
    assert Claim.objects.count() == 1


def test_bulk_action_with_a_unicode_digit_claim_id_is_a_message(reviewer_client):
    claim = ClaimFactory()
    data = {"action": "assign_me", "claim": [claim.pk, "²"], "queue": ""}

    response = reviewer_client.post(reverse("claims:bulk"), data, follow=True)

    assert response.status_code == 200
    assert "Select a valid choice. ² is not one of the available choices." in (
        response.content.decode()
    )
    claim.refresh_from_db()
    assert claim.assignee is None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(param=st.sampled_from(QUEUE_PARAMS), value=ANY_TEXT)
def test_queue_answers_any_text_in_any_parameter(reviewer_client, param, value):
    response = reviewer_client.get(QUEUE, {param: value})

    assert response.status_code == 200


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=st.dictionaries(st.sampled_from(FILTER_PARAMS), ANY_TEXT, max_size=4))
def test_claim_and_article_pages_answer_any_queue_text(reviewer_client, params):
    claim = Claim.objects.first() or ClaimFactory()

    for url in (
        reverse("claims:claim", args=[claim.pk]),
        reverse("claims:article", args=[claim.article_id]),
    ):
        assert reviewer_client.get(url, params).status_code == 200


@pytest.mark.parametrize("path", ["claims/{}/", "articles/{}/"])
def test_an_id_past_the_database_range_is_a_404(reviewer_client, path):
    response = reviewer_client.get("/" + path.format("9" * 25))

    assert response.status_code == 404
