"""The API's JSON body parser: a body nested too deeply is a 400, not a RecursionError 500."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONBodyParser(JSONParser):
    """DRF's JSONParser, answering 400 for JSON nested deeper than Python's parser can go.

    ``json`` recurses once per level of nesting; ``[[[[...]]]]`` 100,000 levels deep (a few
    hundred kilobytes) raises RecursionError, which DRF does not catch.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "JSON parse error - the JSON is nested too deeply (objects and lists "
                "inside each other thousands of levels deep)."
            ) from None
