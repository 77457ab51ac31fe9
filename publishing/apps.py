from django.apps import AppConfig

from claims.signals import claim_status_changed


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Public fact-checks and corrections"

    def ready(self) -> None:
        # Registered with the Celery app now, not at autodiscovery: the email is queued by
        # name, and in eager mode (no broker) only a registered task runs in-process.
        import publishing.tasks  # noqa: F401
        from factcheck.navigation import register_nav_item
        from publishing.selectors import can_see_corrections, open_correction_task_count
        from publishing.services import on_claim_status_changed

        # Inside claim_set_status's transaction: a correction commits with the verdict change.
        claim_status_changed.connect(
            on_claim_status_changed, dispatch_uid="publishing.services.on_claim_status_changed"
        )
        register_nav_item(
            "corrections",
            label="Corrections to make",
            url_name="publishing:corrections",
            order=50,
            count=lambda user: open_correction_task_count(),
            visible=can_see_corrections,
        )
