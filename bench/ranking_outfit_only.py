"""Issue 25: what a dialog with only its accepted outfit is worth to the ranker, against one with its three ranked candidates.

The learning curve (`bench/ranking_learning_curve.py`) and its parts (`bench/ranking_curve_parts.py`) found the ranker learning
steeply from its labelled dialogs, in its combiner. The dialogs a FASCODE user has most of are not ranked triples: the training
dialogs of FASCODE (7,236 in the full data, none in the public subset) end in one accepted outfit (`dialogs_from_sessions`), and the
ranker can learn from such a dialog too: its text fits the context, its outfit seeds the synthetic rankings (dissimilar swaps and
mimicking sets) and the networks' swaps, but it gives no ranking of real candidates. Here, in each outer fold of the run's splits
(seeds 0 1 2) and for each of the learning curve's two random subsets of 20 and 40 of the fold's 80 labelled dialogs, the whole
ranker is refitted on:
- `N ranked`: the subset's N dialogs alone (the learning curve's rows, refitted here);
- `N ranked + 80 - N with their accepted outfit only`: the subset and the fold's other training dialogs, each of those reduced to its
  text and its R1, the outfit the user accepted (no candidates);
beside the default (80 ranked). Each is scored on the fold's 20 test dialogs. Nothing is chosen: the rows say how much of a ranked
dialog's worth an accepted outfit carries. Designed on 2026-12-08 after the two scripts above, and run once.

Run from the project root: `python bench/ranking_outfit_only.py` (about 10 minutes on 2 cores: two worker processes, one torch thread
each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_learning_curve.py`). Writes
`results/ranking/outfit_only_real_cv5.json`: per row its WKT (a dialog's WKT averaged over seeds and subsets) and the paired
difference from the default (bootstrap 95% interval, randomization p, Holm over the rows); per size, what the accepted outfits add,
paired (`outfits_gain`).
"""
from dataclasses import replace
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, report, N_SHUFFLES
from ranking_learning_curve import subsets, REPEATS

OUT, SIZES = Path('results/ranking/outfit_only_real_cv5.json'), (20, 40)
ROWS = ('default', *(r for n in SIZES for r in (f'{n} ranked', f'{n} ranked + {80 - n} with their accepted outfit only')))


def outfit_only(d):
    "Dialog `d` as a training dialog of FASCODE is: its turns and the outfit the user accepted (its R1), no candidates."
    return replace(d, candidates=[], outfit=dict(d.candidates[0]))


def fold(seed, k):
    "One outer fold: the WKT per test dialog of each row (the subsets' rows averaged over the `REPEATS` subsets)."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    assert sum(d.labelled and len(d.candidates) == 3 for d in train) == 80
    score = lambda dialogs: evaluate_wkt(sp.test, _ranker(sp, dialogs, s), N_SHUFFLES, s)['per_dialog'].to_dict()
    runs = {n: [] for n in ROWS[1:]}
    for r in range(REPEATS):
        for n, sub in subsets(train, seed, k, r).items():
            if n not in SIZES: continue
            kept = {d.id for d in sub}
            runs[f'{n} ranked'].append(score(sub))
            runs[f'{n} ranked + {80 - n} with their accepted outfit only'].append(score(sub + [outfit_only(d) for d in train if d.id not in kept]))
    per = {ROWS[0]: score(train), **{n: {i: float(np.mean([v[i] for v in vs])) for i in vs[0]} for n, vs in runs.items()}}
    return seed, k, per


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.evaluation import paired_test
    from fascode_mm.run import machine
    mean = {n: seed_means(r[2][n] for r in out) for n in ROWS}
    gain = {n: paired_test(mean[f'{n} ranked + {80 - n} with their accepted outfit only'], mean[f'{n} ranked']) for n in SIZES}
    return dict(protocol=f"5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2, 10 reshuffles; {REPEATS} random subsets of "
                f"{' and '.join(map(str, SIZES))} of each outer fold's 80 labelled training dialogs (the learning curve's); the whole ranker "
                "refitted on the subset alone, and on the subset with the fold's other training dialogs reduced to their text and accepted "
                "outfit (R1, no candidates); a dialog's WKT averaged over seeds and subsets; diff: minus the default, paired over the 100 "
                "dialogs (bootstrap 95% interval, randomization p, Holm over the rows)", command='python bench/ranking_outfit_only.py',
                machine=machine(), rows=rows_vs_default(mean),
                outfits_gain={f'{n} ranked': dict(diff=g['diff'], ci95_diff=g['ci95'], p_value=g['p_value']) for n, g in gain.items()}, seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: ', '.join(f"{np.mean(list(r[2][n].values())):.3f}" for n in ROWS))
    res = summary(out, seconds)
    report(res, OUT, 52)
    for n, g in res['outfits_gain'].items():
        print(f"{n}: the accepted outfits of the others add {g['diff']:+.4f} [{g['ci95_diff'][0]:+.3f}, {g['ci95_diff'][1]:+.3f}] p {g['p_value']:.3f}")


if __name__ == '__main__':
    main()
