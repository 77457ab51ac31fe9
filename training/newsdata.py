"""Reading the labelled news articles and the NewsSD subjectivity sentences.

``training/data/news/articles.jsonl`` (see its GUIDELINES.md): one article a line with
``id``, ``split`` ("dev"/"test"), ``source``, ``byline`` and ``paragraphs`` of labelled
sentences (``text``, ``checkworthy``, ``class``, ``claim_type``, ``claimer``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NEWS_DATA = REPO_ROOT / "training" / "data" / "news" / "articles.jsonl"
SHARED_DIR = Path(os.environ.get("FACTCHECK_SHARED_DIR") or REPO_ROOT.parent / "shared")
SUBJECTIVITY_DIR = SHARED_DIR / "data" / "subjectivity"

# The content sentences a fact-checker would not check: #17 wants at most 20% proposed.
CONTENT_CLASSES = ("opinion", "analysis", "speculation", "aim", "praise", "vague")


class NewsDataError(ValueError):
    """A line of a data file that does not follow its schema."""


def load_articles(path: Path) -> list[dict]:
    """Read the articles; a bad line is an error naming the file, line and field."""
    articles = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{Path(path).name}:{number}"
        try:
            article = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NewsDataError(f"{where}: not JSON ({exc.msg})") from exc
        for key in ("id", "split", "source", "paragraphs"):
            if key not in article:
                raise NewsDataError(f"{where}: missing field {key!r}")
        for paragraph in article["paragraphs"]:
            for sentence in paragraph:
                if not str(sentence.get("text", "")).strip():
                    raise NewsDataError(f"{where} ({article['id']}): a sentence has no text")
                if not isinstance(sentence.get("checkworthy"), bool):
                    raise NewsDataError(
                        f"{where} ({article['id']}): 'checkworthy' must be true or false "
                        f"in {sentence['text'][:40]!r}"
                    )
        articles.append(article)
    return articles


def sentence_rows(articles: list[dict], *, split: str) -> list[dict]:
    """One dict per labelled sentence of ``split``, with its article id."""
    return [
        {"article": a["id"], **s}
        for a in articles
        if a["split"] == split
        for paragraph in a["paragraphs"]
        for s in paragraph
    ]


def build_body(article: dict) -> tuple[str, list[tuple[int, int, dict]]]:
    """The body an editor would import (sentences joined by a space, paragraphs by a
    newline) and each labelled sentence's (start, end, label) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int, dict]] = []
    pos = 0
    for p, paragraph in enumerate(article["paragraphs"]):
        for s, sentence in enumerate(paragraph):
            sep = "\n" if p and not s else (" " if s else "")
            parts.append(sep)
            pos += len(sep)
            spans.append((pos, pos + len(sentence["text"]), sentence))
            parts.append(sentence["text"])
            pos += len(sentence["text"])
    return "".join(parts), spans


def load_subjectivity(path: Path) -> list[dict]:
    """NewsSD rows ``{"id", "text", "label": "OBJ"|"SUBJ"}``; other labels are an error."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in ("OBJ", "SUBJ") or not row.get("text"):
            raise NewsDataError(f"{Path(path).name}:{number}: needs text and label OBJ or SUBJ")
        rows.append(row)
    return rows
