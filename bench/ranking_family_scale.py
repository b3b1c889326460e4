"""Issue 25: the combiner's six family weights learned from the real rankings alone, the weights within each family from everything.

`bench/ranking_curve_parts.py` found that the ranker learns from its labelled dialogs in its combiner, not in its features: features
fitted on 80 dialogs under a combiner fitted on 40 score as everything from 40. Today's combiner fits its 37 weights on the labelled
rankings and on many more synthetic ones at once, so the synthetic rankings, unlike the real ones in how they were made, set most of
what it learns. Here the combiner asks less of the scarce real rankings: today's weights set how each family (match, harmony,
constraint, structure, harmony_net, match_net) scores a candidate, and six multipliers, one per family, are then learned from the
labelled rankings alone: the final weights are today's times the multiplier of their family.

The multipliers are fitted by a pairwise logistic regression of the labelled rankings on the six family scores, penalised toward 1
(loss C × the sum over the pairs, each counted twice as `PairwiseRanker` counts them, plus half the squared distance of the
multipliers from 1; C 0.1, today's C). So that the regression sees family scores as they behave on new dialogs, the family scores of
a labelled training dialog come from a combiner fitted without it: the training dialogs are split in two parts, and for each part
today's combiner is refitted on the rankings the other part gives (its labelled rankings, dissimilar swaps and mimicking sets, made
from that part alone) and scores the part's labelled rankings. Fixed before this script first ran (2026-12-08), and run once.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_family_scale.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/family_scale_real_cv5.json`: the multipliers per fold (mean and range); per ranker its mean inner WKT and the
number of outer folds that picked it; the rows (default, nested choice, the rescaled ranker in every fold) with their difference from
the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm).
"""
import copy
from pathlib import Path
import numpy as np

from ranking_net_screen import _D
from ranking_popularity import today_or, today_and, nested_summary, run_nested

OUT = Path('results/ranking/family_scale_real_cv5.json')
RANKERS = ('default', 'family weights from the real rankings')
NESTED = 'today or family weights from the real rankings, chosen by 4 inner folds that refit everything'
PAIRS = [(0, 1), (0, 2), (1, 2)]


def family_scores(r, d, w) -> np.ndarray:
    "[3, n_families] for labelled ranking `d` (gold order): each family's part of the combiner `r`'s score with weights `w`, centred over the candidates."
    from fascode_mm.ranking import FAMILIES
    M, fam = r.matrix(d, d.candidates), np.asarray(r.fs.family)[r.columns]
    S = np.stack([M[:, fam == f] @ w[fam == f] for f in FAMILIES], 1)
    return S - S.mean(0)


def fit_multipliers(S, C) -> np.ndarray:
    "The multipliers b minimising C * 2 * sum over the pairs of log(1 + exp(-(S_i - S_j) @ b)) + |b - 1|^2 / 2, for the family scores `S` of rankings in gold order."
    from scipy.optimize import minimize
    D = np.array([s[i] - s[j] for s in S for i, j in PAIRS])
    def f(b):
        z = D @ b
        return (2 * C * np.logaddexp(0, -z).sum() + ((b - 1) ** 2).sum() / 2,
                -2 * C * D.T @ (1 / (1 + np.exp(z))) + (b - 1))
    return minimize(f, np.ones(D.shape[1]), jac=True, method='L-BFGS-B').x


def with_family_scale(today, train, s):
    "Today's ranker `today` (fitted on `train` with seed `s`) with each family's weights multiplied by its multiplier, fitted on the labelled rankings' cross-fitted family scores."
    from fascode_mm.ranking import FAMILIES, PairwiseRanker, SetStructure, combiner_rankings
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    part = dict(zip([d.id for d in train], np.random.default_rng(s).permutation(len(train)) % 2))
    S = []
    for p in (0, 1):
        rest = [d for d in train if part[d.id] != p]
        r = PairwiseRanker(today.fs, today.columns, C=today.C, syn_weight=today.syn_weight, syn_blind=SetStructure.names)
        r.fit(*combiner_rankings(rest, _D['fd'].catalog, today.fs, s))
        S += [family_scores(r, d, r.w) for d in lab if part[d.id] == p]
    b = fit_multipliers(S, today.C)
    out = copy.copy(today)
    fam = np.asarray(today.fs.family)[today.columns]
    out.w = today.w * np.array([b[FAMILIES.index(f)] for f in fam])
    out.multipliers = dict(zip(FAMILIES, map(float, b)))
    return out


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick, and the outer fit's multipliers."
    fitted = []
    def new(today, train, s):
        r = with_family_scale(today, train, s)
        fitted.append(r.multipliers)
        return r
    return (*today_or(seed, k, today_and(new, RANKERS), NESTED)[:5], fitted[0])   # the first fit is the outer fold's, before the inner ones


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    m = {f: [r[5][f] for r in out] for f in out[0][5]}
    return nested_summary(out, seconds, RANKERS, NESTED, "family weights: today's combiner weights times one multiplier per family, fitted by a "
                          "pairwise logistic regression of the labelled training rankings on the families' scores (cross-fitted over two parts of "
                          "the training dialogs), penalised toward 1 at today's C", 'python bench/ranking_family_scale.py',
                          multipliers={f: dict(mean=float(np.mean(v)), min=float(np.min(v)), max=float(np.max(v))) for f, v in m.items()})


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: print({f: round(v['mean'], 3) for f, v in res['multipliers'].items()}))


if __name__ == '__main__':
    main()
