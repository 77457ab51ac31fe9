"""How a user is named wherever the app shows who did something."""

from __future__ import annotations


def username(user, default: str | None = None) -> str | None:
    """The user's username, or ``default`` when there is no user (a system action)."""
    return user.get_username() if user is not None else default
