from django.contrib import admin
from django.urls import include, path

from factcheck import health

admin.site.site_header = "factcheck"
admin.site.site_title = "factcheck admin"
admin.site.index_title = "Newsroom fact-check desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Probes; HealthCheckMiddleware answers these before host checks, the routes name them.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(("api.urls", "api"), namespace="api")),
    path("dashboard/", include("dashboard.urls")),
    # The reviewer workspace: triage queue at "/", claim and article pages.
    path("", include("claims.urls")),
    path("", include("matching.urls")),
    # Public fact-check pages, oEmbed, publish actions and the corrections queue.
    path("", include("publishing.urls")),
    path("", include("notifications.urls")),
]
