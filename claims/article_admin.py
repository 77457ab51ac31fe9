"""The article admin with the article's claims: registered by claims, which articles never imports.

The articles app registers its own ArticleAdmin (import, proposal state and history, re-run);
claims swaps in this subclass, which adds the claims inline and the claim count column.
"""

from django.contrib import admin
from django.db.models import Count

from articles.admin import ArticleAdmin
from articles.models import Article
from claims.models import Claim


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("text", "start", "end", "score", "claim_type", "claimer", "status", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("start",)

    def has_add_permission(self, request, obj=None):
        # Claims come from the proposal pipeline, with offsets that must match the body.
        return False


class ArticleWithClaimsAdmin(ArticleAdmin):
    """ArticleAdmin plus the article's claims (inline) and their count (list column)."""

    list_display = tuple(
        name
        for column in ArticleAdmin.list_display
        for name in ((column, "claim_count") if column == "proposal_state" else (column,))
    )
    inlines = [ClaimInline, *ArticleAdmin.inlines]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_claim_count=Count("claims"))

    @admin.display(description="claims", ordering="_claim_count")
    def claim_count(self, obj):
        return obj._claim_count


def register() -> None:
    """Swap the articles app's ArticleAdmin for this one (articles' admin loads first)."""
    if not admin.site.is_registered(Article):
        admin.site.register(Article, ArticleWithClaimsAdmin)
        return
    # In place rather than unregister() + register(): the article admin keeps its place in
    # the registry, so the admin's app order and URL patterns stay as they were.
    admin.site._registry[Article] = ArticleWithClaimsAdmin(Article, admin.site)
