"""Matches and clusters: claims in different articles that state the same fact."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.matches.schema import cluster_schema
from api.matches.selectors import claim_match_rows
from api.matches.serializers import ClusterSerializer
from api.permissions import READ
from factcheck.parsing import parse_int
from matching.selectors import cluster_as_dict, match_entry


class ClaimMatchesMixin:
    """GET /claims/{id}/matches/: every active match of a claim, paginated (ClaimViewSet)."""

    @action(detail=True, methods=["get"], filterset_class=None)
    def matches(self, request, pk=None):
        claim = self.get_object()
        page = self.paginate_queryset(claim_match_rows(claim_id=claim.pk))
        results = []
        for row in page:
            mine_first = row["claim_id"] == claim.pk
            other = row["other_id"] if mine_first else row["claim_id"]
            article = row["other__article_id"] if mine_first else row["claim__article_id"]
            results.append(
                match_entry(
                    other, article, row["similarity"], row["relation"], claim.inherited_from_id
                )
            )
        return self.get_paginated_response(results)


@cluster_schema
class ClusterViewSet(viewsets.ViewSet):
    """Clusters: claims in different articles that state the same fact."""

    read_permission = "claims.view_claim"
    capabilities = {"retrieve": READ}
    lookup_value_regex = r"\d+"

    def retrieve(self, request, pk=None):
        cluster_id = parse_int(pk)
        if cluster_id is None:
            raise NotFound()
        data = cluster_as_dict(cluster_id=cluster_id)
        if data is None:
            raise NotFound()
        return Response(ClusterSerializer(data).data)
