"""Evaluate the shipped claim proposer on the labelled news set (issue #17).

Run from the repository root:

    PYTHONPATH=$PWD .venv/bin/python training/evaluate_news.py [--split test] [--json out.json]

Each article of ``training/data/news/articles.jsonl`` is rebuilt as the body an editor would
import (sentences joined by a space, paragraphs by a newline) and goes through
``extraction.pipeline.propose`` exactly as the Celery task calls it, with the
article's ``source`` as the outlet. The pipeline segments the body itself, so its sentences
are aligned to the labelled ones by character offsets: a labelled sentence counts as
proposed if any pipeline sentence overlapping it is proposed, and takes the highest score
among them (the claimer and claim type come from the one that overlaps it most).

Figures per split: recall on check-worthy sentences, the share proposed of every
not-check-worthy class (the #17 target is the six content classes together), average
precision of the scores, boilerplate proposed, claimer accuracy (exact and normalised; the
gold claimer of an own-voice sentence is the outlet or the byline's agency) and claim-type
accuracy. With ``../shared/data/subjectivity/val.jsonl`` present, also the ROC AUC of the
scores for objective against subjective sentences and the share of subjective ones proposed.

Plain Python: no Django import, like the pipeline it measures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sklearn.metrics import average_precision_score, roc_auc_score

from extraction.pipeline import propose
from extraction.scoring import load_scorer
from extraction.types import Scorer, SentenceProposal

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "training" / "data" / "news" / "articles.jsonl"
SUBJECTIVITY = ROOT.parent / "shared" / "data" / "subjectivity" / "val.jsonl"

CHECKWORTHY_CLASSES = ("figure", "event", "quote-claim", "causal", "prediction-official")
# The content classes a fact-checker would not check: #17 wants at most 20% of them proposed.
CONTENT_CLASSES = ("opinion", "analysis", "speculation", "aim", "praise", "vague")
OTHER_CLASSES = ("question", "boilerplate", "background-trivial")
CLASSES = CHECKWORTHY_CLASSES + CONTENT_CLASSES + OTHER_CLASSES
CLAIM_TYPES = ("quantity", "event", "quote", "causal", "prediction", "other")
AGENCY = re.compile(r"\b(AFP|AP|Reuters|dpa|DPA|EFE|ANSA|Bloomberg|Xinhua|UPI|PA)\b")


@dataclass(slots=True)
class Row:
    """One labelled sentence with what the pipeline made of it."""

    article: str
    split: str
    text: str
    label: dict
    own_voice: bool
    proposed: bool = False
    score: float = 0.0
    claimer: str = ""
    claim_type: str = ""
    pieces: int = 0  # pipeline sentences overlapping this one


class DataError(ValueError):
    """A line of the data file that does not follow the schema."""


def load_articles(path: Path) -> list[dict]:
    """Read and check the articles file; a bad line is an error naming the line and field."""
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            article = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path.name}:{number}: not JSON ({exc.msg})") from exc
        _check_article(article, where=f"{path.name}:{number}")
        articles.append(article)
    return articles


def _check_article(article: dict, *, where: str) -> None:
    for key in ("id", "split", "source", "byline", "title", "published", "paragraphs"):
        if key not in article:
            raise DataError(f"{where}: missing field {key!r}")
    if article["split"] not in ("dev", "test"):
        raise DataError(f"{where}: split must be 'dev' or 'test', not {article['split']!r}")
    for p, paragraph in enumerate(article["paragraphs"]):
        for s, sentence in enumerate(paragraph):
            at = f"{where} ({article['id']}, paragraph {p}, sentence {s})"
            if not sentence.get("text", "").strip():
                raise DataError(f"{at}: empty text")
            if sentence.get("class") not in CLASSES:
                raise DataError(f"{at}: unknown class {sentence.get('class')!r}")
            checkworthy = sentence.get("class") in CHECKWORTHY_CLASSES
            if sentence.get("checkworthy") is not checkworthy:
                raise DataError(f"{at}: checkworthy does not match class {sentence['class']!r}")
            if checkworthy and sentence.get("claim_type") not in CLAIM_TYPES:
                raise DataError(f"{at}: bad claim_type {sentence.get('claim_type')!r}")
            if checkworthy and not sentence.get("claimer", "").strip():
                raise DataError(f"{at}: a check-worthy sentence needs a claimer")


def own_voice_claimer(article: dict) -> str:
    """Who states the article's unattributed sentences: the byline's agency, else the outlet."""
    match = AGENCY.search(article["byline"])
    return match.group(1) if match else article["source"]


def build_body(article: dict) -> tuple[str, list[tuple[int, int, dict]]]:
    """The article body and each labelled sentence's (start, end, label) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int, dict]] = []
    pos = 0
    for p, paragraph in enumerate(article["paragraphs"]):
        if p:
            parts.append("\n")
            pos += 1
        for s, sentence in enumerate(paragraph):
            if s:
                parts.append(" ")
                pos += 1
            text = sentence["text"]
            spans.append((pos, pos + len(text), sentence))
            parts.append(text)
            pos += len(text)
    return "".join(parts), spans


