"""URLs of the public REST API, mounted at /api/v1/ (namespace "api")."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from api.articles.views import ArticleViewSet
from api.claims.views import ClaimViewSet
from api.errors import not_found_view
from api.factchecks.views import FactCheckImportViewSet
from api.index import ApiIndexView
from api.matches.views import ClusterViewSet
from api.webhooks.views import WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("claims", ClaimViewSet, basename="claim")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("fact-check-imports", FactCheckImportViewSet, basename="fact-check-import")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    # Where everything is; public like the schema (URLs only, no data).
    path("", ApiIndexView.as_view(), name="index"),
    # The contract is public: anyone may read the schema and the docs (no data in them).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # The split view serves its script from a URL, not inline: the site's CSP forbids inline JS.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    *router.urls,
    # Anything else under /api/v1/ answers in the API's JSON error format, not an HTML page.
    re_path(r"^.*$", not_found_view),
]
