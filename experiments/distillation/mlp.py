"""Wider cheap student: linear + one-hidden-layer MLP over the shipped sparse features,
trained (torch, training only) on CB hard labels + teacher soft labels.

    python mlp.py --fold 0 --hidden 32 --epochs 8
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
from scipy import sparse

from common import augment, balanced_eval, folds, load, sha1

from extraction import features as F

ap = argparse.ArgumentParser()
ap.add_argument("--fold", default="0")
ap.add_argument("--hidden", type=int, default=32)
ap.add_argument("--epochs", type=int, default=8)
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--wd", type=float, default=1e-6)
ap.add_argument("--T", type=float, default=2.0)
ap.add_argument("--alpha", type=float, default=1.0)
ap.add_argument("--bs", type=int, default=256)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--sets", default="clef,aug,cbtr")
ap.add_argument("--dump", default="")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
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
from sklearn.feature_extraction.text import TfidfVectorizer

tables = []
for analyzer, min_df in (("word", 2), ("char", 3)):
    vec = TfidfVectorizer(analyzer=F.ANALYZERS[analyzer], min_df=min_df, sublinear_tf=True)
    vec.fit(tr_text)
    tables.append(F.TfidfTable(vec.get_feature_names_out().tolist(), vec.idf_.astype(np.float32), analyzer))
head = F.TextHead(tables[0], tables[1], emb, coef=None, intercept=0.0)
texts = {"clef": clef_text, "aug": aug_text, "cbtr": tr_text}
sets = [s for s in args.sets.split(",") if s]
Xh = head.matrix(tr_text)
Xte = head.matrix(te_text)
Xs = [head.matrix(texts[s]) for s in sets]
nw, nc = len(tables[0].terms), len(tables[1].terms)
scale = np.ones(Xh.shape[1], dtype=np.float32)
hs = np.asarray(Xh[:, nw + nc : nw + nc + 25].todense()).std(0)
scale[nw + nc : nw + nc + 25] = 1 / np.maximum(hs, 1e-3)
D = sparse.diags(scale)
Xh, Xte, Xs = Xh @ D, Xte @ D, [x @ D for x in Xs]
print(f"features ({time.time() - t0:.0f}s) dim {Xh.shape[1]}", flush=True)

n = len(y_tr)
wh = np.where(y_tr == 1, n / (2 * (y_tr == 1).sum()), n / (2 * (y_tr == 0).sum()))
X = sparse.vstack([Xh] + Xs).tocsr().astype(np.float32)
tgt = [y_tr.astype(np.float32)]
wt = [wh]
kind = [np.zeros(n)]
for s, x in zip(sets, Xs):
    z = np.array([tl[sha1(t)] for t in texts[s]]) + PRIOR
    tgt.append((1 / (1 + np.exp(-z / args.T))).astype(np.float32))
    wt.append(np.full(x.shape[0], args.alpha * n / x.shape[0]))
    kind.append(np.ones(x.shape[0]))
tgt, wt, kind = map(np.concatenate, (tgt, wt, kind))
d = X.shape[1]


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Parameter(torch.zeros(d, 1))
        self.W1 = torch.nn.Parameter(torch.randn(d, args.hidden) * 0.01)
        self.b1 = torch.nn.Parameter(torch.zeros(args.hidden))
        self.w2 = torch.nn.Parameter(torch.randn(args.hidden, 1) * 0.1)
        self.b = torch.nn.Parameter(torch.zeros(1))

    def forward(self, xs):
        h = torch.relu(torch.sparse.mm(xs, self.W1) + self.b1)
        return (torch.sparse.mm(xs, self.lin) + h @ self.w2).squeeze(-1) + self.b


def tsp(m):
    m = m.tocoo()
    return torch.sparse_coo_tensor(np.vstack([m.row, m.col]), m.data, m.shape).coalesce()


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=args.lr)
rng = np.random.default_rng(0)
Tt = args.T
Xte_t = tsp(Xte.astype(np.float32))


def evaluate():
    with torch.no_grad():
        z = net(Xte_t).numpy()
    return z, balanced_eval(y_te, 1 / (1 + np.exp(-z)))


for ep in range(args.epochs):
    perm = rng.permutation(X.shape[0])
    for b in range(0, len(perm), args.bs):
        idx = perm[b : b + args.bs]
        xb = tsp(X[idx])
        z = net(xb)
        kd = torch.from_numpy(kind[idx]).float()
        zz = torch.where(kd > 0, z / Tt, z)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            zz, torch.from_numpy(tgt[idx]), weight=torch.from_numpy(wt[idx]).float()
        )
        # L2 as weight decay on touched rows is awkward for sparse; plain L2 on all weights
        loss = loss + args.wd * (net.lin.pow(2).sum() + net.W1.pow(2).sum())
        opt.zero_grad()
        loss.backward()
        opt.step()
    z, r = evaluate()
    print(f"epoch {ep}: AP {r[0]:.4f} F1 {r[1]:.4f} thr {r[2]} ({time.time() - t0:.0f}s)", flush=True)
if args.dump:
    np.savez(args.dump, z=z)
