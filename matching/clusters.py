"""Clusters: the connected components of "same" links, merged on link and split on unlink.

ClaimCluster rows belong to claims (``Claim.cluster`` points at them); matching is their only
writer, here, so the component logic stays next to the links it follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from claims.models import Claim, ClaimCluster
from matching.models import ClaimMatch, MatchRelation, MatchState


def cluster_union(a: int, b: int) -> None:
    """Put two linked claims in one cluster, merging their clusters if they had two."""
    pair = {c.pk: c for c in Claim.objects.filter(pk__in=(a, b)).only("id", "cluster_id")}
    ca, cb = pair[a].cluster_id, pair[b].cluster_id
    if ca is None and cb is None:
        cluster = ClaimCluster.objects.create()
        Claim.objects.filter(pk__in=(a, b)).update(cluster=cluster)
    elif ca is None or cb is None:
        Claim.objects.filter(pk__in=(a, b)).update(cluster_id=ca or cb)
    elif ca != cb:
        # Two workers merging overlapping clusters: lock both rows, lowest id first.
        keep, gone = sorted((ca, cb))
        list(ClaimCluster.objects.select_for_update().filter(pk__in=(keep, gone)).order_by("pk"))
        Claim.objects.filter(cluster_id=gone).update(cluster_id=keep)
        ClaimCluster.objects.filter(pk=gone).delete()
        ClaimCluster.objects.filter(pk=keep).update(updated_at=timezone.now())


def cluster_recompute(cluster_id: int) -> None:
    """Split a cluster into the connected components its remaining "same" links leave."""
    members = list(Claim.objects.filter(cluster_id=cluster_id).values_list("id", flat=True))
    edges = ClaimMatch.objects.filter(
        claim_id__in=members,
        other_id__in=members,
        relation=MatchRelation.SAME,
        state=MatchState.CONFIRMED,
        unlinked_at__isnull=True,
    )
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in edges.values_list("claim_id", "other_id"):
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[int] = set()
    components = []
    for start in sorted(members):
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node in component:
                continue
            component.add(node)
            stack.extend(neighbours[node] - component)
        seen |= component
        components.append(component)
    # The largest component keeps the cluster id; the others get new clusters or none.
    components.sort(key=lambda comp: (-len(comp), min(comp)))
    for i, component in enumerate(components):
        if len(component) < 2:
            Claim.objects.filter(pk__in=component).update(cluster=None)
        elif i > 0:
            Claim.objects.filter(pk__in=component).update(cluster=ClaimCluster.objects.create())
    prune_clusters([cluster_id])


def prune_clusters(cluster_ids: Iterable[int]) -> None:
    """Drop clusters left with fewer than two claims (a claim was deleted or unlinked)."""
    qs = ClaimCluster.objects.filter(pk__in=list(cluster_ids))
    lonely = list(qs.annotate(n=Count("claims")).filter(n__lt=2).values_list("pk", flat=True))
    if lonely:
        Claim.objects.filter(cluster_id__in=lonely).update(cluster=None)
        ClaimCluster.objects.filter(pk__in=lonely).delete()
