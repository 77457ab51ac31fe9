"""Dense MLP over [static emb 256 + hand 25] regressing the teacher logit on the transfer set,
blended with the LR student's logit (dumped by student.py)."""
import json, os, sys, time
import numpy as np, torch
from common import augment, balanced_eval, folds, load, sha1
from extraction import features as F

torch.set_num_threads(1); SEED = int(os.environ.get('SEED', 0)); torch.manual_seed(SEED)
t0 = time.time()
cb, clef = load(); tr, te = folds(cb)[0]
cb_text = [r["text"] for r in cb]; cb_y = np.array([r["label"] for r in cb])
tr_text = [cb_text[i] for i in tr]; te_text = [cb_text[i] for i in te]; y_te = cb_y[te]
tl = json.load(open("/work/exp/teachers/0/logits.json"))
emb = F.StaticEmbeddings.from_npz("/work/main/extraction/models/static_minilm_l6.npz")
clef_text = list(dict.fromkeys(r["text"] for r in clef))
texts = tr_text + clef_text + augment(tr_text)
def dense(t):
    return np.hstack([emb.embed(t), F.hand_matrix(t)]).astype(np.float32)
X = dense(texts); Xte = dense(te_text)
mu, sd = X.mean(0), X.std(0) + 1e-3
X = (X - mu) / sd; Xte = (Xte - mu) / sd
y = np.array([tl[sha1(t)] for t in texts], dtype=np.float32)
H, DO, WD, LR, EP = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], H), torch.nn.ReLU(), torch.nn.Dropout(DO),
                          torch.nn.Linear(H, H), torch.nn.ReLU(), torch.nn.Linear(H, 1))
opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=WD)
Xt, yt, Xtet = map(torch.from_numpy, (X, y, Xte))
rng = np.random.default_rng(SEED)
zlr = np.load("/work/exp/s0a.npz")["clef+aug_T2"]
for ep in range(EP):
    net.train()
    for idx in np.array_split(rng.permutation(len(X)), len(X) // 256):
        loss = torch.nn.functional.mse_loss(net(Xt[idx]).squeeze(-1), yt[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad():
        zm = net(Xtet).squeeze(-1).numpy()
    if True:
        r = balanced_eval(y_te, 1 / (1 + np.exp(-zm)))
        bl = [(b, round(balanced_eval(y_te, 1 / (1 + np.exp(-(zlr + b * zm))))[0], 4)) for b in (0.1, 0.2, 0.3, 0.5, 1.0)]
        print(f"ep {ep} mlp AP {r[0]:.4f} F1 {r[1]:.4f} blends {bl} ({time.time()-t0:.0f}s)", flush=True)

np.save(f'/work/exp/dense_seed{SEED}.npy', zm)
