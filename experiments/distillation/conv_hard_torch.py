"""CNN over static token vectors, 5-fold CV on ClaimBuster rows (hard labels)."""
import sys, time, argparse
import numpy as np, torch, torch.nn as nn
sys.path.insert(0, "/work/main/experiments/distillation")
import importlib.util
_spec = importlib.util.spec_from_file_location("sp", "/work/shared/tools/score_proposer.py")
SP = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(SP)
ap = argparse.ArgumentParser()
ap.add_argument("--filters", type=int, default=128)
ap.add_argument("--widths", default="1,2,3")
ap.add_argument("--epochs", type=int, default=8)
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--drop", type=float, default=0.3)
ap.add_argument("--tune", action="store_true")
ap.add_argument("--folds", default="0,1,2,3,4")
ap.add_argument("--maxlen", type=int, default=80)
ap.add_argument("--wd", type=float, default=0.0)
ap.add_argument("--tag", default="cnn")
ap.add_argument("--pool", default="max")
ap.add_argument("--seeds", type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(1)
D = np.load("/work/exp/dense.npz"); y = D["y"]
T = np.load("/work/exp/tok_cb.npz"); L, flat = T["lengths"], T["flat"]
V = torch.tensor(np.load("/work/exp/vectors.npy"))
starts = np.concatenate(([0], np.cumsum(L)))
ML = a.maxlen
ids = np.zeros((len(L), ML), dtype=np.int64); mask = np.zeros((len(L), ML), dtype=bool)
for i in range(len(L)):
    s = flat[starts[i]:starts[i + 1]][:ML]
    ids[i, :len(s)] = s + 1; mask[i, :len(s)] = True
V1 = torch.cat([torch.zeros(1, V.shape[1]), V])
widths = [int(w) for w in a.widths.split(",")]

class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding.from_pretrained(V1, freeze=not a.tune, padding_idx=0)
        s.convs = nn.ModuleList([nn.Conv1d(V.shape[1], a.filters, w, padding=w // 2) for w in widths])
        s.drop = nn.Dropout(a.drop)
        npool = 2 if a.pool == "maxmean" else 1
        s.out = nn.Linear(a.filters * len(widths) * npool, 1)
    def forward(s, x, m):
        e = s.emb(x).transpose(1, 2)  # B, D, T
        feats = []
        for c in s.convs:
            h = torch.relu(c(e))[:, :, : x.shape[1]]
            mm = m[:, None, :]
            feats.append(h.masked_fill(~mm, -1e4).max(2).values)
            if a.pool == "maxmean":
                feats.append((h * mm).sum(2) / mm.sum(2).clamp(min=1))
        return s.out(s.drop(torch.cat(feats, 1))).squeeze(1)

from sklearn.model_selection import StratifiedKFold
skf = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
oof = np.full(len(y), np.nan)
t0 = time.time()
for k in [int(f) for f in a.folds.split(",")]:
    tr, te = skf[k]
    preds = []
    for seed in range(a.seeds):
        torch.manual_seed(seed); rng = np.random.default_rng(seed)
        net = Net()
        opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=a.lr, weight_decay=a.wd)
        pw = torch.tensor((y[tr] == 0).sum() / (y[tr] == 1).sum(), dtype=torch.float32)
        lossf = nn.BCEWithLogitsLoss(pos_weight=pw)
        X, M, Y = torch.tensor(ids), torch.tensor(mask), torch.tensor(y, dtype=torch.float32)
        for ep in range(a.epochs):
            net.train(); perm = rng.permutation(tr)
            for b in range(0, len(perm), 64):
                bi = perm[b:b + 64]; tl = int(M[bi].sum(1).max())
                opt.zero_grad(); loss = lossf(net(X[bi, :tl], M[bi, :tl]), Y[bi]); loss.backward(); opt.step()
        net.eval()
        with torch.no_grad():
            preds.append(net(X[te], M[te]).numpy())
    oof[te] = np.mean(preds, 0)
    print(k, f"{time.time()-t0:.0f}s", flush=True)
np.save(f"/work/exp/oof_{a.tag}.npy", oof)
def SUBS():
    rng = np.random.default_rng(0); pos = np.flatnonzero(y == 1); neg = np.flatnonzero(y == 0)
    return [np.sort(np.concatenate([pos, rng.choice(neg, size=len(pos), replace=False)])) for _ in range(10)]
subs = SUBS(); have = ~np.isnan(oof)
def bal(s):
    return np.mean([SP.average_precision(y[i[have[i]]], s[i[have[i]]]) for i in subs])
base = np.load("/work/exp/oof_base.npy")
zs = lambda v: (v - v[have].mean()) / v[have].std()
print(a, "cnn", round(bal(oof), 4), "base", round(bal(base), 4),
      "blends", [(w, round(bal((1 - w) * zs(base) + w * zs(oof)), 4)) for w in (0.2, 0.3, 0.4, 0.5)], flush=True)
