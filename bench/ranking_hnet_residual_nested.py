"""Issue 25: the residual harmony network with cross-fitted offsets, or today's network, chosen by nested CV that refits everything.

`bench/ranking_hnet_residual_xfit.py` found the residual network with cross-fitted offsets level with the default (+0.009
[-0.014, +0.035]), the first change to the harmony network that did not lose, and the ranking page left it as a candidate to be judged
by nested CV. Here each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and that one by 4 inner folds of its
80 training dialogs in which both are refitted on the 60 (the whole ranker; then the residual networks and the combiner, as
`xfit_residual` does) and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties: today's), refitted on the 80
and scored on the outer fold. The protocol was fixed before it was run (2026-12-07), after the outer rows of the xfit script had been
seen: it asks whether nested CV would have chosen what those rows show.

Run from the project root: `python bench/ranking_hnet_residual_nested.py` (about 25 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and the residual scripts). Writes `results/ranking/hnet_residual_nested_real_cv5.json`:
per ranker its mean inner WKT and the number of outer folds that picked it; the rows (default, nested choice, the residual ranker in
every fold) with their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95%
interval, randomization p, Holm over the rows).
"""
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _ranker, over_folds, rows_vs_default, seed_means, inner_folds, report, N_SHUFFLES
from ranking_hnet_residual import start
from ranking_hnet_residual_xfit import xfit_residual, RANKERS

OUT = Path('results/ranking/hnet_residual_nested_real_cv5.json')
NESTED = 'today or residual h_net, chosen by 4 inner folds that refit everything'


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, and the WKT per test dialog of both and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    sp, s, train, today, _, per, _ = start(seed, k)
    per[RANKERS[1]] = evaluate_wkt(sp.test, xfit_residual(today, train, s), N_SHUFFLES, s)['per_dialog'].to_dict()
    inner = {n: [] for n in RANKERS}
    for fit_on, val in inner_folds(train, seed, k):
        r = _ranker(sp, fit_on, s)
        inner[RANKERS[0]].append(evaluate_wkt(val, r, N_SHUFFLES, s)['wkt'])   # before xfit_residual refits r's features in place
        inner[RANKERS[1]].append(evaluate_wkt(val, xfit_residual(r, fit_on, s), N_SHUFFLES, s)['wkt'])
    inner = {n: float(np.mean(v)) for n, v in inner.items()}
    pick = max(RANKERS, key=lambda n: inner[n])
    per[NESTED] = per[pick]
    return seed, k, inner, pick, per


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "nested: 4 inner folds of each outer fold's 80 training dialogs, both rankers refitted on each inner fold's 60; diff: minus the "
                "default ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_hnet_residual_nested.py', machine=machine(),
                choice={n: dict(inner_wkt=float(np.mean([r[2][n] for r in out])), picked_in=sum(r[3] == n for r in out)) for n in RANKERS},
                picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out},
                rows=rows_vs_default({n: seed_means(r[4][n] for r in out) for n in (RANKERS[0], NESTED, RANKERS[1])}), seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"pick {r[3]!r}, inner {[round(r[2][n], 3) for n in RANKERS]}")
    res = summary(out, seconds)
    for n, g in res['choice'].items(): print(f"{n:40} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}")
    report(res, OUT, 72)


if __name__ == '__main__':
    main()
