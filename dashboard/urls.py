"""URLs of the editors' dashboard (mounted at /dashboard/)."""

from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:series>/", views.dashboard_csv, name="csv"),
]
