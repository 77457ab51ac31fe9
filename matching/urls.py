"""URLs of the match pages and actions (mounted at the site root, beside claims')."""

from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("claims/<int:claim_id>/inherit/", views.claim_inherit, name="inherit"),
    path("claims/<int:claim_id>/unlink/", views.match_unlink, name="unlink"),
    path("verdict-changed/", views.verdict_changed, name="verdict_changed"),
    path("claims/<int:claim_id>/keep/", views.rereview_resolve, name="rereview_resolve"),
    path("conflicts/", views.conflicts, name="conflicts"),
]
