from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from claims import selectors
        from claims.views.common import can_review
        from factcheck.navigation import register_nav_item

        # Verdicts another reviewer submitted, waiting for this one's approval or send-back.
        register_nav_item(
            "awaiting-approval",
            label="Awaiting approval",
            url_name="claims:approvals",
            order=30,
            count=lambda user: selectors.awaiting_approval_count(user=user),
            visible=can_review,
        )
