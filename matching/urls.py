"""URLs of the match pages and actions (mounted at the site root, beside claims')."""

from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("claims/<int:claim_id>/inherit/", views.claim_inherit, name="inherit"),
    path("claims/<int:claim_id>/unlink/", views.match_decide, {"action": "unlink"}, name="unlink"),
    path(
        "claims/<int:claim_id>/matches/confirm/",
        views.match_decide,
        {"action": "confirm"},
        name="confirm",
    ),
    path(
        "claims/<int:claim_id>/matches/reject/",
        views.match_decide,
        {"action": "reject"},
        name="reject",
    ),
    path(
        "claims/<int:claim_id>/matches/not-a-conflict/",
        views.match_decide,
        {"action": "not_conflict"},
        name="not_conflict",
    ),
    path("verdict-changed/", views.verdict_changed, name="verdict_changed"),
    path("claims/<int:claim_id>/keep/", views.rereview_resolve, name="rereview_resolve"),
    path("conflicts/", views.conflicts, name="conflicts"),
]
