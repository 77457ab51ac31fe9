"""Matches and clusters: claims in different articles that state the same fact."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.matches.schema import cluster_schema
from api.matches.selectors import claim_match_rows
from api.matches.serializers import ClusterSerializer, MatchDecisionRequestSerializer
from api.permissions import READ, acting_user
from factcheck.parsing import parse_int
from matching.decisions import conflict_dismiss, match_confirm, match_reject
from matching.selectors import cluster_as_dict, match_detail_entry
from matching.verdicts import claim_unlink_match

# The decisions a reviewer posts, by their URL name (all but confirm need a reason).
DECISIONS = {
    "confirm": match_confirm,
    "reject": match_reject,
    "unlink": claim_unlink_match,
    "not-a-conflict": conflict_dismiss,
}


class ClaimMatchesMixin:
    """A claim's matches (ClaimViewSet): GET /claims/{id}/matches/, every active match with its
    state and explanation, paginated; POST /claims/{id}/matches/{match}/{decision}/, a
    reviewer's decision (confirm, reject, unlink, not-a-conflict) with its reason."""

    @action(detail=True, methods=["get"], filterset_class=None)
    def matches(self, request, pk=None):
        claim = self.get_object()
        page = self.paginate_queryset(claim_match_rows(claim_id=claim.pk))
        results = [
            match_detail_entry(row, claim_id=claim.pk, inherited_from=claim.inherited_from_id)
            for row in page
        ]
        return self.get_paginated_response(results)

    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        pagination_class=None,
        url_path=(
            r"matches/(?P<match_id>[0-9]{1,18})/"
            r"(?P<decision>confirm|reject|unlink|not-a-conflict)"
        ),
        url_name="match-decision",
    )
    def match_decision(self, request, pk=None, match_id=None, decision=None):
        claim = self.get_object()
        body = MatchDecisionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = (
            claim_match_rows(claim_id=claim.pk, active_only=False)
            .filter(pk=parse_int(match_id))
            .exists()
        )
        if not found:
            raise NotFound("No such match for this claim.")
        DECISIONS[decision](
            match_id=int(match_id),
            user=acting_user(request),
            reason=body.validated_data.get("reason", ""),
        )
        row = claim_match_rows(claim_id=claim.pk, active_only=False).get(pk=int(match_id))
        return Response(
            match_detail_entry(row, claim_id=claim.pk, inherited_from=claim.inherited_from_id)
        )


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
