from django.apps import AppConfig

from claims.signals import claims_proposed


class FactChecksConfig(AppConfig):
    name = "factchecks"
    verbose_name = "Fact-check archive"

    def ready(self) -> None:
        from factchecks.tasks import on_claims_proposed

        # Connected here so claims never imports factchecks: proposal's transaction queues the
        # archive lookup for the article's new claims once it commits.
        claims_proposed.connect(on_claims_proposed, dispatch_uid="factchecks.on_claims_proposed")
