"""Issue 25: how often a candidate's differing items were accepted in other dialogs, as one more feature of the combiner.

A new signal, not a new setting. Item popularity is the first prior a recommender learns from accepted outfits, and the ranker has no
feature of it: every feature it has reads the dialog, the catalogue or the candidate set. Here `p_r1`, per candidate: the mean over its
differing items (`diff_items`) of log(1 + the number of labelled training dialogs whose R1, the accepted outfit, holds the item). A
training dialog's own R1 is left out of its counts, so that the combiner learns the feature's weight as it applies to new dialogs. The
feature is zeroed in the synthetic rankings (dissimilar swaps and mimicking sets), as the structure features are in the swaps: their
R1 is not always an accepted outfit and their swapped items come from anywhere in the catalogue, so its weight is learned from the
labelled rankings only. Everything else is the run's ranker: the same features, rankings, C and fit.

The idea came from a look at how often the candidates' differing items recur in the other dialogs of the 100: leaving each dialog out,
its R1 items were accepted elsewhere more often than its R2 items, and those more often than its R3 items (64, 54 and 49 of 176 items;
`bench/ranking_candidate_looks.py` records that look). It was fixed after that look and before this script first ran (2026-12-07), and run once.
Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training dialogs,
both refitted on each inner fold's 60 (the counts from those 60 too) and scored on the 20 held out; the better mean inner WKT is the
fold's pick (ties: today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_popularity.py` (about 10 minutes on 2 cores: two worker processes, one torch thread
each; it reuses `bench/ranking_net_screen.py`). Writes `results/ranking/popularity_real_cv5.json`: per ranker its mean inner WKT and
the number of outer folds that picked it; the feature alone on the outer folds; the rows (default, nested choice, the popularity
ranker in every fold) with their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds;
bootstrap 95% interval, randomization p, Holm over the rows).
"""
from collections import Counter
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, inner_folds, report, N_SHUFFLES

OUT = Path('results/ranking/popularity_real_cv5.json')
RANKERS = ('default', 'item popularity (p_r1)')
NESTED = 'today or item popularity, chosen by 4 inner folds that refit everything'


def popularity(train):
    "`p_r1(dialog, shown)`: per shown candidate, the mean log(1 + times accepted) of its differing items, counted over the labelled `train` dialogs' R1 less the dialog's own."
    from fascode_mm.data import outfit_items
    from fascode_mm.ranking import diff_items
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    counts, own = Counter(i for d in lab for i in outfit_items(d.candidates[0])), {d.id: Counter(outfit_items(d.candidates[0])) for d in lab}
    def p_r1(dialog, shown):
        o = own.get(dialog.id, {})
        return [float(np.mean([np.log1p(counts[i] - o.get(i, 0)) for i in items])) for items in diff_items(shown)]
    return p_r1


def with_columns(today, train, s, columns, k, mimic_blind, swap_blind=True):
    "The run's ranker `today` (fitted on `train` with seed `s`) refitted with `k` columns `columns(dialog, shown) -> [len(shown), k]` added, zeroed in the dissimilar swaps if `swap_blind` and in every mimicking set if `mimic_blind`."
    from fascode_mm.ranking import PairwiseRanker, SetStructure, combiner_rankings

    class ExtraColumns(PairwiseRanker):
        def matrix(self, dialog, shown):
            return np.hstack([super().matrix(dialog, shown), np.asarray(columns(dialog, shown), float).reshape(len(shown), k)])

        def fit(self, dialogs, extra=(), mimic=()):
            "`PairwiseRanker.fit` with the added columns zeroed in `extra` if `swap_blind` and in every mimicking set if `mimic_blind`."
            L, mimic = [self._X(d) for d in dialogs], [m for m in mimic if len(m)]
            blind = np.r_[self.kept_in_synthetic() if mimic else np.ones(len(self.columns)), np.zeros(k) if swap_blind else np.ones(k)]
            alone = np.r_[np.ones(len(self.columns)), np.zeros(k) if mimic_blind else np.ones(k)]
            fit = lambda S, M: self.fit_arrays(L + [self._X(d) * M for d in S], [1.0] * len(L) + [self.syn_weight] * len(S)).w
            w = fit(extra, blind)
            self.w = (w + np.mean([fit(m, alone) for m in mimic], 0)) / 2 if mimic else w
            return self

    return ExtraColumns(today.fs, today.columns, C=today.C, syn_blind=SetStructure.names).fit(*combiner_rankings(train, _D['fd'].catalog, today.fs, s))


def with_popularity(today, train, s):
    "The run's ranker `today` (fitted on `train` with seed `s`) refitted with the `p_r1` column added, zeroed in the synthetic rankings."
    return with_columns(today, train, s, popularity(train), 1, mimic_blind=True)


def refit_as(cls, today, train, s):
    "The run's ranker `today` (fitted on `train` with seed `s`) with its combiner refitted as `cls` (`PairwiseRanker` or a subclass): today's features, columns, C, synthetic weight and rankings."
    from fascode_mm.ranking import SetStructure, combiner_rankings
    return cls(today.fs, today.columns, C=today.C, syn_weight=today.syn_weight, syn_blind=SetStructure.names).fit(
        *combiner_rankings(train, _D['fd'].catalog, today.fs, s))


