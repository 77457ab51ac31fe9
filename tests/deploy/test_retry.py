"""factcheck.retry: the one retry backoff (proposal, matching, webhook deliveries)."""

import pytest

from factcheck.retry import backoff_seconds


@pytest.mark.parametrize(
    ("retry", "cap", "expected"),
    [(0, None, 10), (1, None, 20), (3, None, 80), (-1, None, 10), (3, 50, 50), (9, 3600, 3600)],
)
def test_backoff_doubles_from_the_base_and_stops_at_the_cap(retry, cap, expected):
    assert backoff_seconds(base=10, retry=retry, cap=cap) == expected


def test_jitter_spreads_the_wait_within_the_fraction(monkeypatch):
    seen = []
    monkeypatch.setattr("factcheck.retry.random.uniform", lambda a, b: seen.append((a, b)) or b)

    assert backoff_seconds(base=10, retry=2, jitter=0.5) == 60
    assert seen == [(0.5, 1.5)]
