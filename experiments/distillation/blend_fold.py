import sys, numpy as np
sys.path.insert(0, "/work/main/experiments/distillation")
from common import balanced_eval
k = sys.argv[1]; tag = sys.argv[2] if len(sys.argv) > 2 else "mix"
d = np.load(f"/work/exp/lrs_f{k}.npz"); y = d["y"]
c = np.load(f"/work/exp/cs_{tag}_f{k}.npy")
zs = lambda v: (v - v.mean()) / v.std(); sg = lambda v: 1 / (1 + np.exp(-v))
print("teacher", round(balanced_eval(y, sg(d["teacher"]))[0], 4))
for lrn in ("base", "clef_T2", "clef+aug_T2"):
    print(lrn, [(w, round(balanced_eval(y, sg((1 - w) * zs(d[lrn]) + w * zs(c)))[0], 4)) for w in (0.0, 0.3, 0.4, 0.5, 0.6)])
