"""CNN student over static token vectors: CB hard labels + teacher soft labels (CLEF, aug)."""
import sys, time, argparse, json
import numpy as np, torch, torch.nn as nn
sys.path.insert(0, "/work/main/experiments/distillation"); sys.path.insert(0, "/work/main")
from common import augment, balanced_eval, folds, load, sha1
from extraction import features as F
ap = argparse.ArgumentParser()
ap.add_argument("--fold", type=int, default=0)
ap.add_argument("--filters", type=int, default=128)
ap.add_argument("--epochs", type=int, default=6)
ap.add_argument("--T", type=float, default=2.0)
ap.add_argument("--sets", default="clef,aug")
ap.add_argument("--alpha", type=float, default=1.0)
ap.add_argument("--hard", default="hard")  # hard | mix (0.5 hard + 0.5 teacher on CB rows)
ap.add_argument("--seeds", type=int, default=1)
ap.add_argument("--tag", default="cs")
ap.add_argument("--tune", action="store_true")
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--widths", default="1,2,3")
a = ap.parse_args()
torch.set_num_threads(1)
cb, clef = load(); k = a.fold
tr, te = folds(cb)[k]
text = [r["text"] for r in cb]; y = np.array([r["label"] for r in cb])
tr_text = [text[i] for i in tr]; te_text = [text[i] for i in te]
tes = {t.strip().lower() for t in te_text}
tl = json.load(open(f"/work/exp/teachers/{k}/logits.json"))
PRIOR = float(np.log((y[tr] == 0).sum() / (y[tr] == 1).sum()))
sets = {"clef": [t for t in dict.fromkeys(r["text"] for r in clef) if t.strip().lower() not in tes],
        "aug": augment(tr_text)}
emb = F.StaticEmbeddings.from_npz("/work/main/extraction/models/static_minilm_l6.npz")
V1 = torch.cat([torch.zeros(1, emb.dim), torch.tensor(emb.vectors)])
def ids_of(texts, ML=80):
    L, flat = emb.token_ids(texts); st = np.concatenate(([0], np.cumsum(L)))
    ids = np.zeros((len(texts), ML), dtype=np.int64)
    for i in range(len(texts)):
        s = flat[st[i]:st[i + 1]][:ML]; ids[i, :len(s)] = s + 1
    return ids
n = len(tr)
texts = list(tr_text); tgt = [y[tr].astype(np.float32)]
wh = np.where(y[tr] == 1, n / (2 * (y[tr] == 1).sum()), n / (2 * (y[tr] == 0).sum()))
if a.hard in ("mix", "soft"):
    tz = np.array([tl[sha1(t)] for t in tr_text]) + PRIOR
    hw = 0.5 if a.hard == "mix" else 0.0
    tgt = [hw * y[tr] + (1 - hw) / (1 + np.exp(-tz / a.T))]
ws = [wh]
for s in [s for s in a.sets.split(",") if s]:
    ts = sets[s]; z = np.array([tl[sha1(t)] for t in ts]) + PRIOR
    texts += ts; tgt.append(1 / (1 + np.exp(-z / a.T))); ws.append(np.full(len(ts), a.alpha * n / len(ts)))
ids = torch.tensor(ids_of(texts)); Y = torch.tensor(np.concatenate(tgt), dtype=torch.float32)
W = torch.tensor(np.concatenate(ws), dtype=torch.float32)
te_ids = torch.tensor(ids_of(te_text))
WID = [int(w) for w in a.widths.split(',')]
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding.from_pretrained(V1, freeze=not a.tune, padding_idx=0)
        s.convs = nn.ModuleList([nn.Conv1d(emb.dim, a.filters, w, padding=w // 2) for w in WID])
        s.drop = nn.Dropout(0.3); s.out = nn.Linear(a.filters * len(WID), 1)
    def forward(s, x):
        m = x > 0; e = s.emb(x).transpose(1, 2)
        f = [torch.relu(c(e))[:, :, : x.shape[1]].masked_fill(~m[:, None, :], -1e4).max(2).values for c in s.convs]
        return s.out(s.drop(torch.cat(f, 1))).squeeze(1)
t0 = time.time(); preds = []
for seed in range(a.seeds):
    torch.manual_seed(seed); rng = np.random.default_rng(seed); net = Net()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=a.lr)
    for ep in range(a.epochs):
        net.train(); perm = rng.permutation(len(texts))
        for b in range(0, len(perm), 64):
            bi = perm[b:b + 64]; x = ids[bi]; tl_ = int((x > 0).sum(1).max()); x = x[:, :max(tl_, 1)]
            loss = (nn.functional.binary_cross_entropy_with_logits(net(x), Y[bi], reduction="none") * W[bi]).mean()
            opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad(): preds.append(net(te_ids).numpy())
z = np.mean(preds, 0)
np.save(f"/work/exp/cs_{a.tag}_f{k}.npy", z)
base = np.load("/work/exp/oof_base.npy")[te]
zs = lambda v: (v - v.mean()) / v.std()
sg = lambda v: 1 / (1 + np.exp(-v))
print(vars(a), f"{time.time()-t0:.0f}s n={len(texts)}", "cnn", round(balanced_eval(y[te], sg(z))[0], 4),
      "base", round(balanced_eval(y[te], sg(base))[0], 4),
      [(w, round(balanced_eval(y[te], sg((1 - w) * zs(base) + w * zs(z)))[0], 4)) for w in (0.3, 0.5, 0.7)], flush=True)
