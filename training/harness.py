"""The issue #17 figures for a scorer: news (through the article pipeline), subjectivity, debates.

    PYTHONPATH=$PWD .venv/bin/python -m training.harness [--scorer news] [--test] [--json F]

- **news dev**: every dev article of ``training/data/news/articles.jsonl`` goes through
  ``pipeline.propose`` as the worker calls it (outlet = the byline's agency, else the
  article's source); labelled sentences are aligned to the pipeline's by character offsets. For
  the news scorer these dev figures are in-sample (it was fitted on dev); its honest dev
  figures are the out-of-fold ones ``training news`` stores (printed below them).
- **news test** (``--test``): the same on the test articles. Measure once, at the end.
- **subjectivity val**: NewsSD ``val.jsonl``, each sentence as its own body: ROC AUC of the
  score for objective against subjective, and the share of subjective sentences proposed.
- **debates**: the debate model's stored cross-validated figures (``checkworthiness.json``);
  ``score_sentences`` scores debates with it whatever the article scorer is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from extraction.boilerplate import own_voice_claimer
from extraction.pipeline import propose
from extraction.scoring import MODEL_META_NAME, MODELS_DIR, load_scorer

from .newsdata import (
    CONTENT_CLASSES,
    NEWS_DATA,
    SUBJECTIVITY_DIR,
    build_body,
    load_articles,
    load_subjectivity,
)


def _norm(name: str) -> str:
    return " ".join(name.casefold().replace("'s ", " ").replace("the ", "").split())


def claimer_ok(gold: str, predicted: str) -> bool:
    """Same claimer up to case, "the" and a surname for a full name (or the reverse)."""
    g, p = _norm(gold), _norm(predicted)
    return bool(g and p) and (g == p or g in p or p in g)


def article_rows(article: dict, scorer) -> list[dict]:
    """Each labelled sentence with the pipeline's score, decision, claimer and type."""
    body, spans = build_body(article)
    outlet = own_voice_claimer(article["source"], article.get("byline", ""))
    result = propose(body, language="en", outlet=outlet, scorer=scorer)
    rows = []
    for start, end, label in spans:
        hits = [sp for sp in result.sentences if sp.start < end and start < sp.end]
        best = max(hits, key=lambda sp: min(sp.end, end) - max(sp.start, start), default=None)
        rows.append(
            {
                "label": label,
                "score": max((sp.score for sp in hits), default=0.0),
                "proposed": any(sp.checkworthy for sp in hits),
                "claimer": best.claimer if best else "",
                "claim_type": best.claim_type if best else "",
            }
        )
    return rows


def news_figures(rows: list[dict]) -> dict:
    """Recall, content non-claims proposed, per class, AP/AUC, boilerplate, claimer, type."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = np.array([int(r["label"]["checkworthy"]) for r in rows])
    s = np.array([r["score"] for r in rows])
    prop = np.array([r["proposed"] for r in rows])
    cls = np.array([r["label"]["class"] for r in rows])
    content = np.isin(cls, CONTENT_CLASSES)
    by_class = defaultdict(list)
    for c, p in zip(cls, prop, strict=True):
        by_class[str(c)].append(bool(p))
    cw = [r for r in rows if r["label"]["checkworthy"]]
    return {
        "sentences": len(rows),
        "checkworthy": int(y.sum()),
        "recall": round(float(prop[y == 1].mean()), 4),
        "content_proposed": round(float(prop[content].mean()), 4),
        "negatives_proposed": round(float(prop[y == 0].mean()), 4),
        "average_precision": round(float(average_precision_score(y, s)), 4),
        "roc_auc": round(float(roc_auc_score(y, s)), 4),
        "boilerplate_proposed": int(prop[cls == "boilerplate"].sum()),
        "per_class_proposed": {c: round(float(np.mean(v)), 3) for c, v in sorted(by_class.items())},
        "checkworthy_without_claimer": sum(1 for r in cw if not r["claimer"]),
        "claimer_agrees": round(
            float(np.mean([claimer_ok(r["label"]["claimer"], r["claimer"]) for r in cw])), 4
        ),
        "claim_type_agrees": round(
            float(np.mean([r["label"]["claim_type"] == r["claim_type"] for r in cw])), 4
        ),
    }


def subjectivity_figures(path: Path, scorer) -> dict:
    """ROC AUC objective-vs-subjective of the proposer's score; share of SUBJ proposed."""
    from sklearn.metrics import roc_auc_score

    rows = load_subjectivity(path)
    results = [propose(r["text"], language="en", scorer=scorer) for r in rows]
    s = [max((x.score for x in res.sentences), default=0.0) for res in results]
    prop = np.array([any(x.checkworthy for x in res.sentences) for res in results])
    obj = np.array([r["label"] == "OBJ" for r in rows])
    return {
        "sentences": len(rows),
        "auc_obj_vs_subj": round(float(roc_auc_score(obj, s)), 4),
        "subj_proposed": round(float(prop[~obj].mean()), 4),
        "obj_proposed": round(float(prop[obj].mean()), 4),
    }


def debate_figures() -> dict:
    meta = json.loads((MODELS_DIR / MODEL_META_NAME).read_text(encoding="utf-8"))
    m = meta["metrics"]
    keep = ("claimbuster_balanced", "claimbuster_all_oof", "checkthat_context")
    return {k: {f: m[k][f] for f in ("f1", "average_precision", "MAP") if f in m[k]} for k in keep}


def run(scorer_name: str, data: Path, test: bool) -> dict:
    scorer = load_scorer(scorer_name)
    articles = load_articles(data)
    out: dict = {"scorer": scorer.name, "threshold": scorer.threshold}
    for split in ("dev", "test") if test else ("dev",):
        rows = [r for a in articles if a["split"] == split for r in article_rows(a, scorer)]
        out[f"news_{split}"] = news_figures(rows)
    head = getattr(scorer, "head", None)
    if head is not None:
        out["news_dev_out_of_fold"] = {
            k: v for k, v in head.meta["cv"].items() if k != "reliability"
        }
    val = SUBJECTIVITY_DIR / "val.jsonl"
    if val.exists():
        out["subjectivity_val"] = subjectivity_figures(val, scorer)
    out["debates_stored_cv"] = debate_figures()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scorer", default="news", help='"news" (articles), "default" or "rules"')
    ap.add_argument("--data", type=Path, default=NEWS_DATA)
    ap.add_argument("--test", action="store_true", help="also the test articles (measure once)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"news data not found: {args.data}", file=sys.stderr)
        return 2
    figures = run(args.scorer, args.data, args.test)
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
