"""Issue 25: the learned ranker's WKT against the number of labelled dialogs it learns from, and what the curve says about 0.55.

Every idea since the default was fixed has been judged at one size, the 80 labelled dialogs of an outer fold, and none moved it by more
than the 100 dialogs can resolve. This script asks the question from the data's side: how does the default ranker, unchanged, learn
with the number of labelled dialogs? In each outer fold of the run's splits (5-fold CV, seeds 0 1 2) the whole ranker (features,
networks, synthetic rankings, combiner) is refitted on `REPEATS` random subsets of 20, 40 and 60 of the fold's 80 labelled training
dialogs (the subsets drawn from the fold's seed, nested: each size's subset holds the next smaller one's) and scored on the fold's 20
test dialogs, as with all 80 (the default). The harmony network's own feature (`h_net`) is scored alone as well, since it was seen to
learn steeply (0.293 with 60 dialogs, 0.352 with 80). Nothing is chosen here: the rows are measurements.

The curve is summarised two ways, both fitted by least squares to the four sizes' mean WKT: W(n) = a - b/n (which levels off at a)
and W(n) = a + b log n (which does not); each gives the n at which it would reach the issue's 0.55 and the published 0.6563. These are
extrapolations from 20 to 80 dialogs, stated as such; the paired differences between the sizes (over the 100 test dialogs, a dialog's
WKT averaged over seeds and subsets) are the evidence.

Run from the project root: `python bench/ranking_learning_curve.py` (about 15 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py`). Writes `results/ranking/learning_curve_real_cv5.json`: per size the ranker's and
`h_net`'s WKT with their 95% intervals, the ranker's paired difference from 80 dialogs, and the two fits with their extrapolations.
"""
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, feature_alone, N_SHUFFLES

OUT = Path('results/ranking/learning_curve_real_cv5.json')
SIZES, REPEATS, TARGETS = (20, 40, 60), 2, (0.55, 0.6563)


def subsets(train, seed, k, r) -> dict:
    "Repeat `r` of outer fold `k` of seed `seed`: {n: the training dialogs with only n of the labelled ones} for n in `SIZES`, nested (one random order of the labelled dialogs, its first n)."
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    order = np.random.default_rng(10_000 * seed + 100 * k + r).permutation(len(lab))
    rest = [d for d in train if d.id not in {x.id for x in lab}]
    return {n: rest + [lab[i] for i in sorted(order[:n])] for n in SIZES}


def fold(seed, k):
    "One outer fold: per size, the WKT per test dialog of the ranker and of `h_net` alone (mean over the repeats for the subsets)."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    per, alone = {}, {}
    def score(r):
        return (evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict(),
                evaluate_wkt(sp.test, feature_alone(r.fs, 'h_net'), N_SHUFFLES, s)['per_dialog'].to_dict())
    n80 = sum(d.labelled and len(d.candidates) == 3 for d in train)
    per[n80], alone[n80] = score(_ranker(sp, train, s))
    runs = {n: [] for n in SIZES}
    for r in range(REPEATS):
        for n, dialogs in subsets(train, seed, k, r).items(): runs[n].append(score(_ranker(sp, dialogs, s)))
    for n, v in runs.items():
        per[n] = {i: float(np.mean([x[0][i] for x in v])) for i in v[0][0]}
        alone[n] = {i: float(np.mean([x[1][i] for x in v])) for i in v[0][1]}
    return seed, k, n80, per, alone


def fits(n, w) -> dict:
    "The two least-squares curves through the sizes `n` and mean WKT `w`, each with the n at which it reaches each of `TARGETS` (None: never)."
    n, w = np.asarray(n, float), np.asarray(w, float)
    out = {}
    for name, x, reach in (('a - b/n', 1 / n, lambda a, b, t: b / (a - t) if a > t and b > 0 else None),
                           ('a + b log n', np.log(n), lambda a, b, t: float(np.exp((t - a) / b)) if b > 0 else None)):
        A = np.c_[np.ones_like(x), x]
        coef = np.linalg.lstsq(A, w, rcond=None)[0]
        a, b = coef[0], -coef[1] if name == 'a - b/n' else coef[1]
        out[name] = dict(a=float(a), b=float(b), max_abs_residual=float(np.abs(A @ coef - w).max()),
                         n_to_reach={str(t): (None if (m := reach(a, b, t)) is None else round(float(m))) for t in TARGETS})
    return out


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.evaluation import mean_ci
    from fascode_mm.run import machine
    n80 = out[0][2]
    assert all(r[2] == n80 for r in out), "every outer fold should train on the same number of labelled dialogs"
    sizes = (*SIZES, n80)
    mean = {n: seed_means(r[3][n] for r in out) for n in sizes}
    rows = rows_vs_default({'default' if n == n80 else f'{n} labelled dialogs': mean[n] for n in (n80, *SIZES)})
    h = {n: seed_means(r[4][n] for r in out) for n in sizes}
    return dict(protocol=f"5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2, 10 reshuffles; the run's ranker refitted on "
                f"{REPEATS} random nested subsets of {', '.join(map(str, SIZES))} of each outer fold's {n80} labelled training dialogs and scored on "
                "its test dialogs (a dialog's WKT averaged over seeds and subsets); diff: minus the ranker on all of them (default), paired over "
                "the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows); fits: least squares through the sizes' mean WKT",
                command='python bench/ranking_learning_curve.py', machine=machine(), sizes=list(sizes), repeats=REPEATS,
                curve={str(n): dict(wkt=float(mean[n].mean()), ci95=mean_ci(mean[n]), h_net_alone=float(h[n].mean()), h_net_ci95=mean_ci(h[n]))
                       for n in sizes},
                fits=fits(sizes, [mean[n].mean() for n in sizes]), h_net_fits=fits(sizes, [h[n].mean() for n in sizes]),
                rows=rows, seconds=seconds)


def main():
    import json
    out, seconds = over_folds(fold, lambda r: ', '.join(f"{n}: {np.mean(list(r[3][n].values())):.3f}" for n in sorted(r[3])))
    res = summary(out, seconds)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for n, c in res['curve'].items(): print(f"{n:>3} labelled: ranker {c['wkt']:.4f} {np.round(c['ci95'], 3)}  h_net alone {c['h_net_alone']:.4f}")
    for n, r in res['rows'].items():
        if 'diff' in r: print(f"{n:22} diff {r['diff']:+.4f} [{r['ci95_diff'][0]:+.3f}, {r['ci95_diff'][1]:+.3f}] p {r['p_value']:.3f}")
    for k in ('fits', 'h_net_fits'): print(k, json.dumps(res[k]))
    print(f"written to {OUT} ({seconds} s)")


if __name__ == '__main__':
    main()
