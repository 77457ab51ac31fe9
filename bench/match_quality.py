"""Quality of today's pure matcher on the labelled one-topic news (issue #18), no Django.

Reads ``tests/matching/corpus_news`` (stories told by several invented outlets, see
``tests/matching/CORPUS_NEWS.md``), scores every pair of sentences from two different
articles of one story with ``extraction.matching`` and prints, per split:

- the precision/recall curve of "same fact" over similarity thresholds, the figures at the
  shipped threshold (``compare``, which lets a conflict pre-empt "same"), the best F1 and the
  best recall at precision >= 0.9;
- conflicts: labelled numeric conflicts flagged or missed, false conflicts (and how many of
  them come from a number that counts nothing), and what the matcher says of the pairs whose
  figures only "differ by date";
- numbers that count nothing ("one of the largest", "first", years) read as figures.

IDF weights come from every sentence of the corpus, as the service computes them over its
archive; ``story`` is the similarity of the two headlines, as the service passes it.

    python bench/match_quality.py [--split dev|held_out|all] [--show 10]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extraction.matching import (  # noqa: E402
    DEFAULT_SAME_THRESHOLD,
    ClaimSignature,
    analyse,
    compare,
    corpus_weight,
    normalise,
    similarity,
)
from tests.matching.corpus_news import DEV, HELD_OUT, Pair, Story, labelled_pairs, shares_fact  # noqa: E402

CONFIDENCE_LEVELS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9]
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]


def _overlaps(quantity_text: str, spans: tuple[str, ...]) -> bool:
    """Whether a figure the matcher read is (part of) a marked span, number words included."""
    q = normalise(quantity_text)
    inside = re.compile(rf"(?<![\d.,]){re.escape(q)}(?![\d.,]*\d)")
    return any(inside.search(normalise(s)) or normalise(s) in q for s in spans)


def evaluate(stories: list[Story], weight, *, use_story: bool = True) -> dict:
    """Score every cross-article pair; returns the counts and the per-pair rows."""
    sig: dict[str, ClaimSignature] = {}

    def analysed(text: str) -> ClaimSignature:
        if text not in sig:
            sig[text] = analyse(text)
        return sig[text]

    rows = []
    for pair in labelled_pairs(stories):
        a, b = analysed(pair.text_a), analysed(pair.text_b)
        story = (
            similarity(analysed(pair.article_a.headline), analysed(pair.article_b.headline))
            if use_story
            else 0.0
        )
        decision = compare(
            a,
            b,
            weight=weight,
            story=story,
            published=(pair.article_a.published, pair.article_b.published),
        )
        positive = shares_fact(pair.labels_a, pair.labels_b) and pair.gold != "conflict"
        rows.append(
            {
                "pair": pair,
                "score": similarity(a, b, weight=weight),
                "relation": decision.relation if decision else "",
                "confidence": decision.confidence if decision else 0.0,
                "conflicts": decision.conflicts if decision else (),
                # The "same fact" question is asked of the pairs that share a fact and of
                # those that share nothing; conflicts and date-only tallies are judged apart.
                "same_fact": positive if positive or pair.gold == "" else None,
            }
        )
    return {"rows": rows, "signatures": sig}


def curve(rows: list[dict]) -> list[tuple[float, float, float, float]]:
    judged = [r for r in rows if r["same_fact"] is not None]
    total = sum(r["same_fact"] for r in judged)
    out = []
    for t in THRESHOLDS:
        tp = sum(r["same_fact"] and r["score"] >= t for r in judged)
        fp = sum(not r["same_fact"] and r["score"] >= t for r in judged)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / total if total else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out.append((t, p, r, f1))
    return out


def shipped(rows: list[dict]) -> tuple[float, float, int, int, int]:
    judged = [r for r in rows if r["same_fact"] is not None]
    tp = sum(r["same_fact"] and r["relation"] == "same" for r in judged)
    fp = sum(not r["same_fact"] and r["relation"] == "same" for r in judged)
    fn = sum(r["same_fact"] and r["relation"] != "same" for r in judged)
    p = tp / (tp + fp) if tp + fp else 1.0
    return p, tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn


def conflicts(rows: list[dict], signatures: dict[str, ClaimSignature]) -> dict[str, int]:
    c: Counter[str] = Counter()
    for r in rows:
        gold, rel, pair = r["pair"].gold, r["relation"], r["pair"]
        if gold == "conflict":
            c["labelled"] += 1
            c["flagged" if rel == "conflict" else "missed"] += 1
        elif gold == "date":
            c["date_pairs"] += 1
            c[f"date_called_{rel or 'nothing'}"] += 1
        elif rel == "conflict":
            c["false"] += 1
            spans = pair.labels_a.non_counts + pair.labels_b.non_counts
            if any(_overlaps(q.text, spans) for qa, qb in r["conflicts"] for q in (qa, qb)):
                c["false_from_non_count"] += 1
    for text, s in signatures.items():
        for labels in _labels_of(rows, text):
            for span in labels.non_counts:
                c["non_count_spans"] += 1
                c["non_count_read_as_figure"] += any(
                    q.unit != "date" and _overlaps(q.text, (span,)) for q in s.quantities
                )
    return dict(c)


def _labels_of(rows: list[dict], text: str):
    for r in rows:
        if r["pair"].text_a == text:
            return [r["pair"].labels_a]
        if r["pair"].text_b == text:
            return [r["pair"].labels_b]
    return []


def _line(pair: Pair, score: float, relation: str) -> str:
    return f"    {score:.3f} {relation or '-':8} {pair.text_a[:70]!r}\n{'':19}{pair.text_b[:70]!r}"


def report(name: str, stories: list[Story], weight, show: int, use_story: bool) -> None:
    result = evaluate(stories, weight, use_story=use_story)
    rows = result["rows"]
    gold = Counter(r["pair"].gold or "unrelated" for r in rows)
    n_articles = sum(len(s.articles) for s in stories)
    n_sentences = sum(len(a.sentences) for s in stories for a in s.articles)
    print(f"== {name}: {len(stories)} stories, {n_articles} articles, {n_sentences} sentences")
    print(f"   {len(rows)} cross-article pairs: {dict(gold)}")
    judged = [r for r in rows if r["same_fact"] is not None]
    print(
        f"   same-fact question: {sum(r['same_fact'] for r in judged)} positive, "
        f"{sum(not r['same_fact'] for r in judged)} negative"
    )
    print("   threshold precision recall   f1")
    points = curve(rows)
    for t, p, r, f1 in points:
        print(f"   {t:9.2f} {p:9.3f} {r:6.3f} {f1:6.3f}")
    best = max(points, key=lambda x: x[3])
    at90 = max((x for x in points if x[1] >= 0.9), key=lambda x: x[2], default=None)
    p, r, tp, fp, fn = shipped(rows)
    print(
        f"   shipped threshold {DEFAULT_SAME_THRESHOLD} (compare): precision {p:.3f} "
        f"recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    print(
        f"   best F1 {best[3]:.3f} at {best[0]:.2f} (precision {best[1]:.3f}, recall {best[2]:.3f})"
    )
    if at90:
        print(f"   best recall at precision >= 0.9: {at90[2]:.3f} (threshold {at90[0]:.2f})")
    else:
        print("   precision never reaches 0.9")
    # Confirmed automatically (MATCH_CONFIRM_THRESHOLD) vs left as suggestions.
    for level in CONFIDENCE_LEVELS:
        same = [x for x in judged if x["relation"] == "same" and x["confidence"] >= level]
        tp = sum(x["same_fact"] for x in same)
        total = sum(x["same_fact"] for x in judged)
        print(
            f"   same at confidence >= {level:.2f}: precision "
            f"{tp / len(same) if same else 1.0:.3f} recall {tp / total if total else 0.0:.3f}"
            f" ({len(same)} links)"
        )
    c = conflicts(rows, result["signatures"])
    print(
        f"   conflicts: {c.get('flagged', 0)} of {c.get('labelled', 0)} labelled flagged, "
        f"{c.get('false', 0)} false ({c.get('false_from_non_count', 0)} from a non-count)"
    )
    print(
        f"   differs by date: {c.get('date_pairs', 0)} pairs; matcher said differs by date "
        f"{c.get('date_called_differs_by_date', 0)}, conflict "
        f"{c.get('date_called_conflict', 0)}, same {c.get('date_called_same', 0)}, "
        f"nothing {c.get('date_called_nothing', 0)}"
    )
    print(
        f"   non-count numbers read as figures: {c.get('non_count_read_as_figure', 0)} "
        f"of {c.get('non_count_spans', 0)} marked"
    )
    if show:
        misses = sorted(
            (x for x in judged if x["same_fact"] and x["relation"] != "same"),
            key=lambda x: x["score"],
        )
        wrong = sorted(
            (x for x in judged if not x["same_fact"] and x["relation"] == "same"),
            key=lambda x: -x["score"],
        )
        false_c = [
            x
            for x in rows
            if x["pair"].gold not in ("conflict", "date") and x["relation"] == "conflict"
        ]
        missed_c = [x for x in rows if x["pair"].gold == "conflict" and x["relation"] != "conflict"]
        for title, items in (
            ("missed same-fact pairs (lowest score)", misses),
            ("different facts called same (highest score)", wrong),
            ("false conflicts", false_c),
            ("missed conflicts", missed_c),
        ):
            print(f"   -- {title}: {len(items)}")
            for x in items[:show]:
                print(_line(x["pair"], x["score"], x["relation"]))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "held_out", "all"], default="all")
    parser.add_argument("--show", type=int, default=0, help="list this many errors of each sort")
    parser.add_argument("--no-story", action="store_true", help="pass story=0 to compare")
    args = parser.parse_args(argv)
    weight = corpus_weight(
        analyse(text) for s in DEV + HELD_OUT for a in s.articles for text, _ in a.sentences
    )
    splits = {"dev": DEV, "held_out": HELD_OUT}
    for name in ("dev", "held_out") if args.split == "all" else (args.split,):
        report(name, splits[name], weight, args.show, not args.no_story)
    return 0


if __name__ == "__main__":
    sys.exit(main())
