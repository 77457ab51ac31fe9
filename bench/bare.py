"""A bare Django JSON view of the same 50 rows as ``/api/v1/claims/?status=proposed``.

No DRF, no authentication, no serializer, no count: the floor the API's throughput is
compared with (issue 7 asks for at least half of it).
"""

from django.http import JsonResponse

from api.claims.rows import CLAIM_COLUMNS
from claims.models import Claim

# The API rows' own columns (api.claims.rows.CLAIM_COLUMNS) and the two timestamps.
FIELDS = (*CLAIM_COLUMNS, "created_at", "updated_at")


def bare_claims(request):
    status = request.GET.get("status", "proposed")
    rows = list(
        Claim.objects.filter(status=status)
        .order_by("-score", "created_at", "id")
        .values(*FIELDS)[:50]
    )
    return JsonResponse({"results": rows})
