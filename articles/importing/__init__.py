"""Reading articles from files, pasted text, URLs, feeds and archives (no database needed).

Readers yield one ``ArticleDraft`` or ``ImportRejection`` per item; ``articles.services``
writes the drafts. ``fetch.fetch_url`` is the only way the importer touches the network.
"""

from articles.importing.fetch import FetchedDocument, FetchError, fetch_url
from articles.importing.prepare import PreparedArticle, prepare_draft
from articles.importing.readers import (
    Limits,
    draft_from_mapping,
    read_bytes,
    read_inputs,
    read_path,
    read_text,
    read_url,
)
from articles.importing.types import ArticleDraft, ImportFailure, ImportRejection, ReadResult

__all__ = [
    "ArticleDraft",
    "FetchError",
    "FetchedDocument",
    "ImportFailure",
    "ImportRejection",
    "Limits",
    "PreparedArticle",
    "ReadResult",
    "draft_from_mapping",
    "fetch_url",
    "prepare_draft",
    "read_bytes",
    "read_inputs",
    "read_path",
    "read_text",
    "read_url",
]
