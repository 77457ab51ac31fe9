"""URLs of the public fact-check pages and the desk's publishing actions (site root)."""

from django.urls import path

from publishing import desk, views

app_name = "publishing"

urlpatterns = [
    # Public: no login, read-only, cacheable.
    path("fact-checks/<int:claim_id>/", views.fact_check, name="fact_check"),
    path("fact-checks/articles/<int:article_id>/", views.article_fact_checks, name="article"),
    path("fact-checks/articles/<int:article_id>/embed/", views.article_embed, name="embed"),
    path("oembed", views.oembed, name="oembed"),
    # The desk.
    path("claims/<int:claim_id>/publish/", desk.claim_publish, name="publish"),
    path("claims/<int:claim_id>/unpublish/", desk.claim_unpublish, name="unpublish"),
    path("corrections/", desk.corrections, name="corrections"),
    path("corrections/<int:task_id>/close/", desk.correction_close, name="correction_close"),
]
