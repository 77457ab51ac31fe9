"""The ClaimReview export's renderer; the record itself comes from publishing.claimreview, the
builder the public fact-check page uses, so both give the same JSON-LD with the same url."""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
