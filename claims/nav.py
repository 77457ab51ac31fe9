"""The claims app's navigation entries (factcheck.navigation): overdue claims, verdicts due for
re-check, and each saved view the user can see, with their badge counts."""

from __future__ import annotations

from factcheck.navigation import register_nav_item

OVERDUE_QUERY = "due=overdue&sort=due"


def _can_enter(user) -> bool:
    from claims.views.common import can_enter

    return can_enter(user)


def _overdue_count(user) -> int:
    from claims.desk_selectors import overdue_count

    return overdue_count()


def _expired_count(user) -> int:
    from claims.desk_selectors import expired_count

    return expired_count()


def register() -> None:
    """Register the entries (ClaimsConfig.ready())."""
    register_nav_item(
        "overdue",
        label="Overdue",
        url_name="claims:queue",
        url_query=OVERDUE_QUERY,
        order=20,
        count=_overdue_count,
        visible=_can_enter,
    )
    register_nav_item(
        "recheck",
        label="Due for re-check",
        url_name="claims:recheck",
        order=25,
        count=_expired_count,
        visible=_can_enter,
    )
    register_nav_item("saved_views", order=60, provider=_saved_views, visible=_can_enter)


def _saved_views(user):
    from claims.saved_views import nav_provider

    return list(nav_provider(user))
