"""Issue 25: weigh the two network features more where they are stronger, by how much chosen by nested CV that refits everything.

The combiner learns its weights on the training dialogs, whose `h_net` and `m_net` come from networks cross-fitted on half of them,
and applies them to held-out dialogs, whose features come from the networks trained on all the training dialogs. Alone, the held-out
features rank better than the cross-fitted ones (`h_net` 0.349 against 0.253, `m_net` 0.202 against 0.033: `bench/ranking_push.py`),
while their spread is the same (`bench/ranking_hnet_scale.py`); a weight learned on the weaker feature is too small for the stronger
one. Here the two network terms of the fitted combiner are multiplied at scoring time by `mh` (the `h_net` weight) and `mm` (`m_net`),
the other weights left as they are. Each outer fold (the run's splits, seeds 0 1 2) chooses (mh, mm) in `GRID` by 4 inner folds of its
80 training dialogs in which the whole ranker is refitted on the 60 (features, networks, synthetic rankings, weights: as
`bench/ranking_nested_refit.py` does for C), so that an inner held-out dialog gets its network features as an outer test dialog gets
them; the grid point with the best mean inner WKT (ties: the first, (1, 1) being today's ranker) is applied to the ranker fitted on the
80 and scored on the outer fold. Every grid point fixed in every fold is also scored on the outer folds, for the table only.
The idea and its grid were fixed before the script was first run (2026-12-07), after the measurements above had been seen, so it is
one more idea judged on these 100 dialogs, on the machine recorded in the JSON.

Run from the project root: `python bench/ranking_net_multiplier.py` (about 8 minutes on 2 cores: two worker processes, one torch
thread each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes `results/ranking/net_multiplier_real_cv5.json`:
per grid point its mean inner WKT, the number of outer folds that picked it and its WKT fixed; the rows (default, nested choice, fixed
grid points) with their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap
95% interval, randomization p, Holm over the rows); and each network feature alone on the inner training dialogs (cross-fitted)
and the inner held-out ones.
"""
import copy
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, feature_alone, inner_folds, report, N_SHUFFLES

OUT = Path('results/ranking/net_multiplier_real_cv5.json')
GRID = [(mh, mm) for mh in (1, 1.5, 2) for mm in (1, 2, 4)]   # (1, 1) first: today's ranker wins ties
NESTED = 'multipliers chosen by 4 inner folds that refit everything'
NETS = ('h_net', 'm_net')


def label(g) -> str: return 'default' if g == (1, 1) else f'h_net x{g[0]:g}, m_net x{g[1]:g}'


def scaled(r, g):
    "A copy of the fitted ranker `r` whose `h_net` and `m_net` weights are multiplied by `g` = (mh, mm)."
    c, names = copy.copy(r), np.array(r.fs.names)[r.columns]
    c.w = r.w * np.where(names == 'h_net', g[0], np.where(names == 'm_net', g[1], 1.0))
    return c


def fold(seed, k):
    "One outer fold: each grid point's mean inner WKT, the pick, and the WKT per test dialog of every grid point and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    inner, feat = {g: [] for g in GRID}, {f'{n}, {w}': [] for n in NETS for w in ('inner training', 'inner held-out')}
    for fit_on, val in inner_folds(train, seed, k):
        r = _ranker(sp, fit_on, s)
        for g in GRID: inner[g].append(evaluate_wkt(val, scaled(r, g), N_SHUFFLES, s)['wkt'])
        for n in NETS:
            feat[f'{n}, inner training'].append(evaluate_wkt([d for d in fit_on if d.labelled and len(d.candidates) == 3], feature_alone(r.fs, n), N_SHUFFLES, s)['wkt'])
            feat[f'{n}, inner held-out'].append(evaluate_wkt(val, feature_alone(r.fs, n), N_SHUFFLES, s)['wkt'])
    inner = {g: float(np.mean(v)) for g, v in inner.items()}
    pick = max(GRID, key=lambda g: inner[g])
    today = _ranker(sp, train, s)
    per = {label(g): evaluate_wkt(sp.test, scaled(today, g), N_SHUFFLES, s)['per_dialog'].to_dict() for g in GRID}
    per[NESTED] = per[label(pick)]
    return seed, k, inner, pick, per, {n: float(np.mean(v)) for n, v in feat.items()}


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    names = ['default', NESTED] + [label(g) for g in GRID[1:]]
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "nested: 4 inner folds of each outer fold's 80 training dialogs, the whole ranker refitted on each inner fold's 60, the network "
                "weights multiplied at scoring time; diff: minus the default ranker, paired over the 100 dialogs (bootstrap 95% interval, "
                "randomization p, Holm over the rows)",
                command='python bench/ranking_net_multiplier.py', machine=machine(),
                grid={label(g): dict(mh=g[0], mm=g[1], inner_wkt=float(np.mean([r[2][g] for r in out])), picked_in=sum(r[3] == g for r in out)) for g in GRID},
                picks={f'seed {r[0]} fold {r[1] + 1}': list(r[3]) for r in out},
                rows=rows_vs_default({n: seed_means(r[4][n] for r in out) for n in names}),
                network_alone={n: float(np.mean([r[5][n] for r in out])) for n in out[0][5]}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"pick {r[3]}, inner default {r[2][(1, 1)]:.3f} best {r[2][r[3]]:.3f}")
    res = summary(out, seconds)
    for n, g in res['grid'].items(): print(f"{n:24} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}")
    print(f"network features alone: {res['network_alone']}")
    report(res, OUT, 58)


if __name__ == '__main__':
    main()
