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
