"""Issue 25: the metric's own pair costs as the weights of the combiner's pairs, a convex form of the metric as the objective.

The combiner (`PairwiseRanker`) weighs the three pairs of a ranking alike (`pair_weights` (1, 1, 1)): putting R3 above R2 costs it as
much as putting R2 above R1. WKT does not: of the six orderings of three candidates, swapping R2 and R3 scores 0.545 and swapping R1
and R2 0.182. The listwise objective, which maximises the expected WKT itself, cost the ranker (`bench/ranking_listwise_today.py`),
and its objective is not convex in the weights. This script keeps the convex pairwise logistic regression and gives each pair the
cost that WKT charges for getting it wrong: the least-squares fit of 1 - WKT over the six orderings by a sum of one cost per inverted
pair (`pair_costs`: R1-R2 and R1-R3 0.727 each, R2-R3 0.545), scaled to mean 1 so that the penalty C means what it means today
((1.091, 1.091, 0.818)). Everything else is the run's ranker: the same features, rankings, C and mean of fits. Fixed before this
script first ran (2026-12-08), and run once.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_pair_weights.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/pair_weights_real_cv5.json`: the pair weights; per ranker its mean inner WKT and the number of outer folds that
picked it; the rows (default, nested choice, the weighted ranker in every fold) with their difference from the default paired over
the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
"""
import functools, itertools
from pathlib import Path
import numpy as np

from ranking_net_screen import _D
from ranking_popularity import today_or_new, nested_summary, run_nested

OUT = Path('results/ranking/pair_weights_real_cv5.json')
RANKERS = ('default', "the metric's pair costs as pair weights")
NESTED = "today or the metric's pair weights, chosen by 4 inner folds that refit everything"


def pair_costs() -> np.ndarray:
    "The cost of inverting each pair (R1, R2), (R1, R3), (R2, R3): the least-squares fit of 1 - WKT over the six orderings by a sum of one cost per inverted pair."
    from fascode_mm.evaluation import wkt
    pairs, truth = [(0, 1), (0, 2), (1, 2)], np.arange(3)
    perms = [np.array(p) for p in itertools.permutations(range(3))]
    A = np.array([[float(p[i] > p[j]) for i, j in pairs] for p in perms])
    return np.linalg.lstsq(A, np.array([1 - wkt(truth, p) for p in perms]), rcond=None)[0]


def pair_weights() -> tuple:
    "`pair_costs` scaled to mean 1 (the combiner's penalty C then means what it means with equal weights)."
    c = pair_costs()
    return tuple(float(x) for x in c / c.mean())


def with_pair_weights(today, train, s):
    "Today's ranker `today` (fitted on `train` with seed `s`) refitted with the metric's `pair_weights` on the same features, rankings and mean of fits."
    from fascode_mm.ranking import PairwiseRanker, SetStructure, combiner_rankings
    return PairwiseRanker(today.fs, today.columns, C=today.C, syn_weight=today.syn_weight, pair_weights=pair_weights(),
                          syn_blind=SetStructure.names).fit(*combiner_rankings(train, _D['fd'].catalog, today.fs, s))


fold = functools.partial(today_or_new, with_pair_weights, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "pair weights: the least-squares costs of inverting (R1, R2), (R1, R3), (R2, R3) under WKT, "
                          "scaled to mean 1, as the sample weights of the combiner's pairs, everything else as today", 'python bench/ranking_pair_weights.py',
                          pair_costs=[float(x) for x in pair_costs()], pair_weights=list(pair_weights()))


def main():
    print('pair weights', np.round(pair_weights(), 3))
    run_nested(fold, RANKERS, summary, OUT, lambda res: None)


if __name__ == '__main__':
    main()
