"""Issue 25: the combiner's weights held to the signs that the features' meaning gives them.

The combiner is where labelled dialogs pay (`bench/ranking_curve_parts.py`), and with 80 of them its pairwise logistic regression
weighs 37 features. Many of those features say which way they point before any data is seen: a candidate that matches what the user
asked for is better (`m_pos_*`, `m_epos_*`), one that matches what the user refused is worse (`m_neg_A`, `m_eneg_mean`), and the
families' zero-shot defaults fix the sign of the others they name. If the features were independent, a weight of the other sign on such
a feature would be noise fitted to a few dialogs; holding those weights to their sign is the classic remedy for stacking with little
data (Breiman's stacked regressions keep their weights non-negative). Here the same objective as today's (L2-penalised pairwise
logistic loss, the same C, pair weights, scaling and mean of fits), minimised under those bounds (`SIGNS`: +1 at least 0, -1 at most 0;
every other feature free) with L-BFGS-B. Without bounds the fit reproduces today's weights (`signed_fit_matches_today`, checked on seed
0 fold 1 before the run). `SIGNS` were written from the features' names and the families' defaults, before this script first ran
(2026-12-08), and it was run once.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_signs.py` (about 9 minutes on 2 cores: two worker processes, one torch thread each; it
reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes `results/ranking/signs_real_cv5.json`: per ranker its
mean inner WKT and the number of outer folds that picked it; the rows (default, nested choice, the sign-held ranker in every fold) with
their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval,
randomization p, Holm over the rows). `python bench/ranking_signs.py --look` (about 30 s) prints the check on seed 0 fold 1: the
unbounded fit against today's weights, and how many bounded weights today has of the other sign and the bounds hold at 0.
"""
import functools
from pathlib import Path
import numpy as np

from ranking_popularity import today_or_new, nested_summary, refit_as, first_fold, bench_main

OUT = Path('results/ranking/signs_real_cv5.json')
RANKERS = ('default', 'weights held to their signs')
NESTED = 'today or weights held to their signs, chosen by 4 inner folds that refit everything'
SIGNS = {**{f'm_pos_{v}': 1 for v in 'FMCEA'}, 'm_neg_A': -1, **{f'm_epos_{c}': 1 for c in 'FMCE'}, 'm_epos_mean': 1, 'm_eneg_mean': -1,
         'm_edial_mean': 1, 'h_A': 1, 'c_cls_ask': 1, 'c_cls_ref': -1, 'c_att_ask': 1, 'c_att_ref': -1, 'c_season': 1, 's_share': 1,
         'h_net': 1, 'm_net': 1}


class SignedLogistic:
    "The L2-penalised logistic regression without intercept that `PairwiseRanker.estimator` gives (minimise 0.5 |w|^2 + C sum s_i log(1 + exp(-y_i x_i w))), each weight within `bounds` ((low, high), None: free); `coef_` as sklearn's."
    def __init__(self, C, bounds): self.C, self.bounds = C, bounds

    def fit(self, X, y, sample_weight):
        from scipy.optimize import minimize
        from scipy.special import expit, log1p
        t, s = 2 * np.asarray(y, float) - 1, np.asarray(sample_weight, float)
        def f(w):
            z = t * (X @ w)
            loss = np.where(z > 0, log1p(np.exp(-np.abs(z))), -z + log1p(np.exp(-np.abs(z))))
            return 0.5 * w @ w + self.C * s @ loss, w - self.C * X.T @ (s * t * expit(-z))
        w = minimize(f, np.zeros(X.shape[1]), jac=True, method='L-BFGS-B', bounds=self.bounds, options=dict(maxiter=5000, gtol=1e-10, ftol=1e-14)).x
        self.coef_ = w[None]
        return self


def with_signs(today, train, s, signs=SIGNS):
    "Today's ranker `today` (fitted on `train` with seed `s`) with its combiner refitted with the weights of the features in `signs` held to their sign (`SignedLogistic`; nothing else changed)."
    from fascode_mm.ranking import PairwiseRanker

    class Signed(PairwiseRanker):
        def estimator(self):
            names = np.array(self.fs.names)[self.columns]
            return SignedLogistic(self.C, [{1: (0, None), -1: (None, 0)}.get(signs.get(n), (None, None)) for n in names])

    return refit_as(Signed, today, train, s)


def signed_fit_matches_today(today, train, s, tol=1e-3) -> float:
    "The largest difference between today's weights and `SignedLogistic`'s without bounds (a check that the objective is today's)."
    w = with_signs(today, train, s, signs={}).w
    d = float(np.abs(w - today.w).max() / np.abs(today.w).max())
    assert d < tol, d
    return d


fold = functools.partial(today_or_new, with_signs, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "weights held to their signs: the combiner's objective minimised with the weights of "
                          f"{len(SIGNS)} features bounded to the sign their meaning gives them (L-BFGS-B), the others free; only the combiner "
                          "refitted", 'python bench/ranking_signs.py', signs=SIGNS)


def look():
    "Seed 0, outer fold 1: the unbounded fit against today's weights, and how many of the bounded weights today's combiner has of the other sign and the bounds hold at 0."
    today, train = first_fold()
    names = list(np.array(today.fs.names)[today.columns])
    held, bounded = with_signs(today, train, 0).w, [k for k, n in enumerate(names) if n in SIGNS]
    print(f"unbounded fit against today's weights: largest difference {signed_fit_matches_today(today, train, 0):.1e} of the largest weight")
    print(f"bounded weights: {len(bounded)} of {len(names)}; of the other sign today: {sum(np.sign(today.w[k]) == -SIGNS[names[k]] for k in bounded)}; "
          f"held at 0 by the bounds: {sum(abs(held[k]) < 1e-9 for k in bounded)}")


if __name__ == '__main__':
    bench_main(fold, RANKERS, summary, OUT, look)   # `--look`: the check of `look` instead of the run
