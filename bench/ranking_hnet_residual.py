"""Issue 25: a harmony network trained on what the rest of the ranker gets wrong.

`bench/ranking_hnet_passthrough.py` found that a harmony network that ranks better alone does not help the ranker because its gains
fall on candidate pairs the other features already order right. This script tries the idea the ranking page named next, fixed before
it was run (2026-12-07) and run once with no setting tuned (and again after `HarmonyNet.fit` took `offsets`: the same JSON but for
seconds): the harmony network learns with the rest of the ranker's score as a fixed offset in its pairwise loss, so that it is pushed
where the other features are wrong. Per outer fold (the run's splits, seeds 0 1 2):

1. the run's ranker is fitted as the run fits it (`default`);
2. the combiner is refitted without the `h_net` column (the other features, the same rankings and C), and its score of every ranking
   the harmony network learns from (the labelled rankings and ten dissimilar swaps per dialog) is that ranking's offset;
3. the harmony family is fitted again with `ResidualHarmony` networks (the same settings, bagging and 2-part cross-fitting as today,
   each trained on offset + its score), and the combiner is refitted on the new `h_net` column (`residual h_net`).

The offsets of the training rankings come from a combiner fitted on them (in sample). Both rankers are scored on the outer fold;
`residual h_net` minus the default is paired over the 100 dialogs. Also recorded: each network's feature alone on the held-out dialogs.
It is one more idea judged on these 100 dialogs, on the machine recorded in the JSON (on another kind of machine the default scores
otherwise in the third decimal: `fascode_mm.run`, *Reproducing the main result on another machine*).

Run from the project root: `python bench/ranking_hnet_residual.py` (about 4 minutes on 2 cores: two worker processes, one torch
thread each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes `results/ranking/hnet_residual_real_cv5.json`.
"""
import functools
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, feature_alone, report, N_SHUFFLES

OUT = Path('results/ranking/hnet_residual_real_cv5.json')
RANKERS = ('default', 'residual h_net')


def _key(d) -> tuple:
    "A ranking's identity by content: its dialog id and its candidates in order (the swaps are remade, so not by object)."
    from fascode_mm.ranking_nets import outfit_key
    return d.id, tuple(outfit_key(c) for c in d.candidates)


def residual_net():
    "`HarmonyNet` trained with `offsets` (a ranking's `_key` -> the other features' scores of its candidates) added in its loss."
    from fascode_mm.ranking_nets import HarmonyNet

    class ResidualHarmony(HarmonyNet):
        def __init__(self, emb, offsets=None, **kw):
            super().__init__(emb, **kw); self.offsets = offsets

        def fit(self, rankings):
            return super().fit(rankings, offsets=np.array([self.offsets[_key(d)] for d in rankings]))
    return ResidualHarmony


def start(seed, k) -> tuple:
    "Outer fold `k` of seed `seed`: its split, seed and training dialogs, the run's ranker, its `h_net` as a scorer alone, and the WKT of both on the test dialogs ('default')."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    today = _ranker(sp, train, s)
    alone = feature_alone(today.fs, 'h_net')
    return (sp, s, train, today, alone, {'default': evaluate_wkt(sp.test, today, N_SHUFFLES, s)['per_dialog'].to_dict()},
            {'default': evaluate_wkt(sp.test, alone, N_SHUFFLES, s)['wkt']})


def fold(seed, k):
    "One outer fold: both rankers' WKT per test dialog, and each network's feature alone on the test dialogs."
    from fascode_mm.evaluation import evaluate_wkt
    from fascode_mm.ranking import PairwiseRanker, combiner_rankings, SetStructure, LearnedHarmony
    sp, s, train, today, alone, per, net_alone = start(seed, k)
    fs = today.fs
    lab, syn, mim = combiner_rankings(train, _D['fd'].catalog, fs, s)
    rest = PairwiseRanker(fs, [c for c in today.columns if fs.names[c] != 'h_net'], C=today.C, syn_blind=SetStructure.names).fit(lab, syn, mim)
    fam = next(f for f in fs.fams if type(f) is LearnedHarmony)
    offsets = {_key(d): rest(d, d.candidates) for d in fam.rankings(train)}   # the rest's scores, candidates in gold order
    fam.network = functools.partial(residual_net(), offsets=offsets)
    fam.fit(train)                                                            # full and cross-fitted networks, as today
    fs._cache = {}
    new = PairwiseRanker(fs, today.columns, C=today.C, syn_blind=SetStructure.names).fit(lab, syn, mim)
    per['residual h_net'] = evaluate_wkt(sp.test, new, N_SHUFFLES, s)['per_dialog'].to_dict()
    net_alone['residual h_net'] = evaluate_wkt(sp.test, alone, N_SHUFFLES, s)['wkt']
    lab_sd = lambda r: np.vstack([r._X(d) for d in lab]).std(0)
    weight = {n: float((r.w * lab_sd(r))[list(np.array(fs.names)[r.columns]).index('h_net')]) for n, r in (('residual h_net', new),)}
    return seed, k, per, net_alone, weight


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "residual h_net: the harmony networks trained with the other features' score (the combiner refitted without h_net) as a fixed "
                "offset in their pairwise loss, then the combiner refitted; diff: minus the default ranker, paired over the 100 dialogs "
                "(bootstrap 95% interval, randomization p)",
                command='python bench/ranking_hnet_residual.py', machine=machine(), rows=rows_vs_default({n: seed_means(r[2][n] for r in out) for n in RANKERS}),
                network_alone={n: float(np.mean([r[3][n] for r in out])) for n in RANKERS},
                residual_weight=float(np.mean([r[4]['residual h_net'] for r in out])), seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"{[round(float(np.mean(list(r[2][n].values()))), 3) for n in RANKERS]}")
    res = summary(out, seconds)
    print(f"network alone: {res['network_alone']}; residual h_net's weight × spread {res['residual_weight']:.3f}")
    report(res, OUT, 16)


if __name__ == '__main__':
    main()
