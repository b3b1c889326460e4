"""Issue 25: the combiner fitted with a ranking (hinge) loss instead of the logistic one.

The 2024 winner on FASCODE scored candidates with a tiny model and a ranking loss. Today's combiner is a pairwise logistic regression:
every pair pulls on the weights, the ones it already orders well a little less. A ranking hinge loss (RankSVM: `LinearSVC` on the same
pair differences) lets the pairs ordered with a margin pull not at all, so the weights are set by the pairs near the boundary, which in
a ranking of three are the ones that decide it. Everything else is today's: the same features, scaled alike, the same pairs and
weights, the same C (the hinge objective 0.5 |w|^2 + C sum s_i max(0, 1 - y_i x_i w) puts C where the logistic one has it), the same
mean of fits. The loss was fixed before this script first ran (2026-12-08), and it was run once.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_hinge.py` (about 9 minutes on 2 cores: two worker processes, one torch thread each;
it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes `results/ranking/hinge_real_cv5.json`: per ranker its
mean inner WKT and the number of outer folds that picked it; the rows (default, nested choice, the hinge ranker in every fold) with
their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval,
randomization p, Holm over the rows).
"""
import functools
from pathlib import Path

from ranking_popularity import today_or_new, nested_summary, run_nested, refit_as

OUT = Path('results/ranking/hinge_real_cv5.json')
RANKERS = ('default', 'ranking hinge loss')
NESTED = 'today or the ranking hinge loss, chosen by 4 inner folds that refit everything'


def with_hinge(today, train, s):
    "Today's ranker `today` (fitted on `train` with seed `s`) with its combiner refitted with the hinge loss (`LinearSVC`, no intercept, today's C)."
    from fascode_mm.ranking import PairwiseRanker

    class Hinge(PairwiseRanker):
        def estimator(self):
            from sklearn.svm import LinearSVC
            return LinearSVC(C=self.C, loss='hinge', fit_intercept=False, dual=True, max_iter=100_000, random_state=0)

    return refit_as(Hinge, today, train, s)


fold = functools.partial(today_or_new, with_hinge, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "ranking hinge loss: the combiner's pairs fitted by a linear SVM (hinge loss, no "
                          "intercept, today's C, features, pair weights and mean of fits); only the combiner refitted", 'python bench/ranking_hinge.py')


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: None)


if __name__ == '__main__':
    main()
