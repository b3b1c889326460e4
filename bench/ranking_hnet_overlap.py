"""Issue 25: do the dialogs that a stronger harmony network gains already rank well without it?

With weight decay 1e-2 the harmony network alone ranks the held-out dialogs better than today's (0.408 against 0.349), its feature
spreads alike on training and held-out dialogs, and the combiner's weight on it hardly moves (`bench/ranking_net_refit.py`,
`bench/ranking_hnet_scale.py`), yet the ranker does not gain (0.521 against 0.537). One explanation is redundancy: the dialogs that the
network gains may be ones the other features already rank well. Per outer fold (the run's splits, seeds 0 1 2), the ranker is fitted as
the run fits it with today's network and with weight decay 1e-2, and today's combiner is refitted without the `h_net` column
(`without h_net`: the other features alone, the same rankings and C). Per held-out dialog (WKT averaged over the seeds) it records
the network alone (its `h_net` feature) with each setting, the two rankers, and the ranker without `h_net`. The dialogs are grouped by
whether the network alone gains with 1e-2 (alone 1e-2 minus alone today above, at, or below zero). A measurement, no choice.

Run from the project root: `python bench/ranking_hnet_overlap.py` (about 5 minutes on 2 cores: two worker processes, one torch
thread each; it reuses the loading and fitting of `bench/ranking_net_screen.py`). Writes `results/ranking/hnet_overlap_real_cv5.json`:
per group the number of dialogs and the mean of each column.
"""
import json
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, both_rankers, over_folds, N_SHUFFLES

OUT = Path('results/ranking/hnet_overlap_real_cv5.json')
COLUMNS = ('alone, today', 'alone, 1e-2', 'ranker, today', 'ranker, 1e-2', 'ranker without h_net')


def fold(seed, k):
    "One outer fold: the WKT of each of `COLUMNS` per test dialog."
    from fascode_mm.evaluation import evaluate_wkt
    from fascode_mm.ranking import PairwiseRanker, combiner_rankings, SetStructure
    sp, s, train, today, wd = both_rankers(seed, k)
    alone = lambda r: (lambda d, shown, j=list(r.fs.names).index('h_net'): r.fs.features(d, shown)[:, j].tolist())
    lab, syn, mim = combiner_rankings(train, _D['fd'].catalog, today.fs, s)
    assert np.allclose(PairwiseRanker(today.fs, today.columns, C=today.C, syn_blind=SetStructure.names).fit(lab, syn, mim).w, today.w)   # the run's combiner
    cols = [c for c in today.columns if today.fs.names[c] != 'h_net']
    rest = PairwiseRanker(today.fs, cols, C=today.C, syn_blind=SetStructure.names).fit(lab, syn, mim)
    scorers = dict(zip(COLUMNS, (alone(today), alone(wd), today, wd, rest)))
    return seed, k, {n: evaluate_wkt(sp.test, f, N_SHUFFLES, s)['per_dialog'].to_dict() for n, f in scorers.items()}


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    import pandas as pd
    per = {n: {} for n in COLUMNS}
    for _, _, r in out:
        for n in COLUMNS:
            for i, w in r[n].items(): per[n].setdefault(i, []).append(w)
    df = pd.DataFrame({n: {i: float(np.mean(v)) for i, v in per[n].items()} for n in COLUMNS})   # a row per dialog, WKT averaged over the seeds
    gain = np.sign(df['alone, 1e-2'] - df['alone, today'])
    groups = {'network alone gains with 1e-2': gain > 0, 'level': gain == 0, 'network alone loses with 1e-2': gain < 0, 'all dialogs': gain == gain}
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "groups by the sign of (the network alone with weight decay 1e-2 minus today's), per dialog; means of each column's per-dialog WKT",
                command='python bench/ranking_hnet_overlap.py',
                groups={g: dict(dialogs=int(m.sum()), **{n: float(df.loc[m, n].mean()) for n in COLUMNS}) for g, m in groups.items()}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"{[round(float(np.mean(list(r[2][n].values()))), 3) for n in COLUMNS]}")
    res = summary(out, seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for g, v in res['groups'].items(): print(f"{g:32} {v['dialogs']:3d} dialogs  " + '  '.join(f"{n} {v[n]:+.3f}" for n in COLUMNS))
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
