"""The project package as an app, for its system checks."""

from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "factcheck"

    def ready(self) -> None:
        from factcheck import checks  # noqa: F401  (registers the checks)
