"""Reading the training JSONL: rows, their debate context, file digests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from extraction.types import ScoringItem

CB_SOURCE = "claimbuster_train"
CLEF_SOURCE = "clef19_train"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_rows(path: Path) -> list[dict]:
    """Read the training JSONL (id, text, label, source, [group, line_number, speaker])."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def doc_items(rows: Sequence[dict]) -> list[ScoringItem]:
    """ScoringItems with neighbours/position for rows grouped by ``group`` in file order."""
    by_group: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_group.setdefault(r["group"], []).append(i)
    items: list[ScoringItem | None] = [None] * len(rows)
    for group, idx in by_group.items():
        for k, i in enumerate(idx):
            items[i] = ScoringItem(
                text=rows[i]["text"],
                doc=group,
                speaker=rows[i].get("speaker"),
                prev_text=rows[idx[k - 1]]["text"] if k > 0 else None,
                next_text=rows[idx[k + 1]]["text"] if k + 1 < len(idx) else None,
                position=k,
                doc_length=len(idx),
            )
    return items  # type: ignore[return-value]
