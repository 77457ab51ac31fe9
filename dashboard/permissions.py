"""Who sees the dashboard: Editors (claims.roles) and staff (superusers).

An editor is recognised by the permission only the Editors group holds, importing articles
(as claims' views recognise one by ``articles.rerun_proposal``), not by a group query: the
navigation asks on every page, and permissions are already loaded and cached on the user.
Not every ``is_staff`` account: as deployed, reviewers and editors have ``is_staff`` to enter
the admin (claims/management/commands/demo_setup.py), so ``is_staff`` alone would show the
dashboard to every reviewer.
"""

from __future__ import annotations

EDITOR_PERMISSION = "articles.import_articles"
NO_DASHBOARD = "The dashboard is for Editors and staff. Ask an administrator to add you to Editors."


def can_view_dashboard(user) -> bool:
    """True for active superusers and Editors (who hold ``articles.import_articles``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(EDITOR_PERMISSION)
