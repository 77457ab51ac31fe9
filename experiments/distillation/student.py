"""Distil a fold teacher into the shipped cheap features (LR on hard + soft labels).

    python student.py --fold 0 [--variants NAME,...]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy import sparse

from common import augment, balanced_eval, folds, load, sha1

from extraction import features as F
from extraction import train as T

ap = argparse.ArgumentParser()
ap.add_argument("--fold", default="0")
ap.add_argument("--variants", default="")
ap.add_argument("--dump", default="")
args = ap.parse_args()
t0 = time.time()
cb, clef = load()
k = int(args.fold)
tr, te = folds(cb)[k]
cb_text = [r["text"] for r in cb]
cb_y = np.array([r["label"] for r in cb])
tr_text = [cb_text[i] for i in tr]
te_text = [cb_text[i] for i in te]
y_tr, y_te = cb_y[tr], cb_y[te]
tl = json.load(open(f"/work/exp/teachers/{k}/logits.json"))
emb = F.StaticEmbeddings.from_npz("/work/main/extraction/models/static_minilm_l6.npz")
clef_text = list(dict.fromkeys(r["text"] for r in clef))
aug_text = augment(tr_text)
PRIOR = float(np.log((y_tr == 0).sum() / (y_tr == 1).sum()))


def teach(texts):
    return np.array([tl[sha1(t)] for t in texts])


t_te = teach(te_text)
print("teacher fold AP/F1:", balanced_eval(y_te, 1 / (1 + np.exp(-t_te))), flush=True)

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

_heads = {}


def head_for(vocab_key, vocab_texts):
    if vocab_key not in _heads:
        tables = []
        for analyzer, min_df in (("word", 2), ("char", 3)):
            vec = TfidfVectorizer(analyzer=F.ANALYZERS[analyzer], min_df=min_df, sublinear_tf=True)
            vec.fit(vocab_texts)
            tables.append(F.TfidfTable(vec.get_feature_names_out().tolist(), vec.idf_.astype(np.float32), analyzer))
        h = F.TextHead(tables[0], tables[1], emb, coef=None, intercept=0.0)
        _heads[vocab_key] = (h, {})
    return _heads[vocab_key]


def mat(vocab_key, name, texts, vocab_texts):
    h, cache = head_for(vocab_key, vocab_texts)
    if name not in cache:
        cache[name] = h.matrix(texts)
    return cache[name]


def fit(Xh, yh, Xs_list, ps_list, alpha, C):
    n = len(yh)
    wh = np.where(yh == 1, n / (2 * (yh == 1).sum()), n / (2 * (yh == 0).sum()))
    Xs = [Xh]
    ys = [yh]
    ws = [wh]
    for Xs_, ps, a in zip(Xs_list, ps_list, alpha):
        w = a * n / len(ps)
        Xs += [Xs_, Xs_]
        ys += [np.ones(len(ps)), np.zeros(len(ps))]
        ws += [w * ps, w * (1 - ps)]
    X = sparse.vstack(Xs).tocsr()
    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit(X, np.concatenate(ys), sample_weight=np.concatenate(ws))
    return lr


def soft(texts, T, shift=True):
    z = teach(texts) + (PRIOR if shift else 0.0)
    return 1 / (1 + np.exp(-z / T))


results = {}


def run(name, vocab="tr", C=4.0, T=2.0, sets=(), alpha=(), shift=True):
    vt = {"tr": tr_text, "tr+aug": tr_text + aug_text, "tr+aug+clef": tr_text + aug_text + clef_text}[vocab]
    Xh = mat(vocab, "tr", tr_text, vt)
    Xte = mat(vocab, "te", te_text, vt)
    texts = {"clef": clef_text, "aug": aug_text, "cbtr": tr_text}
    Xs = [mat(vocab, s, texts[s], vt) for s in sets]
    ps = [soft(texts[s], T, shift) for s in sets]
    lr = fit(Xh, y_tr, Xs, ps, alpha, C)
    z = lr.decision_function(Xte)
    r = balanced_eval(y_te, 1 / (1 + np.exp(-z)))
    results[name] = (r, z)
    print(f"{name:40s} AP {r[0]:.4f} F1 {r[1]:.4f} thr {r[2]} ({time.time() - t0:.0f}s)", flush=True)
    return z


V = {
    "base": dict(),
    "clef_T2": dict(sets=("clef",), alpha=(1.0,)),
    "clef+aug_T2": dict(sets=("clef", "aug"), alpha=(1.0, 1.0)),
    "clef+aug+cbtr_T2": dict(sets=("clef", "aug", "cbtr"), alpha=(1.0, 1.0, 0.5)),
    "aug_T2": dict(sets=("aug",), alpha=(1.0,)),
    "clef+aug_T2_a2": dict(sets=("clef", "aug"), alpha=(2.0, 2.0)),
    "clef+aug_T1": dict(sets=("clef", "aug"), alpha=(1.0, 1.0), T=1.0),
    "clef+aug_T4": dict(sets=("clef", "aug"), alpha=(1.0, 1.0), T=4.0),
    "clef+aug_T2_C8": dict(sets=("clef", "aug"), alpha=(1.0, 1.0), C=8.0),
    "clef+aug_T2_vaug": dict(sets=("clef", "aug"), alpha=(1.0, 1.0), vocab="tr+aug+clef"),
}
names = args.variants.split(",") if args.variants else list(V)
print(f"aug {len(aug_text)}, clef {len(clef_text)} ({time.time() - t0:.0f}s)", flush=True)
for n in names:
    run(n, **V[n])
if args.dump:
    np.savez(args.dump, te=te, y=y_te, teacher=t_te, **{n: results[n][1] for n in results})
