"""Issue 25: more labelled pairs from the labelled rankings themselves, by undoing one of a candidate's swaps at a time.

The combiner is where labelled dialogs pay (`bench/ranking_curve_parts.py`), and each labelled dialog gives it three pairs. Three in five
of the 100 dialogs have a candidate that differs from R1 in two slots or more (60; R2 and R3 both, in 35). Such a candidate
tells more than its pairs say: R1 beats it with two of the coordinator's own alternatives swapped in, so (if a candidate's worth adds
up over its items) R1 beats the candidate with only one of them swapped in, and that one beats the candidate. Here, for each labelled
ranking, each of R2 and R3 that differs from R1 in two slots or more, and each of those slots, one chain (R1, R1 with that slot's item
of the candidate, the candidate) gives the combiner two more pairs: R1 over the partial candidate, the partial one over the candidate
(weight `WEIGHT` each; the chain's third pair, R1 over the candidate, is the labelled one and is not counted twice). The swaps are the
coordinators', not synthetic ones, and each chain pair differs in a single item, so it says which item made the difference. The
structure features are zeroed in the chains, as in the dissimilar swaps: a partial candidate shares more with both others by
construction. The chains join every fit of the combiner (the labelled rankings' fit with the dissimilar swaps and each mimicking set's
fit); nothing else is refitted: today's features, networks, rankings, C and mean of fits. `WEIGHT` 0.5 (today's weight of a synthetic
ranking), fixed before this script first ran (2026-12-08), and run once. A check on seed 0 fold 1 before the run (`--look` below: 150
chains from its 80 labelled rankings; with weight 0 the weights are today's to 2e-11) also printed that fold's outer WKT (0.459 against
today's 0.500); nothing was changed after it.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_partial_swaps.py` (about 8 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/partial_swaps_real_cv5.json`: per ranker its mean inner WKT and the number of outer folds that picked it; the
rows (default, nested choice, the ranker with the chains in every fold) with their difference from the default paired over the
100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
`python bench/ranking_partial_swaps.py --look` (about 30 s) prints the check on seed 0 fold 1.
"""
import dataclasses, functools
from pathlib import Path
import numpy as np

from ranking_popularity import today_or_new, nested_summary, refit_as, first_fold, bench_main

OUT, WEIGHT = Path('results/ranking/partial_swaps_real_cv5.json'), 0.5
RANKERS = ('default', 'labelled rankings with partial swaps')
NESTED = 'today or partial swaps, chosen by 4 inner folds that refit everything'


def chains(labelled) -> list:
    "Per labelled ranking, per lower candidate that differs from R1 in 2 slots or more, per such slot: the ranking (R1, R1 with that slot's item of the candidate, the candidate), as a copy of the dialog."
    from fascode_mm.data import SLOTS
    out = []
    for d in labelled:
        top = d.candidates[0]
        for low in d.candidates[1:]:
            slots = [s for s in SLOTS if top.get(s) != low.get(s)]
            if len(slots) < 2: continue
            out += [dataclasses.replace(d, candidates=[top, {**top, s: low.get(s)}, low]) for s in slots]
    return out


def with_partial_swaps(today, train, s, weight=WEIGHT):
    "Today's ranker `today` (fitted on `train` with seed `s`) with its combiner refitted with the `chains` of its labelled rankings beside every fit (pairs R1 > partial and partial > candidate, weight `weight`, structure zeroed)."
    from fascode_mm.ranking import PairwiseRanker

    class WithChains(PairwiseRanker):
        def fit(self, dialogs, extra=(), mimic=()):
            "`PairwiseRanker.fit`, the `chains` of the labelled `dialogs` beside every fit (`fit_arrays`)."
            self.chain_sets = chains(dialogs)
            return super().fit(dialogs, extra, mimic)

        def fit_arrays(self, Xs, ws):
            "`PairwiseRanker.fit_arrays` with the chains' two new pairs (weight `weight`) beside the pairs of `Xs`."
            pairs, C = [(0, 1), (0, 2), (1, 2)], [self._X(d) * self.kept_in_synthetic() for d in self.chain_sets]
            D = np.array([F[i] - F[j] for F in Xs for i, j in pairs] + [F[i] - F[j] for F in C for i, j in ((0, 1), (1, 2))])
            w = np.r_[np.outer(ws, self.pair_weights).ravel(), np.full(2 * len(C), weight)]
            scale = np.vstack(Xs).std(0); scale[scale < 1e-9] = 1
            lr = self.estimator()
            lr.fit(np.vstack([D, -D]) / scale, np.r_[np.ones(len(D)), np.zeros(len(D))], sample_weight=np.r_[w, w])
            self.w = lr.coef_.ravel() / scale
            return self

    return refit_as(WithChains, today, train, s)


fold = functools.partial(today_or_new, with_partial_swaps, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, f"partial swaps: per labelled ranking, per lower candidate differing from R1 in 2 "
                          f"slots or more, per such slot, the pairs R1 > R1 with that slot's item of the candidate > the candidate (weight "
                          f"{WEIGHT}, structure features zeroed) beside every fit of the combiner; only the combiner refitted",
                          'python bench/ranking_partial_swaps.py', weight=WEIGHT)


def look():
    "Seed 0, outer fold 1: the number of chains its labelled rankings give, and the combiner with the chains at weight 0 against today's."
    today, train = first_fold()
    lab = [d for d in train if len(d.candidates) == 3]
    print(f"{len(chains(lab))} chains from {len(lab)} labelled rankings; with weight 0 the weights differ from today's by at most "
          f"{np.abs(with_partial_swaps(today, train, 0, weight=0.0).w - today.w).max():.0e}")


if __name__ == '__main__':
    bench_main(fold, RANKERS, summary, OUT, look)   # `--look`: the check of `look` instead of the run
