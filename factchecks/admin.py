"""Admin for the archive: editors import from a file or a URL; every row is read-only here."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.importing.types import format_size
from claims.admin import ReadOnlyAdmin
from factchecks.models import ArticleArchiveMatching, FactCheck, FactCheckHit, FactCheckImport
from factchecks.services import fact_checks_import, fact_checks_import_url
from factchecks.tasks import publish_archive_matching

IMPORT_PERMISSION = "articles.import_articles"


class FactCheckImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="ClaimReview JSON-LD (.json, .jsonld, or an .html page), CSV or JSON Lines.",
    )
    url = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A page, file or feed of ClaimReview JSON-LD, a CSV or a JSON Lines file.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError("Upload a file or enter a URL (one of the two).")
        upload = data.get("file")
        if upload and upload.size > settings.FACT_CHECK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {format_size(upload.size)}, over the "
                f"{format_size(settings.FACT_CHECK_IMPORT_MAX_BYTES)} limit "
                "(FACT_CHECK_IMPORT_MAX_BYTES)."
            )
        return data


@admin.register(FactCheckImport)
class FactCheckImportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "source", "format", "state", "created", "updated", "rejected")
    list_filter = ("state", "via", "format")
    list_select_related = ("imported_by",)
    readonly_fields = (
        "created_at", "imported_by", "via", "source", "format", "state", "created", "updated",
        "unchanged", "rejected", "error", "errors",
    )  # fmt: skip

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._may_import(request)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._may_import(request)

    def _may_import(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="factchecks_factcheckimport_import",
            )
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self._may_import(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        """Upload a file or fetch a URL; then the import's record shows what landed."""
        if not self._may_import(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = FactCheckImportForm(request.POST, request.FILES) if posted else FactCheckImportForm()
        if posted and form.is_valid():
            if form.cleaned_data["file"]:
                upload = form.cleaned_data["file"]
                record = fact_checks_import(
                    data=upload.read(), source=upload.name, via="admin", imported_by=request.user
                )
            else:
                record = fact_checks_import_url(
                    url=form.cleaned_data["url"], via="admin", imported_by=request.user
                )
            if record.state == FactCheckImport.State.FAILED:
                self.message_user(request, f"Nothing imported: {record.error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Imported {record.accepted} fact-check(s): {record.created} new, "
                    f"{record.updated} updated, {record.unchanged} unchanged; "
                    f"{record.rejected} row(s) rejected.",
                    messages.WARNING if record.rejected else messages.SUCCESS,
                )
            return HttpResponseRedirect(
                reverse("admin:factchecks_factcheckimport_change", args=[record.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import fact-checks",
            "form": form,
            "max_bytes": format_size(settings.FACT_CHECK_IMPORT_MAX_BYTES),
            "changelist_url": reverse("admin:factchecks_factcheckimport_changelist"),
        }
        return TemplateResponse(request, "admin/factchecks/import.html", context)


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    list_display = ("claim", "author", "rating", "published_on", "language", "updated_at")
    list_filter = ("language", "author")
    search_fields = ("claim", "title", "external_id", "url")
    raw_id_fields = ("source_import",)


@admin.register(FactCheckHit)
class FactCheckHitAdmin(ReadOnlyAdmin):
    list_display = ("claim", "fact_check", "score", "created_at")
    list_select_related = ("claim", "fact_check")
    raw_id_fields = ("claim", "fact_check")


@admin.register(ArticleArchiveMatching)
class ArticleArchiveMatchingAdmin(ReadOnlyAdmin):
    list_display = ("article", "state", "attempts", "updated_at", "error")
    list_filter = ("state",)
    list_select_related = ("article",)
    actions = ["retry"]

    @admin.action(description="Match the articles' claims against the archive again")
    def retry(self, request, queryset):
        ids = list(queryset.values_list("article_id", flat=True))
        for article_id in ids:
            publish_archive_matching(article_id)
        self.message_user(request, f"Queued archive matching for {len(ids)} article(s).")
