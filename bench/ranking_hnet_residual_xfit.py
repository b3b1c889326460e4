"""Issue 25: the residual harmony network with cross-fitted offsets, the variant `bench/ranking_hnet_residual.py` left next.

The residual network learns with the rest of the ranker's score as a fixed offset in its pairwise loss, so that it is pushed where the
other features are wrong. There the offsets of the training rankings came from a combiner fitted on those same rankings (in sample),
which is right more often on them than on new dialogs, so the network saw fewer of the mistakes it is meant to correct. Here the
offsets are cross-fitted on the harmony family's own two parts (`LearnedHarmony`'s partition of the training dialogs): the rankings
of a part's dialogs (its labelled rankings and their dissimilar swaps) get the score of a combiner without `h_net` fitted on the other
part's dialogs only (its labelled rankings, swaps and mimicking sets, as `combiner_rankings` makes them). Everything else is as in
`bench/ranking_hnet_residual.py`: the harmony family is refitted with `ResidualHarmony` networks (the same settings, bagging and
cross-fitting as today), then the combiner on the new `h_net` column. Fixed before it was run (2026-12-07) and run once, nothing tuned.

Run from the project root: `python bench/ranking_hnet_residual_xfit.py` (about 5 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_hnet_residual.py`). Writes
`results/ranking/hnet_residual_xfit_real_cv5.json`: the default and the new ranker, paired over the 100 dialogs (a dialog's WKT averaged
over seeds 0 1 2; bootstrap 95% interval, randomization p), and each network's feature alone on the held-out dialogs.
"""
import functools
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, over_folds, rows_vs_default, seed_means, report, N_SHUFFLES
from ranking_hnet_residual import _key, residual_net, start

OUT = Path('results/ranking/hnet_residual_xfit_real_cv5.json')
RANKERS = ('default', 'residual h_net, cross-fitted offsets')


def xfit_residual(today, train, s):
    "The combiner on the residual `h_net` with cross-fitted offsets, from the run's ranker `today` fitted on `train` with seed `s`: `today.fs` is refitted in place, so score `today` first."
    from fascode_mm.ranking import PairwiseRanker, combiner_rankings, SetStructure, LearnedHarmony
    fs = today.fs
    cols = [c for c in today.columns if fs.names[c] != 'h_net']
    fam = next(f for f in fs.fams if type(f) is LearnedHarmony)
    part = dict(zip([d.id for d in train], np.random.default_rng(s).permutation(len(train)) % fam.n_splits))   # the family's own parts
    by_part = {q: {id(fam.by_id[i]) for i, x in part.items() if x == q} for q in range(fam.n_splits)}
    assert all(len(v) == 1 for v in by_part.values()) and len(set().union(*by_part.values())) == fam.n_splits   # the partition the family used
    rankings, offsets = fam.rankings(train), {}
    for p in range(fam.n_splits):
        other = [d for d in train if part[d.id] != p]
        rest = PairwiseRanker(fs, cols, C=today.C, syn_blind=SetStructure.names).fit(*combiner_rankings(other, _D['fd'].catalog, fs, s))
        offsets.update({_key(d): rest(d, d.candidates) for d in rankings if part[d.id] == p})
    assert len(offsets) == len({_key(d) for d in rankings})
    fam.network = functools.partial(residual_net(), offsets=offsets)
    fam.fit(train)                                                            # full and cross-fitted networks, as today
    fs._cache = {}
    return PairwiseRanker(fs, today.columns, C=today.C, syn_blind=SetStructure.names).fit(*combiner_rankings(train, _D['fd'].catalog, fs, s))


def fold(seed, k):
    "One outer fold: both rankers' WKT per test dialog, and each network's feature alone on the test dialogs."
    from fascode_mm.evaluation import evaluate_wkt
    sp, s, train, today, alone, per, net_alone = start(seed, k)   # RANKERS[0], 'default', as there
    new = xfit_residual(today, train, s)
    per[RANKERS[1]] = evaluate_wkt(sp.test, new, N_SHUFFLES, s)['per_dialog'].to_dict()
    net_alone[RANKERS[1]] = evaluate_wkt(sp.test, alone, N_SHUFFLES, s)['wkt']
    return seed, k, per, net_alone


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "the harmony networks trained with the other features' score as a fixed offset in their pairwise loss, the offsets of a part's "
                "rankings from a combiner without h_net fitted on the other part's dialogs, then the combiner refitted; diff: minus the default "
                "ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p)",
                command='python bench/ranking_hnet_residual_xfit.py', machine=machine(),
                rows=rows_vs_default({n: seed_means(r[2][n] for r in out) for n in RANKERS}),
                network_alone={n: float(np.mean([r[3][n] for r in out])) for n in RANKERS}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"{[round(float(np.mean(list(r[2][n].values()))), 3) for n in RANKERS]}")
    res = summary(out, seconds)
    print(f"network alone: {res['network_alone']}")
    report(res, OUT, 40)


if __name__ == '__main__':
    main()
