"""Who sees the dashboard: Editors (claims.roles) and staff (superusers).

Not every ``is_staff`` account: as deployed, reviewers and editors have ``is_staff`` to enter
the admin (claims/management/commands/demo_setup.py), so ``is_staff`` alone would show the
dashboard to every reviewer.
"""

from __future__ import annotations

from claims.roles import EDITORS

NO_DASHBOARD = "The dashboard is for Editors and staff. Ask an administrator to add you to Editors."


def can_view_dashboard(user) -> bool:
    """True for active superusers and members of the Editors group."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Remembered on the user object: the navigation and the view ask in the same request.
    cached = getattr(user, "_dashboard_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS).exists()
        user._dashboard_editor = cached
    return cached
