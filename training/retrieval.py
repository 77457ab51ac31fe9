"""Train the fact-check archive re-ranker (``extraction/models/retrieval_reranker.npz``).

    PYTHONPATH=$PWD .venv/bin/python training/retrieval.py [--data DIR] [--out FILE]

Reads the CheckThat! 2020 task 2 data in ``DIR`` (default ../shared/data/claim-retrieval:
verified_claims.jsonl, train_queries.jsonl, dev_queries.jsonl), builds the archive index,
takes the first stage's top candidates for every query, fits gradient-boosted trees on the
train queries' (query, candidate) pairs for a few settings, chooses by dev MAP@5, prints
MAP@5 of the first stage and the re-ranker on dev and in 5-fold cross-validation on train,
and writes the chosen trees (fitted on train only, so the dev figure stays held out) as
plain arrays. Needs scikit-learn only; no Django.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold

from extraction.retrieval.evaluate import map_at_5, read_queries
from extraction.retrieval.index import ArchiveIndex
from extraction.retrieval.ranker import CANDIDATES, FEATURES, RERANKER, Ranker, top_candidates
from extraction.retrieval.readers import read_archive
from extraction.retrieval.text import prepare

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "claim-retrieval"
SETTINGS = [
    {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20},
    {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 7, "min_samples_leaf": 40},
    {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 20},
]


def pairs(ranker: Ranker, queries: list[dict]):
    """Per query: candidate rows, their features, labels, and the first-stage ranking."""
    out = []
    for q in queries:
        text = prepare(q["text"])
        lex = ranker.lexical(text)
        cands = top_candidates(ranker.first_stage(lex), CANDIDATES)
        x = ranker.features(text, lex, cands)
        rel = set(q["relevant"])
        y = np.array([ranker.index.ids[c] in rel for c in cands], dtype=int)
        out.append((cands, x, y, rel))
    return out


def rerank_map(model, ranker: Ranker, data) -> float:
    ranked = []
    for cands, x, _, _ in data:
        order = np.argsort(-model.decision_function(x), kind="stable")[:5]
        ranked.append([ranker.index.ids[cands[i]] for i in order])
    return map_at_5(ranked, [d[3] for d in data])


def first_map(ranker: Ranker, data) -> float:
    return map_at_5([[ranker.index.ids[c] for c in d[0][:5]] for d in data], [d[3] for d in data])


def fit(setting: dict, data) -> HistGradientBoostingClassifier:
    x = np.vstack([d[1] for d in data])
    y = np.concatenate([d[2] for d in data])
    model = HistGradientBoostingClassifier(random_state=0, early_stopping=False, **setting)
    return model.fit(x, y)


def export(model: HistGradientBoostingClassifier, path: Path) -> None:
    """Write the trees as flat arrays ``extraction.retrieval.ranker.Trees`` reads."""
    nodes = [p[0].nodes for p in model._predictors]
    offsets = np.cumsum([0] + [len(n) for n in nodes[:-1]])
    allnodes = np.concatenate(nodes)
    shift = np.repeat(offsets, [len(n) for n in nodes])
    np.savez(
        path,
        feature=allnodes["feature_idx"].astype(np.int32),
        threshold=allnodes["num_threshold"].astype(np.float64),
        left=(allnodes["left"] + shift).astype(np.int32),
        right=(allnodes["right"] + shift).astype(np.int32),
        is_leaf=allnodes["is_leaf"].astype(bool),
        value=allnodes["value"].astype(np.float64),
        roots=offsets.astype(np.int32),
        baseline=np.array(float(np.ravel(model._baseline_prediction)[0])),
        max_depth=np.array(int(allnodes["depth"].max())),
        features=np.array(FEATURES),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=RERANKER)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    archive = read_archive(args.data / "verified_claims.jsonl")
    if archive.errors:
        print(f"archive: {len(archive.errors)} bad rows, first: {archive.errors[0]}")
    index = ArchiveIndex.build(archive.records)
    ranker = Ranker(index)
    train = pairs(ranker, read_queries(args.data / "train_queries.jsonl"))
    dev = pairs(ranker, read_queries(args.data / "dev_queries.jsonl"))
    recall = np.mean([d[2].any() for d in dev])
    print(f"index + features: {time.perf_counter() - started:.0f} s")
    print(
        f"first stage MAP@5: train {first_map(ranker, train):.4f}, dev {first_map(ranker, dev):.4f}"
    )
    print(f"dev recall@{CANDIDATES}: {recall:.4f}")

    best = None
    for setting in SETTINGS:
        folds = KFold(5, shuffle=True, random_state=0).split(train)
        cv = [
            rerank_map(fit(setting, [train[i] for i in a]), ranker, [train[i] for i in b])
            for a, b in folds
        ]
        model = fit(setting, train)
        score = rerank_map(model, ranker, dev)
        print(f"{setting}: train 5-fold CV MAP@5 {np.mean(cv):.4f}, dev MAP@5 {score:.4f}")
        if best is None or score > best[0]:
            best = (score, setting, model)
    assert best is not None
    export(best[2], args.out)
    sums = {
        name: hashlib.sha256((args.data / name).read_bytes()).hexdigest()
        for name in ("verified_claims.jsonl", "train_queries.jsonl", "dev_queries.jsonl")
    }
    print(f"chosen {best[1]}: dev MAP@5 {best[0]:.4f}; wrote {args.out}")
    print(json.dumps(sums, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
