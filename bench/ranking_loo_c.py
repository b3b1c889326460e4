"""Issue 25: the combiner's C chosen by leaving one labelled training dialog out at a time, the features kept as fitted.

Why. Settings of C from 1 to 10, fixed in every fold, score above 0.55 on the outer folds, and every nested choice of C so far
(4 or 10 inner folds, a learning curve through 2 and 4 inner folds, the inner folds' log-likelihood) kept C near today's 0.1. Inner
folds train on 60 (or 72) of the fold's 80 labelled dialogs, and the learning curve says the ranker wants less regularisation the more
labelled rankings it has: an inner fold's preference is that of a smaller training set. Here the choice is made at nearly the size it
is applied at. The features are fitted once on the fold's 80 training dialogs (the run's ranker); only the combiner is refitted, on 79
labelled dialogs at a time: for each labelled training dialog, its ranking and every synthetic ranking made from its outfit (the
dissimilar swaps and the mimicking sets keep the dialog's id) are left out, the combiner's weights are refitted as the run fits them
(`PairwiseRanker.fit`, the same rankings, weights and mean of fits) at each C of the grid, and the dialog's own ranking is scored (WKT
of its three candidates ordered by the refitted scores). A fold picks the C with the highest mean over its 80 dialogs (ties: today's
0.1 if it is among the best, else the smallest), and its combiner is refitted with it on everything and scored on the outer fold.

What it does not leave out: the features of the other dialogs were fitted with the held-out one in the training set (its text in
the TF-IDF and stop words; its ranking among those the networks of the other cross-fitted part learned from; its swap pattern among
those the mimicking sets copy). That can only bias the choice of C, never the outer figure: the outer fold's dialogs are in none of it.

Grid, criterion and tie rule were fixed before this script first ran (2026-12-08), and it was run once. Grid: C 0.03, 0.1 (today's),
0.3, 1, 3, 10, the grid of `bench/ranking_nested_refit.py`.

Run from the project root: `python bench/ranking_loo_c.py` (about 23 minutes on 2 cores: two worker processes, one torch thread
each; it reuses `bench/ranking_net_screen.py`). `--look` checks on seed 0, fold 1 that the refit reproduces the run's weights and
says how many rankings each left-out dialog takes with it. Writes `results/ranking/loo_c_real_cv5.json`: per C its mean
leave-one-out WKT (mean of the 15 outer folds) and the number of folds that picked it; the rows (default, the nested choice, each
other C in every fold) with their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds;
bootstrap 95% interval, randomization p, Holm over the rows).
"""
import copy
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, report, N_SHUFFLES
from ranking_popularity import first_fold

OUT = Path('results/ranking/loo_c_real_cv5.json')
CS = (0.03, 0.1, 0.3, 1, 3, 10)
TODAY = 0.1
NESTED = 'C chosen by leaving one labelled training dialog out'


def weights(today, C, rankings, out=None) -> np.ndarray:
    "The combiner's weights at `C`, fitted as the run fits them (`PairwiseRanker.fit`) on its `rankings` (`combiner_rankings`), those of dialog `out` left out (synthetic rankings keep their dialog's id)."
    lab, syn, mim = rankings
    keep = lambda ds: [d for d in ds if d.id != out]
    r = copy.copy(today); r.C = C
    return r.fit(keep(lab), keep(syn), [keep(m) for m in mim]).w


def loo_wkt(today, C, rankings) -> float:
    "Mean WKT of each labelled training dialog's ranking under the combiner refitted at `C` without it."
    from fascode_mm.evaluation import wkt
    out = []
    for d in rankings[0]:
        s = today.matrix(d, d.candidates) @ weights(today, C, rankings, out=d.id)
        ranks = np.empty(3, int); ranks[np.argsort(-s, kind='stable')] = np.arange(3)
        out.append(wkt([0, 1, 2], ranks))
    return float(np.mean(out))


def pick(loo: dict) -> float:
    "The C with the best mean leave-one-out WKT; ties: today's if among the best, else the smallest."
    best = max(loo.values())
    tied = [c for c in CS if loo[c] == best]
    return TODAY if TODAY in tied else min(tied)


def fold(seed, k):
    "One outer fold: each C's mean leave-one-out WKT, the pick, and the WKT per test dialog of the combiner refitted at each C."
    from fascode_mm.evaluation import evaluate_wkt
    from fascode_mm.ranking import combiner_rankings
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    today = _ranker(sp, train, s)
    rankings = combiner_rankings(train, _D['fd'].catalog, today.fs, s)
    assert np.allclose(weights(today, TODAY, rankings), today.w, rtol=0, atol=1e-9), "the refit does not reproduce the run's weights"
    loo = {C: loo_wkt(today, C, rankings) for C in CS}
    per = {}
    for C in CS:
        r = today if C == TODAY else copy.copy(today)
        if C != TODAY: r.C, r.w = C, weights(today, C, rankings)
        per[C] = evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict()
    return seed, k, loo, pick(loo), per


def name(C) -> str: return 'default' if C == TODAY else f'C {C} in every fold'


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    rows = {'default': seed_means(r[4][TODAY] for r in out), NESTED: seed_means(r[4][r[3]] for r in out)}
    rows |= {name(C): seed_means(r[4][C] for r in out) for C in CS if C != TODAY}
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "C of the combiner chosen per outer fold by the mean WKT of its 80 labelled training dialogs, each scored by the combiner refitted "
                "without its ranking and the synthetic rankings made from its outfit (features as fitted on the 80; ties: 0.1 if among the best, "
                "else the smallest); diff: minus the default ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_loo_c.py', machine=machine(), grid=list(CS),
                choice={str(C): dict(loo_wkt=float(np.mean([r[2][C] for r in out])), picked_in=sum(r[3] == C for r in out)) for C in CS},
                picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out}, rows=rows_vs_default(rows), seconds=seconds)


def look():
    "Seed 0, fold 1: the refit reproduces the run's weights; how many rankings each left-out dialog takes with it (no test dialog is scored)."
    from fascode_mm.ranking import combiner_rankings
    today, train = first_fold()
    lab, syn, mim = rankings = combiner_rankings(train, _D['fd'].catalog, today.fs, 0)
    w = weights(today, TODAY, rankings)
    print(f"refit at C {TODAY} against the run's weights: largest difference {np.abs(w - today.w).max():.2e} (largest weight {np.abs(today.w).max():.2f})")
    n = [sum(x.id == d.id for x in syn) + sum(x.id == d.id for m in mim for x in m) for d in lab]
    print(f"{len(lab)} labelled rankings, {len(syn)} dissimilar swaps, {len(mim)} mimicking sets of {[len(m) for m in mim]}; "
          f"a left-out dialog takes {np.mean(n):.1f} synthetic rankings with it on average (min {min(n)}, max {max(n)})")


def main():
    import sys
    if '--look' in sys.argv: return look()
    out, seconds = over_folds(fold, lambda r: f"pick C {r[3]}, loo {[round(r[2][C], 3) for C in CS]}, outer "
                                              f"{[round(float(np.mean(list(r[4][C].values()))), 3) for C in CS]}")
    res = summary(out, seconds)
    for C, g in res['choice'].items(): print(f"C {C:>5}: mean leave-one-out WKT {g['loo_wkt']:.4f}, picked {g['picked_in']:2d}")
    report(res, OUT, 72)


if __name__ == '__main__':
    main()