def today_or(seed, k, options, nested, alone=None):
    "Outer fold `k` of seed `seed`: the rankers `options(ranker, dialogs, s)` gives ({name: ranker}, today's `ranker` first) scored on the test dialogs, the figure `alone(sp, train, today, s)` (if given), all refitted in the `inner_folds` and the best mean inner WKT picked (ties: the first, today's) as `nested`."
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    today = _ranker(sp, train, s)
    per = {n: evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict() for n, r in options(today, train, s).items()}
    fig = alone(sp, train, today, s) if alone else None
    inner = {n: [] for n in per}
    for fit_on, val in inner_folds(train, seed, k):
        for n, r in options(_ranker(sp, fit_on, s), fit_on, s).items(): inner[n].append(evaluate_wkt(val, r, N_SHUFFLES, s)['wkt'])
    inner = {n: float(np.mean(v)) for n, v in inner.items()}
    pick = max(inner, key=lambda n: inner[n])
    per[nested] = per[pick]
    return seed, k, inner, pick, per, fig


def today_or_new(new, rankers, nested, seed, k):
    "Outer fold `k` of seed `seed` of a bench that weighs today's ranker against `new(ranker, dialogs, s)` alone: `today_or` with `today_and(new, rankers)` (a bench's `fold` is this with its first three arguments bound: `functools.partial` pickles for the worker processes)."
    return today_or(seed, k, today_and(new, rankers), nested)


def today_and(new, names):
    "`options` for `today_or`: today's ranker and `new(ranker, dialogs, s)`, under the two `names`."
    return lambda r, dialogs, s: {names[0]: r, names[1]: new(r, dialogs, s)}


def nested_parts(out, rankers, nested) -> dict:
    "The parts of a summary JSON that `today_or`'s results `out` give: each option's mean inner WKT and picks, the picks per fold, the rows (today's, the nested choice, the others)."
    return dict(choice={n: dict(inner_wkt=float(np.mean([r[2][n] for r in out])), picked_in=sum(r[3] == n for r in out)) for n in rankers},
                picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out},
                rows=rows_vs_default({n: seed_means(r[4][n] for r in out) for n in (rankers[0], nested, *rankers[1:])}))


FRAME = ("5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; ",
         "; nested: 4 inner folds of each outer fold's 80 training dialogs, both rankers refitted on each inner fold's 60; diff: minus the "
         "default ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)")


def nested_summary(out, seconds, rankers, nested, what, command, **extra) -> dict:
    "The summary JSON of a bench that `today_or` runs: its protocol (`what` it tries, in the `FRAME` all of them share), `command`, the machine, `extra` fields, `nested_parts` and the seconds."
    from fascode_mm.run import machine
    return dict(protocol=FRAME[0] + what + FRAME[1], command=command, machine=machine(), **extra, **nested_parts(out, rankers, nested), seconds=seconds)


def run_nested(fold, rankers, summary, out_path, show_alone):
    "Run `fold` over the 15 outer folds, print each, write `summary(out, seconds)` to `out_path` and print it (`show_alone(res)` between)."
    out, seconds = over_folds(fold, lambda r: f"pick {r[3]!r}, inner {[round(r[2][n], 3) for n in rankers]}, outer "
                                              f"{[round(float(np.mean(list(r[4][n].values()))), 3) for n in rankers]}")
    res = summary(out, seconds)
    for n, g in res['choice'].items(): print(f"{n:40} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}")
    show_alone(res)
    report(res, out_path, 72)


def first_fold() -> tuple:
    "Seed 0, outer fold 1: the run's ranker fitted on its training dialogs (seed 0), and those dialogs (what a bench's `--look` checks)."
    if not _D: _load()
    sp = _D['splits'][0][0]
    train = sp.train + sp.valid
    return _ranker(sp, train, 0), train


def bench_main(fold, rankers, summary, out_path, look, show_alone=lambda res: None):
    "The `main` of a bench that `run_nested` runs (`show_alone` as there): `look()` instead with `--look` on the command line."
    import sys
    if '--look' in sys.argv: return look()
    run_nested(fold, rankers, summary, out_path, show_alone)


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, the feature alone on the test dialogs, and the WKT per test dialog of both and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    return today_or(seed, k, today_and(with_popularity, RANKERS), NESTED, lambda sp, train, today, s: evaluate_wkt(sp.test, popularity(train), N_SHUFFLES, s)['wkt'])


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "p_r1: mean log(1 + times accepted in the labelled training dialogs, own dialog left out) of a "
                          "candidate's differing items, zeroed in the synthetic rankings", 'python bench/ranking_popularity.py',
                          feature_alone=float(np.mean([r[5] for r in out])))


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: print(f"p_r1 alone on the outer folds: {res['feature_alone']:.4f}"))


if __name__ == '__main__':
    main()
