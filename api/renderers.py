"""JSON rendering for the API through orjson, with the values DRF's renderer writes.

DRF's ``JSONRenderer`` spends ~5 µs per claim row in the standard library's encoder, one of
the larger costs of a list page. orjson writes the same JSON several times faster. The
drf-orjson-renderer package formats datetimes (microseconds, "+00:00") and other types its own
way, so responses would change; here every type orjson does not write as DRF does goes to
DRF's own encoder. Differences left: float spelling (``1e-7``, not ``1e-07``: the same
number) and non-finite floats, which our data never holds (orjson writes null where DRF
raises).
"""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

# Datetimes (DRF: milliseconds, "Z") and dataclasses go to DRF's encoder.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_default = JSONEncoder().default
# JSONRenderer escapes these two for JavaScript; orjson writes them as they are.
_LINE_SEPARATORS = (("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


class ORJSONRenderer(JSONRenderer):
    """``JSONRenderer`` with orjson for the compact, UTF-8 case (every API response)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if (
            self.get_indent(accepted_media_type, renderer_context)
            or self.encoder_class is not JSONEncoder
            or self.ensure_ascii
            or not self.compact
            or not self.strict
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            out = orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            # What orjson refuses (integers past 64 bits, NaN passed by DRF's encoder...):
            # the standard encoder says what is wrong, as before.
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in out:
                out = out.replace(raw, escaped)
        return out
