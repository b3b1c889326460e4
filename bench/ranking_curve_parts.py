"""Issue 25: which part of the ranker learns from the labelled dialogs, its features or its combiner?

`bench/ranking_learning_curve.py` found the default ranker learning steeply with the number of labelled training dialogs (0.458 with
40, 0.540 with 80). The ranker learns from them in two places: its features (`FeatureSet`: the fitted context of the dialog match and constraints, and
the harmony and match networks, trained on the labelled rankings and their dissimilar swaps) and its combiner (the weights of
`PairwiseRanker`, fitted on the labelled rankings and the synthetic ones made from the training dialogs: dissimilar swaps, and
mimicking sets with the swap patterns of the labelled rankings). Here, in each outer fold
of the run's splits (seeds 0 1 2) and for each of the learning curve's two random subsets of 40 of the fold's 80 labelled dialogs:
- `all from 40`: the ranker fitted on the 40 (the learning curve's row, refitted here);
- `features from 80, combiner from 40`: today's features, fitted on the 80, with the combiner fitted on the 40's rankings only
  (their labelled rankings and the synthetic rankings made from them);
- `features from 40, combiner from 80`: the features fitted on the 40, with the combiner fitted on the 80's rankings (the 40 others'
  network features then come from networks that never saw them, as a test dialog's do);
and the default (all from 80). Each is scored on the fold's 20 test dialogs. Nothing is chosen: the rows say where the curve's
+0.08 comes from. Designed on 2026-12-08 after the learning curve, and run once.

Run from the project root: `python bench/ranking_curve_parts.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_learning_curve.py`). Writes
`results/ranking/curve_parts_real_cv5.json`: per row its WKT (a dialog's WKT averaged over seeds and subsets) and the paired
difference from the default (bootstrap 95% interval, randomization p, Holm over the rows).
"""
import json
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, report, N_SHUFFLES
from ranking_learning_curve import subsets, REPEATS

OUT, N = Path('results/ranking/curve_parts_real_cv5.json'), 40
ROWS = ('default', f'all from {N}', f'features from 80, combiner from {N}', f'features from {N}, combiner from 80')


def combiner(fs, dialogs, s):
    "Today's combiner (`PairwiseRanker` as `ranking_scorers` makes it) on the features `fs`, fitted on the rankings of `dialogs` (labelled, dissimilar swaps, mimicking sets)."
    from fascode_mm.ranking import PairwiseRanker, SetStructure, combiner_rankings
    labelled, syn, mimic = combiner_rankings(dialogs, _D['fd'].catalog, fs, s)
    return PairwiseRanker(fs, columns=fs.usable(labelled + syn), syn_blind=SetStructure.names).fit(labelled, syn, mimic)


def fold(seed, k):
    "One outer fold: the WKT per test dialog of each row (the subsets' rows averaged over the `REPEATS` subsets)."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    score = lambda r: evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict()
    today = _ranker(sp, train, s)
    runs = {n: [] for n in ROWS[1:]}
    for r in range(REPEATS):
        sub = subsets(train, seed, k, r)[N]
        small = _ranker(sp, sub, s)
        runs[ROWS[1]].append(score(small))
        runs[ROWS[2]].append(score(combiner(today.fs, sub, s)))
        runs[ROWS[3]].append(score(combiner(small.fs, train, s)))
    per = {ROWS[0]: score(today), **{n: {i: float(np.mean([v[i] for v in vs])) for i in vs[0]} for n, vs in runs.items()}}
    return seed, k, per


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol=f"5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2, 10 reshuffles; {REPEATS} random subsets of {N} of each "
                "outer fold's 80 labelled training dialogs (the learning curve's); features: the `FeatureSet` (context, synthetic rankings' "
                "swap patterns, networks) fitted on the dialogs named; combiner: `PairwiseRanker` fitted on the rankings of the dialogs named; "
                "a dialog's WKT averaged over seeds and subsets; diff: minus the default, paired over the 100 dialogs (bootstrap 95% interval, "
                "randomization p, Holm over the rows)", command='python bench/ranking_curve_parts.py', machine=machine(),
                rows=rows_vs_default({n: seed_means(r[2][n] for r in out) for n in ROWS}), seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: ', '.join(f"{np.mean(list(r[2][n].values())):.3f}" for n in ROWS))
    report(summary(out, seconds), OUT, 40)


if __name__ == '__main__':
    main()
