from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (/api/v1/): plumbing, serializers and views over the other apps; no models."""

    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Registers the OpenAPI description of the token authentication with drf-spectacular.
        from api import schema  # noqa: F401
