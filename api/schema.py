"""drf-spectacular additions: the token scheme (imported in AppConfig.ready) and the
constraints the generated schema misses, so the schema says exactly what the API accepts
(tests/api/test_schema_contract.py holds every operation to it with schemathesis).
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.fields import HTTP_URL_PATTERN
from api.pagination import MAX_PAGE
from factcheck.parsing import MAX_ID, MAX_INT32

# ?page_size= on the endpoints that page without the paginator's own description.
PAGE_SIZE_PARAMETER = OpenApiParameter(
    "page_size", OpenApiTypes.INT, description="Rows per page (default 50, at most 200)."
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>` (or `Bearer <key>`). Create a key in the admin or with "
                "`python manage.py create_api_token NAME --scope read|review|import|admin`."
            ),
        }


# Query parameters whose bounds drf-spectacular does not derive (pagination, django-filter).
QUERY_BOUNDS = {
    "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    # Sizes over API_MAX_PAGE_SIZE are cut to it; past a bigint they are garbage.
    "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "article": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "min_score": {"type": "number", "minimum": 0, "maximum": 1},
}
# What expected_version accepts: "*" or the ETag, weak or strong.
IF_MATCH_PATTERN = r'^(\*|(W/)?"[1-9][0-9]{0,8}")$'
NO_NUL_PATTERN = "^[^\\u0000]*$"
# Bodies whose version the API requires unless If-Match carries it.
VERSIONED_BODIES = ("ReviewRequestRequest", "AssignRequestRequest")


def postprocess(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: tighten the generated schema to what the API accepts."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method == "post" and "requestBody" in operation:
                # Every POST that takes a body needs one (an empty request is a 400).
                operation["requestBody"]["required"] = True
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    bounds = QUERY_BOUNDS.get(parameter["name"], {})
                    parameter["schema"] = {**parameter["schema"], **bounds}
                    # `?updated_after=` is the same as leaving it out (django-filter, DRF); an
                    # empty choice in a list (`?status=`) is not.
                    if parameter["schema"].get("type") != "array":
                        parameter["allowEmptyValue"] = True
                elif parameter["in"] == "header" and parameter["name"] == "If-Match":
                    parameter["schema"] = {"type": "string", "pattern": IF_MATCH_PATTERN}
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        # Article items are read by the importer, which cleans control characters instead.
        if name.endswith("Request") and name != "ArticleImportItemRequest":
            for field in component.get("properties", {}).values():
                if field.get("type") == "string" and not {"format", "pattern", "enum"} & set(field):
                    # DRF refuses NUL characters in every string field (PostgreSQL cannot
                    # store them).
                    field["pattern"] = NO_NUL_PATTERN
    for name in VERSIONED_BODIES:
        body = schemas.get(name)
        if body is not None:
            body["required"] = sorted({*body.get("required", []), "version"})
            body["properties"]["version"]["maximum"] = MAX_INT32
    item = schemas.get("ArticleImportItemRequest", {}).get("properties", {})
    if "url" in item:
        item["url"]["pattern"] = f"^$|{HTTP_URL_PATTERN}"
    if "published_at" in item:
        # The importer reads "" as "not given", as it does for the other optional fields.
        item["published_at"] = {
            "nullable": True,
            "oneOf": [
                {"type": "string", "format": "date-time"},
                {"type": "string", "maxLength": 0},
            ],
            "description": item["published_at"].get("description", ""),
        }
    # An article without a canonical URL has url "", which is no URI.
    for name in ("Article", "ArticleDetail"):
        url = schemas.get(name, {}).get("properties", {}).get("url")
        if url is not None:
            url.pop("format", None)
            url["description"] = "The canonical URL; empty when the article has none."
    # In a list, each item is checked on its own and reported in `results` (the good ones are
    # imported), so a list of anything is a valid request.
    bulk = schemas.get("ArticleImportRequestRequest")
    if bulk is not None:
        bulk["oneOf"][1] = {
            "type": "array",
            "minItems": 1,
            "maxItems": settings.IMPORT_BULK_LIMIT,
            "items": {},
            "description": "Articles as ArticleImportItemRequest; each is reported on its own.",
        }
    return result
