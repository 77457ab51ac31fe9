"""The app's URLs plus ``/bench/bare/claims/``, the bare Django view the API is compared with."""

from django.urls import path

from bench.bare import bare_claims
from factcheck.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("bench/bare/claims/", bare_claims), *app_urlpatterns]
