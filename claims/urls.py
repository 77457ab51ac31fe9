"""URLs of the reviewer workspace (mounted at the site root)."""

from django.urls import path

from claims import views
from claims.views import saved

app_name = "claims"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("recheck/", views.recheck, name="recheck"),
    path("views/", saved.saved_view_create, name="saved_view_create"),
    path("views/<int:view_id>/delete/", saved.saved_view_delete, name="saved_view_delete"),
    path("claims/bulk/", views.bulk_action, name="bulk"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/status/", views.claim_set_status, name="set_status"),
    path("claims/<int:claim_id>/assign/", views.claim_assign, name="assign"),
    path("claims/<int:claim_id>/evidence/", views.claim_add_evidence, name="add_evidence"),
    path(
        "claims/<int:claim_id>/attribution/",
        views.claim_correct_attribution,
        name="correct_attribution",
    ),
    path("claims/<int:claim_id>/approve/", views.approval_approve, name="approve"),
    path("claims/<int:claim_id>/send-back/", views.approval_send_back, name="send_back"),
    path("claims/<int:claim_id>/undo/", views.claim_undo, name="undo"),
    path("approvals/", views.approvals, name="approvals"),
    path("articles/<int:article_id>/", views.article_detail, name="article"),
    path("articles/<int:article_id>/rerun/", views.article_rerun, name="article_rerun"),
]