def evaluate_article(
    article: dict, *, scorer: Scorer | None = None, threshold: float | None = None
) -> list[Row]:
    """Run the pipeline on one article and align its sentences to the labelled ones."""
    body, spans = build_body(article)
    result = propose(
        body, language="en", outlet=article["source"], scorer=scorer, threshold=threshold
    )
    own = {own_voice_claimer(article), article["source"]}
    rows = []
    for start, end, label in spans:
        overlapping = [sp for sp in result.sentences if sp.start < end and start < sp.end]
        row = Row(
            article=article["id"],
            split=article["split"],
            text=label["text"],
            label=label,
            own_voice=label.get("claimer", "") in own,
            pieces=len(overlapping),
        )
        if overlapping:
            best = max(overlapping, key=lambda sp: _overlap(sp, start, end))
            row.proposed = any(sp.checkworthy for sp in overlapping)
            row.score = max(sp.score for sp in overlapping)
            row.claimer = best.claimer
            row.claim_type = best.claim_type
        rows.append(row)
    return rows


def _overlap(sp: SentenceProposal, start: int, end: int) -> int:
    return min(sp.end, end) - max(sp.start, start)


# --------------------------------------------------------------------------- claimers

_TITLES = frozenset(
    re.findall(
        r"\w+",
        """the mr mrs ms dr prof president prime minister governor senator sheriff judge chief
        chancellor mayor general commander secretary spokesman spokeswoman""",
    )
)


