"""Issue 25: more rankings for the two networks, made from the labelled ones by swapping the items their candidates share.

The network features learn steeply with the number of labelled dialogs: alone on held-out dialogs, `h_net` ranks at 0.293 when the
networks learn from 60 dialogs and at 0.349 from 80, `m_net` at 0.130 and 0.202 (`bench/ranking_net_multiplier.py`,
`bench/ranking_push.py`), while more synthetic triples made from an outfit alone (dissimilar or mimicking swaps) taught them nothing
or worse (`bench/ranking_nets_tried.py`). A labelled ranking's order is decided by the items in which its candidates differ; the
items all three share are context. `context_swaps` makes `n_aug` copies of each labelled training ranking in which every shared item
(in all three candidates at once) is replaced by one of its `K` most similar items of the same class (`SwapPatterns.ranked`: text
aspects and image), the dialog, the differing items and the order kept, as NHN Diquest augmented its training dialogs (4x). A ranking
with no shared item gives none. The copies keep their dialog's id, so the cross-fitted networks never learn from copies of the
dialogs they score. Only the networks learn from them (the harmony and the match network, full and cross-fitted); the combiner's
rankings are as today.

Each outer fold (the run's splits, seeds 0 1 2) chooses `n_aug` in `GRID` (0 is today's ranker) by 4 inner folds of its 80 training
dialogs in which the whole ranker is refitted on the 60 (as `bench/ranking_nested_refit.py` does for C); the value with the best mean
inner WKT (ties: the first) is refitted on the 80 and scored on the outer fold. Every value fixed in every fold is also scored on the
outer folds, for the table only. The idea, K and the grid were fixed before the script was first run (2026-12-07), so it is one more
idea judged on these 100 dialogs, on the machine recorded in the JSON.

Run from the project root: `python bench/ranking_net_context_swaps.py` (about 25 minutes on 2 cores: two worker processes, one torch
thread each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes
`results/ranking/net_context_swaps_real_cv5.json`: per value its mean inner WKT and the number of outer folds that picked it; the rows
(default, nested choice, each value fixed) with their difference from the default paired over the 100 dialogs (a dialog's WKT
averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows); and each network feature alone on the outer
folds' held-out dialogs per value.
"""
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, over_folds, rows_vs_default, seed_means, feature_alone, inner_folds, report, N_SHUFFLES

OUT = Path('results/ranking/net_context_swaps_real_cv5.json')
GRID, K = (0, 1, 3), 10   # copies per labelled ranking; 0: today's ranker (first: it wins ties)
NESTED = 'copies chosen by 4 inner folds that refit everything'
NETS = ('h_net', 'm_net')


def label(n) -> str: return 'default' if n == 0 else f'context swaps: {n} per ranking'


def context_swaps(rankings, patterns, n_aug, k=K, seed=0) -> list:
    "`n_aug` copies of each labelled ranking of `rankings` with every item its three candidates share swapped for one of its `k` most similar of its class (`patterns`: a `SwapPatterns`)."
    from fascode_mm.ranking_nets import SLOTS
    rng, out = np.random.default_rng([seed, 25]), []
    for d in rankings:
        c = d.candidates
        if len(c) != 3: continue
        shared = [s for s in SLOTS if c[0].get(s) in patterns.row and c[0].get(s) == c[1].get(s) == c[2].get(s)]
        near = {s: patterns.ranked(c[0][s], s, True)[:k] or patterns.ranked(c[0][s], s, False)[:k] for s in shared}
        near = {s: v for s, v in near.items() if v}
        for _ in range(n_aug if near else 0):
            new = {s: v[rng.integers(len(v))] for s, v in near.items()}
            cands = [{**x, **new} for x in c]
            out.append(replace(d, candidates=cands, outfit=cands[0]))
    return out


@contextmanager
def augmented(n_aug):
    "The learned families' networks learn from `n_aug` context-swap copies of each labelled ranking besides today's rankings."
    import fascode_mm.ranking as RK
    from fascode_mm.ranking_nets import SwapPatterns
    original = RK.LearnedHarmony.rankings
    def rankings(self, dialogs):
        base = original(self, dialogs)
        if not n_aug: return base
        if getattr(self, '_patterns', None) is None: self._patterns = SwapPatterns(self.ctx.catalog, self.ctx.emb)
        return base + context_swaps([d for d in dialogs if d.labelled and len(d.candidates) == 3], self._patterns, n_aug, seed=self.ctx.seed)
    RK.LearnedHarmony.rankings = rankings
    try: yield
    finally: RK.LearnedHarmony.rankings = original


def ranker(sp, train, seed, n_aug):
    "The run's learned ranker on `train`, its networks trained with `n_aug` context-swap copies per labelled ranking."
    import fascode_mm.ranking as RK
    from fascode_mm.fits import split_embeddings
    with augmented(n_aug):
        return RK.ranking_scorers(_D['fd'].catalog, train, _D['emb'].items, split_embeddings(sp), seed=seed)['learned']


def fold(seed, k):
    "One outer fold: each value's mean inner WKT, the pick, each value's WKT per test dialog, and the network features alone."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    inner = {n: [] for n in GRID}
    for fit_on, val in inner_folds(train, seed, k):
        for n in GRID: inner[n].append(evaluate_wkt(val, ranker(sp, fit_on, s, n), N_SHUFFLES, s)['wkt'])
    inner = {n: float(np.mean(v)) for n, v in inner.items()}
    pick = max(GRID, key=lambda n: inner[n])
    per, feat = {}, {}
    for n in GRID:
        r = ranker(sp, train, s, n)
        per[label(n)] = evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict()
        feat[label(n)] = {f: evaluate_wkt(sp.test, feature_alone(r.fs, f), N_SHUFFLES, s)['wkt'] for f in NETS}
    per[NESTED] = per[label(pick)]
    return seed, k, inner, pick, per, feat


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    names = ['default', NESTED] + [label(n) for n in GRID[1:]]
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                f"nested: 4 inner folds of each outer fold's 80 training dialogs, the whole ranker refitted on each inner fold's 60; K {K}; "
                "diff: minus the default ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_net_context_swaps.py', machine=machine(),
                grid={label(n): dict(copies=n, inner_wkt=float(np.mean([r[2][n] for r in out])), picked_in=sum(r[3] == n for r in out)) for n in GRID},
                picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out},
                rows=rows_vs_default({n: seed_means(r[4][n] for r in out) for n in names}),
                network_alone={label(n): {f: float(np.mean([r[5][label(n)][f] for r in out])) for f in NETS} for n in GRID}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"pick {r[3]}, inner {[round(r[2][n], 3) for n in GRID]}")
    res = summary(out, seconds)
    for n, g in res['grid'].items(): print(f"{n:32} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}")
    print(f"network features alone (held-out): {res['network_alone']}")
    report(res, OUT, 55)


if __name__ == '__main__':
    main()
