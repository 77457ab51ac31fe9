"""Any text in an API list's query parameters, or in If-Match, is an answer, never a 500.

``"²".isdigit()`` is true but ``int("²")`` fails: ids, versions and pages are parsed from
ASCII digits only (factcheck.parsing).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.articles.filters import ArticleFilter
from api.claims.filters import ClaimFilter
from tests.factories import ClaimFactory

ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=25),
)
PAGED = ["page", "page_size"]
LISTS = {
    "/api/v1/claims/": [*ClaimFilter.base_filters, *PAGED],
    "/api/v1/claims/changes/": [*ClaimFilter.base_filters, "cursor", "page_size"],
    "/api/v1/articles/": [*ArticleFilter.base_filters, *PAGED],
    "/api/v1/webhooks/": PAGED,
}
ENDPOINT_PARAMS = [(path, name) for path, names in LISTS.items() for name in names]


@pytest.mark.parametrize("header", ['"²"', "²", '"①"', 'W/"\u0661"', '"9999999999"', '"0"', '" 3"'])
def test_review_with_an_if_match_not_in_ascii_digits_is_a_400(review_token_client, header):
    claim = ClaimFactory()

    response = review_token_client.post(
        f"/api/v1/claims/{claim.pk}/review/",
        {"status": "verified", "note": ""},
        format="json",
        headers={"If-Match": header},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"If-Match": ['Expected the ETag of the claim, e.g. "3".']}
    claim.refresh_from_db()
    assert claim.status == "proposed"


@pytest.mark.parametrize("param", ["page", "page_size"])
@pytest.mark.parametrize("value", ["²", "\u0661", "0", "-1", "x", "9" * 30])
def test_a_page_or_page_size_that_is_no_whole_number_is_a_400(read_token_client, param, value):
    response = read_token_client.get("/api/v1/claims/", {param: value})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [param]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(ENDPOINT_PARAMS), value=ANY_TEXT)
def test_every_list_parameter_answers_any_text_without_a_server_error(
    admin_token_client, target, value
):
    path, name = target

    response = admin_token_client.get(path, {name: value})

    assert response.status_code in (200, 400, 404), (path, name, value, response.content)
    if response.status_code != 200:
        assert set(response.json()) >= {"status", "code", "message"}