def normalise_name(name: str) -> list[str]:
    """Lower-case words without accents, punctuation, possessives or leading titles."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text.replace("'s ", " "))
    while words and words[0] in _TITLES:
        words.pop(0)
    return words


def claimer_matches(gold: str, predicted: str) -> tuple[bool, bool]:
    """(exact, normalised): normalised accepts a surname for a full name and dropped titles."""
    exact = gold.strip().casefold() == predicted.strip().casefold()
    g, p = normalise_name(gold), normalise_name(predicted)
    if not g or not p:
        return exact, exact
    # One spelling contained in the other as a run of words: "Kovalenko" for
    # "Andriy Kovalenko", "Ministry of Energy" for "Ukraine's Ministry of Energy".
    if _initials(g) == p or _initials(p) == g:  # "UN" for "United Nations"
        return exact, True
    shorter, longer = (g, p) if len(g) <= len(p) else (p, g)
    contained = any(
        longer[i : i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1)
    )
    return exact, exact or contained


def _initials(words: list[str]) -> list[str]:
    significant = [w for w in words if w not in ("of", "for", "and", "the", "on")]
    return ["".join(w[0] for w in significant)] if len(significant) > 1 else []


# --------------------------------------------------------------------------- metrics


def _share(flags: Iterable[bool]) -> tuple[int, int, float | None]:
    values = list(flags)
    hits = sum(values)
    return hits, len(values), (hits / len(values) if values else None)


def split_metrics(rows: list[Row]) -> dict:
    """Every figure of one split."""
    checkworthy = [r for r in rows if r.label["checkworthy"]]
    content = [r for r in rows if r.label["class"] in CONTENT_CLASSES]
    by_class = defaultdict(list)
    for r in rows:
        by_class[r.label["class"]].append(r)
    y = [int(r.label["checkworthy"]) for r in rows]
    scores = [r.score for r in rows]
    claimer = [claimer_matches(r.label["claimer"], r.claimer) for r in checkworthy]
    own = [m for r, m in zip(checkworthy, claimer, strict=True) if r.own_voice]
    attributed = [m for r, m in zip(checkworthy, claimer, strict=True) if not r.own_voice]
    types = Counter((r.label["claim_type"], r.claim_type) for r in checkworthy)
    return {
        "articles": len({r.article for r in rows}),
        "sentences": len(rows),
        "checkworthy": len(checkworthy),
        "recall": _share(r.proposed for r in checkworthy),
        "content_proposed": _share(r.proposed for r in content),
        "proposed_all": _share(r.proposed for r in rows),
        "precision": _share(r.label["checkworthy"] for r in rows if r.proposed),
        "per_class": {c: _share(r.proposed for r in by_class[c]) for c in CLASSES},
        "mean_score": {
            c: (sum(r.score for r in by_class[c]) / len(by_class[c]) if by_class[c] else None)
            for c in CLASSES
        },
        "ap": average_precision_score(y, scores) if 0 < sum(y) < len(y) else None,
        "auc": roc_auc_score(y, scores) if 0 < sum(y) < len(y) else None,
        "boilerplate_proposed": sum(r.proposed for r in by_class["boilerplate"]),
        # #17: no proposed claim may reach reviewers without someone to attribute it to.
        "proposed_without_claimer": sum(r.proposed and not r.claimer.strip() for r in rows),
        "claimer_exact": _share(m[0] for m in claimer),
        "claimer_normalised": _share(m[1] for m in claimer),
        "claimer_own_voice": _share(m[1] for m in own),
        "claimer_attributed": _share(m[1] for m in attributed),
        "claim_type": _share(g == p for (g, p), n in types.items() for _ in range(n)),
        "claim_type_confusion": {f"{g}->{p}": n for (g, p), n in sorted(types.items())},
        "segmentation_mismatch": sum(r.pieces != 1 for r in rows),
    }


def subjectivity_metrics(path: Path) -> dict | None:
    """AUC objective-vs-subjective and the share of SUBJ proposed, each text as its own body."""
    if not path.exists():
        return None
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    items = [it for it in items if it.get("label") in ("OBJ", "SUBJ") and it.get("text")]
    scorer = load_scorer("default")
    scores, proposed = [], []
    for it in items:
        result = propose(it["text"], language="en", scorer=scorer)
        scores.append(max((s.score for s in result.sentences), default=0.0))
        proposed.append(any(s.checkworthy for s in result.sentences))
    y = [int(it["label"] == "OBJ") for it in items]
    return {
        "file": str(path),
        "sentences": len(items),
        "auc_obj_vs_subj": roc_auc_score(y, scores) if 0 < sum(y) < len(y) else None,
        "subj_proposed": _share(p for p, t in zip(proposed, y, strict=True) if not t),
        "obj_proposed": _share(p for p, t in zip(proposed, y, strict=True) if t),
    }


# --------------------------------------------------------------------------- report


def _pct(share: tuple[int, int, float | None]) -> str:
    hits, n, value = share
    return "n/a" if value is None else f"{100 * value:5.1f}% ({hits}/{n})"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render(metrics: dict[str, dict], subjectivity: dict | None, scorer: str) -> str:
    """Plain-text report, one column block per split."""
    lines = [f"scorer: {scorer}"]
    for split, m in metrics.items():
        lines += [
            "",
            f"== {split}: {m['articles']} articles, {m['sentences']} sentences, "
            f"{m['checkworthy']} check-worthy",
            f"  check-worthy proposed (recall)      {_pct(m['recall'])}   target >= 95%",
            f"  content non-claims proposed         {_pct(m['content_proposed'])}   target <= 20%",
            f"  precision of proposals              {_pct(m['precision'])}",
            f"  all sentences proposed              {_pct(m['proposed_all'])}",
            f"  AP (scores, check-worthy vs not)    {_num(m['ap'])}   target >= 0.95",
            f"  ROC AUC                             {_num(m['auc'])}",
            f"  boilerplate proposed                {m['boilerplate_proposed']}   target 0",
            f"  proposed without a claimer          {m['proposed_without_claimer']}   target 0",
            f"  claimer exact                       {_pct(m['claimer_exact'])}",
            f"  claimer normalised                  {_pct(m['claimer_normalised'])}",
            f"    own-voice (outlet/agency)         {_pct(m['claimer_own_voice'])}",
            f"    attributed (person/organisation)  {_pct(m['claimer_attributed'])}",
            f"  claim type                          {_pct(m['claim_type'])}",
            f"  sentences not aligned one-to-one    {m['segmentation_mismatch']}",
            "  per class: proposed, mean score",
        ]
        for c in CLASSES:
            if m["per_class"][c][1]:
                share, mean = _pct(m["per_class"][c]), _num(m["mean_score"][c])
                lines.append(f"    {c:20s} {share:22s} {mean}")
        confusion = ", ".join(f"{k} {v}" for k, v in m["claim_type_confusion"].items())
        lines.append(f"  claim type gold->predicted: {confusion}")
    if subjectivity:
        lines += [
            "",
            f"== subjectivity ({subjectivity['sentences']} sentences, {subjectivity['file']})",
            f"  AUC objective vs subjective         {_num(subjectivity['auc_obj_vs_subj'])}",
            f"  SUBJ proposed                       {_pct(subjectivity['subj_proposed'])}",
            f"  OBJ proposed                        {_pct(subjectivity['obj_proposed'])}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--subjectivity", type=Path, default=SUBJECTIVITY)
    parser.add_argument(
        "--threshold", type=float, help="proposal cut-off (default: the scorer's own)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--errors", action="store_true", help="list missed and wrongly proposed sentences"
    )
    args = parser.parse_args(argv)
    try:
        articles = load_articles(args.data)
    except (OSError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    rows = [
        r
        for a in articles
        if a["split"] in splits
        for r in evaluate_article(a, threshold=args.threshold)
    ]
    metrics = {s: split_metrics([r for r in rows if r.split == s]) for s in splits}
    subjectivity = subjectivity_metrics(args.subjectivity)
    scorer = load_scorer("default")
    cutoff = scorer.threshold if args.threshold is None else args.threshold
    print(render(metrics, subjectivity, f"{scorer.name}, threshold {cutoff}"))
    if args.errors:
        for r in rows:
            if r.proposed != r.label["checkworthy"]:
                kind = "missed" if r.label["checkworthy"] else "proposed"
                print(f"{kind:8s} {r.score:.2f} {r.label['class']:12s} {r.article} {r.text}")
    if args.json:
        payload = {"metrics": metrics, "subjectivity": subjectivity}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
