"""Issue 25: is the harmony feature on the same scale where the combiner learns its weight and where it is applied?

A training dialog's `h_net` comes from a network cross-fitted on half of the training dialogs (40), a held-out dialog's from the
network trained on all 80. The combiner learns its weight on the first and applies it to the second. `bench/ranking_net_refit.py` found
that more weight decay makes the held-out feature rank better alone while the ranker does not gain, with the weight unchanged; one
candidate cause is that the two sources differ in spread. Here, for each setting of that script fixed in every fold, the ranker is
fitted as the run fits it and the spread of `h_net` (centred within each dialog's three candidates, standard deviation over candidates)
is measured on the labelled training dialogs and on the held-out ones, and their ratio per fold. A measurement, no choice: nothing here
changes the ranker.

Run from the project root: `python bench/ranking_hnet_scale.py` (about 10 minutes on 2 cores: two worker processes, one torch thread
each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes `results/ranking/hnet_scale_real_cv5.json`: per
setting the spreads and the held-out / training ratio, means over the 15 folds (seeds 0 1 2, 5 folds each), with the ratio's range.
"""
import json
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, TODAY

OUT = Path('results/ranking/hnet_scale_real_cv5.json')
SETTINGS = (TODAY, 'weight decay 3e-3', 'weight decay 1e-2')   # those of bench/ranking_net_refit.py


def spread(r, dialogs) -> float:
    "The standard deviation of the ranker `r`'s `h_net` feature over the candidates of `dialogs`, centred within each dialog."
    j = list(r.fs.names).index('h_net')
    return float(np.concatenate([(lambda v: v - v.mean())(r.fs.features(d, d.candidates)[:, j]) for d in dialogs]).std())


def fold(seed, k):
    "One outer fold: per setting, the spread of `h_net` on the labelled training dialogs (cross-fitted) and on the test dialogs."
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    out = {}
    for n in SETTINGS:
        r = _ranker(sp, train, s, None if n == TODAY else n)
        out[n] = dict(train=spread(r, lab), test=spread(r, sp.test))
    return seed, k, out


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    per = {n: dict(train=[r[2][n]['train'] for r in out], test=[r[2][n]['test'] for r in out]) for n in SETTINGS}
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2; the ranker fitted as the run fits it with each "
                "harmony-network setting; spread: standard deviation of h_net over candidates, centred within each dialog; means over the 15 folds",
                command='python bench/ranking_hnet_scale.py',
                settings={n: dict(spread_train=float(np.mean(v['train'])), spread_test=float(np.mean(v['test'])),
                                  ratio=float(np.mean(np.divide(v['test'], v['train']))),
                                  ratio_range=[float(np.min(np.divide(v['test'], v['train']))), float(np.max(np.divide(v['test'], v['train'])))])
                          for n, v in per.items()}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"{[(round(v['train'], 3), round(v['test'], 3)) for v in r[2].values()]}")
    res = summary(out, seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for n, g in res['settings'].items():
        print(f"{n:55} spread of h_net: training dialogs {g['spread_train']:.4f}, held-out {g['spread_test']:.4f}; ratio {g['ratio']:.3f} "
              f"[{g['ratio_range'][0]:.3f}, {g['ratio_range'][1]:.3f}]")
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
