from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from articles.importing import ImportRejection, fetch_url, read_bytes, read_text, read_url
from articles.importing.formats import Limits
from articles.importing.text import canonical_url
from articles.importing.types import format_size
from articles.models import Article, ArticleProposalChange
from articles.proposal_queue import article_rerun_proposal
from articles.services import CREATED, DUPLICATE, REJECTED, articles_import_batch


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ArticleImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text="Text, Markdown, HTML, JSON, JSON Lines, RSS/Atom or .zip; several at once.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 90}),
        label="Paste text",
        help_text="A first short line (or a “Title:” line) becomes the title.",
    )
    title = forms.CharField(required=False, max_length=500, label="Title of pasted text")
    url = forms.CharField(required=False, max_length=2000, label="URL of pasted text")
    urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 90}),
        label="URLs",
        help_text="Pages or RSS/Atom feeds, one per line.",
    )
    source = forms.CharField(
        required=False, max_length=200, help_text="Outlet, for items that do not name one."
    )
    propose = forms.BooleanField(required=False, initial=True, label="Propose claims")

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not canonical_url(url):
            raise forms.ValidationError("Enter a valid http(s) URL.")
        return url

    def clean(self):
        data = super().clean()
        if not (
            data.get("files") or (data.get("text") or "").strip() or data.get("urls", "").strip()
        ):
            raise forms.ValidationError("Upload a file, paste text or enter a URL.")
        return data


class ArticleProposalChangeInline(admin.TabularInline):
    """The article's proposal history: every state change, written by proposal_state."""

    model = ArticleProposalChange
    fields = ("at", "from_state", "to_state", "attempt", "actor", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "proposal state change"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "source",
        "published_at",
        "language",
        "proposal_state",
        "imported_at",
    )
    list_filter = ("proposal_state", "source", "language")
    search_fields = ("title", "url", "author", "source")
    date_hierarchy = "imported_at"
    readonly_fields = (
        "content_hash",
        "imported_by",
        "imported_at",
        "proposal_state",
        "proposal_error",
        "proposal_attempts",
        "proposal_queued_at",
        "proposal_started_at",
        "proposal_finished_at",
        "proposal_duration",
        "proposal_scorer",
        "proposed_claim_count",
        "link",
    )
    fieldsets = (
        (
            None,
            {"fields": ("title", "source", "url", "link", "author", "published_at", "language")},
        ),
        ("Text", {"fields": ("body", "content_hash")}),
        ("Import", {"fields": ("imported_by", "imported_at")}),
        (
            "Claim proposal",
            {
                "fields": (
                    "proposal_state",
                    "proposal_error",
                    "proposal_attempts",
                    "proposal_queued_at",
                    "proposal_started_at",
                    "proposal_finished_at",
                    "proposal_duration",
                    "proposal_scorer",
                    "proposed_claim_count",
                )
            },
        ),
    )
    # The claims app adds its claims inline and count (claims.article_admin).
    inlines = [ArticleProposalChangeInline]
    actions = ["rerun_proposal"]
    change_list_template = "admin/articles/article/change_list.html"
    # Django 6 makes https the default scheme for typed-in URLs; opt in now (no warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(csrf_exempt(self.import_request)),
                name="articles_article_import",
            ),
        ]
        return urls + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        """ "Add article" opens the import page, where pasted text gets the import's checks.

        A hand-made article must be normalised, hashed and duplicate-checked like any other,
        and queued for claim proposal; the import page's paste field does all of that (with
        Title:/Author:/Date: lines for metadata), so there is one way in, not two.
        """
        if not self.has_import_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:articles_article_import"))

    def has_add_permission(self, request):
        return self.has_import_permission(request)

    def import_request(self, request):
        """The import page; a body over the upload limits gets the page with a message."""
        # The CSRF check reads the form, and a form over DATA_UPLOAD_MAX_MEMORY_SIZE (or with
        # too many files) then fails with a bare 400 page. Read it here first, so an editor
        # who pasted a book learns why; the check itself runs right after, in import_view.
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parses the body
                request.FILES  # noqa: B018
            except (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent) as exc:
                return self._refused(request, exc)
        return csrf_protect(self.import_view)(request)

    def _refused(self, request, exc):
        sent = format_size(int(request.META.get("CONTENT_LENGTH") or 0))
        if isinstance(exc, RequestDataTooBig):
            limit = format_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            message = (
                f"The form was not imported: pasted text and fields may total {limit}, and "
                f"this form sent {sent}. Save a long text as a .txt file and upload it "
                f"(files may be up to {format_size(settings.IMPORT_MAX_BYTES)} each)."
            )
        elif isinstance(exc, TooManyFilesSent):
            message = (
                f"The form was not imported: at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} "
                "files per upload. Upload fewer at a time, or put them in a .zip archive."
            )
        else:
            message = (
                "The form was not imported: it sent more than "
                f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields."
            )
        context = self._import_context(request)
        context.update(form=ArticleImportForm(), refused=message)
        return TemplateResponse(
            request,
            "admin/articles/import.html",
            context,
            status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )

    def _import_context(self, request):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
            "changelist_url": reverse("admin:articles_article_changelist"),
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm("articles.import_articles")

    def import_view(self, request):
        """Upload files, paste text or enter URLs; shows what was imported, duplicate, rejected."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = self._import_context(request)
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            outcomes = articles_import_batch(
                self._import_items(form.cleaned_data),
                imported_by=request.user,
                propose=form.cleaned_data["propose"],
                default_source=form.cleaned_data["source"],
            )
            context.update(
                created=[o for o in outcomes if o.status == CREATED],
                duplicates=[o for o in outcomes if o.status == DUPLICATE],
                rejected=[o for o in outcomes if o.status == REJECTED],
            )
            return TemplateResponse(request, "admin/articles/import_result.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/articles/import.html", context)

    @staticmethod
    def _import_items(data):
        limits = Limits.from_settings()
        source = data["source"]
        for upload in data["files"]:
            cap = limits.cap_for(upload.name)
            if upload.size > cap:
                # Checked before reading: the upload sits in a temp file, not in memory.
                yield ImportRejection(
                    origin=upload.name, reason=f"larger than the {format_size(cap)} limit"
                )
                continue
            yield from read_bytes(
                upload.read(), name=upload.name, source=source, fetch=fetch_url, limits=limits
            )
        if data["text"].strip():
            yield read_text(data["text"], title=data["title"], source=source, url=data["url"])
        for line in data["urls"].splitlines():
            if line.strip():
                yield from read_url(line.strip(), fetch=fetch_url, source=source, limits=limits)

    @admin.display(description="duration (ms)")
    def proposal_duration(self, obj):
        return obj.proposal_duration_ms

    @admin.display(description="open")
    def link(self, obj):
        if not obj.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    def get_readonly_fields(self, request, obj=None):
        # The body is what claim offsets point into: editing it in place would orphan them.
        if obj is not None:
            return (*self.readonly_fields, "body")
        return self.readonly_fields

    @admin.action(description="Re-run claim proposal", permissions=["rerun"])
    def rerun_proposal(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for article_id in ids:
            article_rerun_proposal(article_id=article_id, user=request.user)
        self.message_user(
            request, f"Queued claim proposal for {len(ids)} article(s).", messages.SUCCESS
        )

    def has_rerun_permission(self, request):
        return request.user.has_perm("articles.rerun_proposal")
