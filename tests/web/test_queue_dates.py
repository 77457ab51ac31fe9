"""Queue date filters at the ends of the calendar: a shown form error, never a 500.

``/?created_to=9999-12-31`` asked for claims before 10000-01-01, which Python cannot make.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("claims:queue")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"created_to": "9999-12-31"}, "Enter a date up to 2999-12-31."),
        ({"created_from": "9999-12-31"}, "Enter a date up to 2999-12-31."),
        ({"created_from": "0001-01-01"}, "Enter a date from 1000-01-01 on."),
        ({"created_to": "0001-01-01"}, "Enter a date from 1000-01-01 on."),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_an_out_of_range_date_filter_is_ignored_and_shown(
    reviewer_client, settings, query, message, zone
):
    settings.TIME_ZONE = zone
    claim = ClaimFactory()

    response = reviewer_client.get(QUEUE, query)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert f'name="claim" value="{claim.pk}"' in content  # the filter is ignored

    # The claim page carries the queue's filters too (next/previous links).
    detail = reviewer_client.get(reverse("claims:claim", args=[claim.pk]), query)
    assert detail.status_code == 200


def test_the_last_date_in_range_still_filters(reviewer_client):
    claim = ClaimFactory()
    response = reviewer_client.get(
        QUEUE, {"created_to": "2999-12-31", "created_from": "1000-01-01"}
    )
    assert response.status_code == 200
    assert f'name="claim" value="{claim.pk}"' in response.content.decode()
