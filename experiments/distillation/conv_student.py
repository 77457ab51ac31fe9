import sys, time, json, argparse
import numpy as np
sys.path.insert(0, "/work/main/experiments/distillation"); sys.path.insert(0, "/work/main")
from common import augment, balanced_eval, folds, load, sha1
from extraction import features as F
from extraction.conv import fit_conv_head
ap = argparse.ArgumentParser(); ap.add_argument("--fold", type=int); ap.add_argument("--T", type=float, default=2.0)
ap.add_argument("--seed", type=int, default=0); ap.add_argument("--tag", default="np"); ap.add_argument("--sets", default="clef,aug"); ap.add_argument("--hard", type=float, default=0.5)
a = ap.parse_args(); k = a.fold
cb, clef = load(); tr, te = folds(cb)[k]
text = [r["text"] for r in cb]; y = np.array([r["label"] for r in cb])
tr_text = [text[i] for i in tr]; te_text = [text[i] for i in te]
tes = {t.strip().lower() for t in te_text}
tl = json.load(open(f"/work/exp/teachers/{k}/logits.json"))
PRIOR = float(np.log((y[tr] == 0).sum() / (y[tr] == 1).sum()))
soft = lambda ts: 1 / (1 + np.exp(-(np.array([tl[sha1(t)] for t in ts]) + PRIOR) / a.T))
allsets = {"clef": [t for t in dict.fromkeys(r["text"] for r in clef) if t.strip().lower() not in tes], "aug": [t for t in augment(tr_text) if t.strip().lower() not in tes]}
sets = [allsets[s] for s in a.sets.split(",") if s]
n = len(tr)
wh = np.where(y[tr] == 1, n / (2 * (y[tr] == 1).sum()), n / (2 * (y[tr] == 0).sum()))
texts = list(tr_text); tg = [a.hard * y[tr] + (1 - a.hard) * soft(tr_text)]; ws = [wh]
for ts in sets:
    texts += ts; tg.append(soft(ts)); ws.append(np.full(len(ts), n / len(ts)))
emb = F.StaticEmbeddings.from_npz("/work/main/extraction/models/static_minilm_l6.npz")
t0 = time.time()
L, fl = emb.token_ids(texts)
head = fit_conv_head(L, fl, emb.vectors, np.concatenate(tg).astype(np.float32), np.concatenate(ws).astype(np.float32), seed=a.seed)
Lt, ft = emb.token_ids(te_text)
z = head.logits(Lt, ft, emb.vectors).astype(np.float64)
np.save(f"/work/exp/cs_{a.tag}_f{k}.npy", z)
print(k, f"{time.time()-t0:.0f}s", "cnn", round(balanced_eval(y[te], 1 / (1 + np.exp(-z)))[0], 4), flush=True)
