from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        from claims import nav
        from claims.deadlines import on_claim_status_changed
        from claims.signals import claim_status_changed

        # Claims' own reaction runs first (its ready() precedes matching's and integrations'):
        # a verdict's re-check date is stored before anyone else reads the claim.
        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="claims.deadlines.on_claim_status_changed"
        )
        nav.register()
