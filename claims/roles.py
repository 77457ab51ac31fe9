"""The newsroom roles and the permissions each group holds.

Staff (``is_staff``/superusers) are the only ones who delete; the groups below never get a
delete permission.
"""

EDITORS = "Editors"
REVIEWERS = "Reviewers"

GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EDITORS: [
        ("articles", "view_article"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "import_articles"),
        ("articles", "rerun_proposal"),
        ("claims", "view_claim"),
        ("claims", "view_claimstatuschange"),
        ("claims", "view_evidence"),
    ],
    REVIEWERS: [
        ("articles", "view_article"),
        ("claims", "view_claim"),
        ("claims", "change_claim"),
        ("claims", "review_claim"),
        ("claims", "view_claimstatuschange"),
        ("claims", "view_evidence"),
        ("claims", "add_evidence"),
    ],
}


def ensure_role_groups() -> None:
    """Create the role groups with their permissions if missing (the data migration's work).

    Tests that flush the database (transactional tests) remove what the migration created;
    this puts it back, with the same table.
    """
    from django.contrib.auth.models import Group, Permission

    for name, perms in GROUP_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created or not group.permissions.exists():
            for app_label, codename in perms:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
