from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from claims import nav, selectors
        from claims.deadlines import on_claim_status_changed
        from claims.signals import claim_status_changed
        from claims.views.common import can_review
        from factcheck.navigation import register_nav_item

        # Claims' own reaction runs first (its ready() precedes matching's and integrations'):
        # a verdict's re-check date is stored before anyone else reads the claim.
        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="claims.deadlines.on_claim_status_changed"
        )
        nav.register()
        # Verdicts another reviewer submitted, waiting for this one's approval or send-back.
        register_nav_item(
            "awaiting-approval",
            label="Awaiting approval",
            url_name="claims:approvals",
            order=30,
            count=lambda user: selectors.awaiting_approval_count(user=user),
            visible=can_review,
        )
