"""Issue 25: why does the combiner pass on so little of what a stronger harmony network gains?

With weight decay 1e-2 the harmony network alone gains +0.35 on 43 held-out dialogs and loses 0.40 on 23, but the ranker gains only
+0.016 on the first and loses 0.078 on the second (`bench/ranking_hnet_overlap.py`). Two things change between the two rankers: the
`h_net` term (the feature and its weight) and the weights of the other features, refitted beside it. Per outer fold (the run's splits,
seeds 0 1 2), this script fits the ranker as the run fits it with today's network and with weight decay 1e-2, and scores a third,
`hybrid`: today's weights and features for every other column, and the 1e-2 ranker's `h_net` term. `hybrid` minus today is what the
new term does with the other terms held fixed; 1e-2 minus `hybrid` is what refitting the other weights does.

It then looks at the held-out candidate pairs (three per dialog, in gold order). A pair is `gained` when the network's term orders it
right with 1e-2 and wrong today (or tied), `lost` the other way round. For each kind of pair it records how often `hybrid` flips the
ranker's order the same way, and the size of the new term's change against the margin of the other terms. It also records each
column's weight × spread in both combiners, and the machine it ran on (`fascode_mm.run.machine`). A measurement, no choice.

Run from the project root: `python bench/ranking_hnet_passthrough.py` (about 5 minutes on 2 cores: two worker processes, one torch
thread each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes `results/ranking/hnet_passthrough_real_cv5.json`.
"""
import json
from pathlib import Path
import numpy as np

from ranking_net_screen import both_rankers, over_folds, N_SHUFFLES

OUT = Path('results/ranking/hnet_passthrough_real_cv5.json')
COLUMNS = ('ranker, today', 'hybrid', 'ranker, 1e-2')
PAIRS = ((0, 1), (0, 2), (1, 2))


class Hybrid:
    "Ranker `a`'s score with its `h_net` term replaced by ranker `b`'s (the same columns)."
    order_free = True
    def __init__(self, a, b):
        names = list(np.array(a.fs.names)[a.columns])
        assert names == list(np.array(b.fs.names)[b.columns]), "the two rankers use different columns"
        self.a, self.b, self.j = a, b, names.index('h_net')

    def terms(self, dialog, shown) -> tuple:
        "The other terms of `a` and the `h_net` terms of `a` and of `b` ([len(shown)] each)."
        Fa, Fb, j = self.a.matrix(dialog, shown), self.b.matrix(dialog, shown), self.j
        ha, hb = Fa[:, j] * self.a.w[j], Fb[:, j] * self.b.w[j]
        return Fa @ self.a.w - ha, ha, hb

    def __call__(self, dialog, shown) -> list:
        rest, _, hb = self.terms(dialog, shown)
        return (rest + hb).tolist()


def pair_rows(hy, dialogs) -> list:
    "Per held-out candidate pair (gold order: the first is better): the margins of `a`'s other terms, of both `h_net` terms, and of `b`."
    from fascode_mm.evaluation import _blind
    out = []
    for d in dialogs:
        if not (d.labelled and len(d.candidates) == 3): continue
        blind = _blind(d, d.candidates)
        (rest, ha, hb), sb = hy.terms(blind, d.candidates), np.array(hy.b(blind, d.candidates))
        out += [dict(dialog=d.id, pair=f'{i}{j}', rest=float(rest[i] - rest[j]), today=float(ha[i] - ha[j]), new=float(hb[i] - hb[j]),
                     refit=float(sb[i] - sb[j])) for i, j in PAIRS]
    return out


def fold(seed, k):
    "One outer fold: the WKT of each of `COLUMNS` per test dialog, the held-out pairs' margins, and both combiners' weights × spread."
    from fascode_mm.evaluation import evaluate_wkt
    sp, s, train, today, wd = both_rankers(seed, k)
    hy = Hybrid(today, wd)
    d0 = sp.test[0]
    assert np.allclose(Hybrid(today, today)(d0, d0.candidates), today(d0, d0.candidates))   # its own term back: the ranker itself
    per = {n: evaluate_wkt(sp.test, f, N_SHUFFLES, s)['per_dialog'].to_dict() for n, f in zip(COLUMNS, (today, hy, wd))}
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    names = list(np.array(today.fs.names)[today.columns])
    weights = {n: dict(zip(names, (r.w * np.vstack([r._X(d) for d in lab]).std(0)).tolist())) for n, r in (('today', today), ('1e-2', wd))}
    return seed, k, per, pair_rows(hy, sp.test), weights


def pair_summary(pairs) -> dict:
    "Per kind of pair (`gained`, `lost`, `both right`, `both wrong`): how many (of the 15 folds' pairs), the share that `hybrid` orders as the new term does while today's ranker did not, and the median sizes."
    import pandas as pd
    df = pd.DataFrame(pairs)
    right_t, right_n = df['today'] > 0, df['new'] > 0
    ranker_t, ranker_h, ranker_r = df['rest'] + df['today'] > 0, df['rest'] + df['new'] > 0, df['refit'] > 0
    kinds = {'gained': right_n & ~right_t, 'lost': ~right_n & right_t, 'both right': right_n & right_t, 'both wrong': ~right_n & ~right_t}
    out = {}
    for kind, m in kinds.items():
        x = df[m]
        flips = (ranker_h[m] == right_n[m]) & (ranker_t[m] != right_n[m])   # the ranker follows the new term's order where it did not before
        out[kind] = dict(pairs=int(m.sum()), ranker_right_today=float(ranker_t[m].mean()), ranker_right_hybrid=float(ranker_h[m].mean()),
                         ranker_right_refit=float(ranker_r[m].mean()),
                         passed_on=float(flips.mean()), could_flip=float((ranker_t[m] != right_n[m]).mean()),
                         median_abs_rest=float(x['rest'].abs().median()), median_abs_change=float((x['new'] - x['today']).abs().median()),
                         median_abs_today=float(x['today'].abs().median()), median_abs_new=float(x['new'].abs().median()))
    return out


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    per = {n: {} for n in COLUMNS}
    for _, _, r, _, _ in out:
        for n in COLUMNS:
            for i, w in r[n].items(): per[n].setdefault(i, []).append(w)
    mean = {n: np.array([np.mean(v) for v in per[n].values()]) for n in COLUMNS}   # each dialog's WKT, mean of the seeds
    names = list(out[0][4]['today'])
    weights = {n: {c: float(np.mean([r[4][n][c] for r in out])) for c in names} for n in ('today', '1e-2')}
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "hybrid: today's ranker with its h_net term (feature × weight) replaced by that of the ranker whose harmony network has weight decay 1e-2; "
                "pairs: the held-out candidate pairs of the 15 outer folds in gold order, grouped by whether each h_net term orders them right; "
                "weights: each column's weight × its spread over the labelled training rankings, mean of the 15 folds",
                command='python bench/ranking_hnet_passthrough.py', machine=machine(), wkt={n: float(v.mean()) for n, v in mean.items()},
                pairs=pair_summary([p for r in out for p in r[3]]), weights=weights, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"{[round(float(np.mean(list(r[2][n].values()))), 3) for n in COLUMNS]}")
    res = summary(out, seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    print('WKT ' + '  '.join(f'{n} {v:.4f}' for n, v in res['wkt'].items()))
    for kind, v in res['pairs'].items(): print(f"{kind:11} " + '  '.join(f'{a} {b:.3f}' if isinstance(b, float) else f'{a} {b}' for a, b in v.items()))
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
