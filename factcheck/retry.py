"""The one retry backoff: proposal and matching tasks and webhook deliveries wait by it."""

from __future__ import annotations

import random


def backoff_seconds(
    *, base: float, retry: int, cap: float | None = None, jitter: float = 0.0
) -> float:
    """Wait before retry number ``retry`` (0-based): base * 2**retry, at most ``cap``.

    ``jitter`` spreads the wait by that fraction either way (0.5: 50% to 150%), so tasks that
    failed together do not all retry in the same second.
    """
    wait = base * 2 ** max(retry, 0)
    if cap is not None:
        wait = min(wait, cap)
    if jitter:
        wait *= random.uniform(1 - jitter, 1 + jitter)
    return wait
