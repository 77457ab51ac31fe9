from django.apps import AppConfig

from claims.signals import claim_status_changed


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations (API tokens, webhooks)"

    def ready(self) -> None:
        # Registers the OpenAPI description of the token authentication with drf-spectacular.
        from integrations import schema  # noqa: F401
        from integrations.webhooks import on_claim_status_changed

        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="integrations.webhooks.on_claim_status_changed"
        )
