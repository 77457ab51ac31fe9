"""The articles API: list, detail with a claims summary, import (one or bulk), re-run proposal.

The OpenAPI description is in api.articles.schema.
"""

from __future__ import annotations

from django.db.models import Count
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.articles.filters import ArticleFilter
from api.articles.schema import article_schema
from api.articles.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ProposeResultSerializer,
)
from api.permissions import IMPORT, READ, RERUN, acting_user
from articles.models import Article
from articles.proposal_queue import article_rerun_proposal
from articles.services import article_import_payload
from claims.models import Claim
from integrations.models import ApiToken
from matching.state import article_matching_status


@article_schema
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = ArticleFilter
    read_permission = "articles.view_article"
    capabilities = {"list": READ, "retrieve": READ, "create": IMPORT, "propose": RERUN}

    def get_queryset(self):
        queryset = Article.objects.select_related("imported_by").order_by("-imported_at", "-id")
        if self.action != "retrieve":
            queryset = queryset.defer("body", "sentence_scores")
        return queryset

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        counts = dict(
            Claim.objects.filter(article_id=article.pk)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        context = {
            **self.get_serializer_context(),
            "claims_summary": counts,
            "matching": article_matching_status(article_id=article.pk),
        }
        return Response(ArticleDetailSerializer(article, context=context).data)

    def create(self, request, *args, **kwargs):
        payload = request.data
        single = isinstance(payload, dict)
        if single:
            items = [payload]
        elif isinstance(payload, list) and payload:
            items = payload
        else:
            raise ValidationError(
                {"non_field_errors": ["Send one article object or a non-empty list of them."]}
            )
        outcomes = article_import_payload(items, imported_by=acting_user(request))
        entries = [o.as_api_dict(None if single else i) for i, o in enumerate(outcomes)]
        if single:
            entry = entries[0]
            if entry["status"] == "error":
                raise ValidationError(entry["errors"])
            code = status.HTTP_201_CREATED if entry["status"] == "created" else status.HTTP_200_OK
            return Response(entry, status=code)
        tally = {
            s: sum(e["status"] == s for e in entries) for s in ("created", "duplicate", "error")
        }
        return Response(
            {
                "created": tally["created"],
                "duplicates": tally["duplicate"],
                "errors": tally["error"],
                "results": entries,
            }
        )

    @action(detail=True, methods=["post"], filterset_class=None)
    def propose(self, request, pk=None):
        article = self.get_object()
        # A token's scope already allowed this; the service checks a signed-in user's role.
        user = None if isinstance(request.auth, ApiToken) else acting_user(request)
        article = article_rerun_proposal(article_id=article.pk, user=user)
        return Response(ProposeResultSerializer(article).data, status=status.HTTP_202_ACCEPTED)
