from django.apps import AppConfig

from claims.signals import claim_correction, claim_status_changed, claim_verdict_expired


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations (API tokens, webhooks)"

    def ready(self) -> None:
        from integrations.webhooks import (
            on_claim_correction,
            on_claim_status_changed,
            on_claim_verdict_expired,
        )

        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="integrations.webhooks.on_claim_status_changed"
        )
        claim_verdict_expired.connect(
            on_claim_verdict_expired, dispatch_uid="integrations.webhooks.on_claim_verdict_expired"
        )
        claim_correction.connect(
            on_claim_correction, dispatch_uid="integrations.webhooks.on_claim_correction"
        )
