"""Fact-check archive retrieval: "has this claim been checked already, and by whom?".

Plain Python (numpy/scipy/sklearn), no Django:

- ``readers``: archive files (ClaimReview JSON-LD in a page or a .json/.jsonld file, CSV,
  JSON Lines) to ``FactCheck`` records plus per-row errors;
- ``index``: an ``ArchiveIndex`` over the records (lexical and embedding fields), saved to
  and loaded from one ``.npz`` file;
- ``ranker``: ``Ranker`` ranks the archive for a query text, a learned re-ranker over the
  lexical first stage's top candidates.
"""

from extraction.retrieval.index import ArchiveIndex
from extraction.retrieval.ranker import Ranker, default_ranker
from extraction.retrieval.readers import read_archive
from extraction.retrieval.records import FactCheck, ReadResult, RowError

__all__ = [
    "ArchiveIndex",
    "FactCheck",
    "Ranker",
    "ReadResult",
    "RowError",
    "default_ranker",
    "read_archive",
]
