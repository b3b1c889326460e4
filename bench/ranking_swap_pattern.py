"""Issue 25: the ordering's swap pattern as a prior over the six orderings of a candidate set, learned from the labelled rankings.

The combiner scores each candidate on its own features, so what it knows of the candidate set's structure is linear: `s_share`, the
items a candidate shares with the other two, says that the candidate in the middle is the best. The sets were not all made that way.
Counting the slots in which each two candidates differ, a ranking has a swap pattern (R1 to R2, R1 to R3, R2 to R3): when it is
(1, 2, 3) or (1, 1, 2), R1 is the candidate in the middle; when it is (2, 2, 1), R1 is the odd one out, the least shared; when it is
(1, 2, 1), the middle one is R2. No candidate-level weight can say all of that; a prior over orderings can. Here, per fold, the patterns
of the labelled training rankings are counted, and each of the six orderings of a test set gets the log of its pattern's count (plus
`ALPHA`); the ranker picks the ordering with the highest sum of that prior and the combiner's pairwise log-likelihood (the sum over the
ordering's three pairs of log sigmoid(score difference): today's combiner is a pairwise logistic regression, so that is its own
probability of the ordering's pairs, as if independent). Sets whose orderings all have the same pattern (all pairs differing in the
same number of slots: 63 of the 100) are ranked by the combiner alone, as today. `ALPHA` 1 (Laplace), the prior weighed 1 against the
likelihood (Bayes' rule), both fixed before this script first ran (2026-12-08), and it was run once.

The idea came from a look at the swap patterns of all 100 dialogs (`bench/ranking_swap_pattern.py --look` prints them, and the
default's WKT per pattern in the recorded run: in none of them does R3 differ from R1 in fewer slots than R2 does), as item popularity came from a look at all 100 (`bench/ranking_popularity.py`);
the counts the ranker uses are each fold's own.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 (the counts from those 60 too) and scored on the 20 held out; the better mean inner WKT
is the fold's pick (ties: today's), refitted on the 80 and scored on the outer fold. The prior alone (every combiner score 0: the
ordering with the most counted pattern, ties broken by the candidates' item ids) is scored on the outer folds too.

Run from the project root: `python bench/ranking_swap_pattern.py` (about 8 minutes on 2 cores: two worker processes, one torch thread
each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes `results/ranking/swap_pattern_real_cv5.json`:
per ranker its mean inner WKT and the number of outer folds that picked it; the prior alone on the outer folds; the rows (default,
nested choice, the ranker with the prior in every fold) with their difference from the default paired over the 100 dialogs (a
dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
"""
import itertools
from collections import Counter
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, N_SHUFFLES
from ranking_popularity import today_or, today_and, nested_summary, bench_main

OUT, ALPHA = Path('results/ranking/swap_pattern_real_cv5.json'), 1.0
RANKERS = ('default', 'swap-pattern prior over orderings')
NESTED = 'today or the swap-pattern prior, chosen by 4 inner folds that refit everything'


def n_diff(a, b) -> int:
    "The number of slots in which outfits `a` and `b` differ."
    from fascode_mm.data import SLOTS
    return sum(a.get(s) != b.get(s) for s in SLOTS)


def pattern(ordered) -> tuple:
    "The swap pattern of three outfits in rank order: slots differing between the first and second, first and third, second and third."
    a, b, c = ordered
    return n_diff(a, b), n_diff(a, c), n_diff(b, c)


class PatternPrior:
    "`scorer`'s ranking of three candidates, picked among the six orderings by the combiner's pairwise log-likelihood plus the log count (+ `alpha`) of the ordering's swap pattern among the labelled `train` rankings; `scorer` None: the prior alone."
    order_free = True

    def __init__(self, scorer, train, alpha=ALPHA):
        self.scorer, self.alpha = scorer, alpha
        self.counts = Counter(pattern(d.candidates) for d in train if d.labelled and len(d.candidates) == 3)

    def __call__(self, dialog, shown) -> list:
        from fascode_mm.ranking_nets import outfit_key
        s = np.zeros(len(shown)) if self.scorer is None else np.asarray(self.scorer(dialog, shown), float)
        order = sorted(range(len(shown)), key=lambda k: outfit_key(shown[k]))   # the orderings in an order that the shown order does not change
        def value(o):
            pairs = sum(-np.logaddexp(0, -(s[i] - s[j])) for i, j in itertools.combinations(o, 2))
            return pairs + np.log(self.counts[pattern([shown[k] for k in o])] + self.alpha)
        best = max(itertools.permutations(order), key=value)   # ties: the first, by the candidates' item ids
        out = np.zeros(len(shown))
        out[list(best)] = [2, 1, 0]
        return out.tolist()


def with_prior(today, train, s):
    "Today's ranker `today` (fitted on `train`) with the swap-pattern prior of `train`'s labelled rankings."
    return PatternPrior(today, train)


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, the prior alone on the test dialogs, and the WKT per test dialog of both and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    return today_or(seed, k, today_and(with_prior, RANKERS), NESTED, lambda sp, train, today, s: evaluate_wkt(sp.test, PatternPrior(None, train), N_SHUFFLES, s)['wkt'])


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, f"swap-pattern prior: of the six orderings, the one with the highest combiner pairwise "
                          f"log-likelihood plus log(count of its swap pattern among the fold's labelled rankings + {ALPHA})",
                          'python bench/ranking_swap_pattern.py', alpha=ALPHA, prior_alone=float(np.mean([r[5] for r in out])))


def look(run=Path('results/main/real_cv5_seeds012') / 'per_dialog.csv'):   # read, not written (the bench index lists the files a script names whole)
    "The swap patterns of the 100 labelled dialogs with their counts (the look the idea came from), and the default's WKT per pattern in the recorded run `run`."
    import pandas as pd
    if not _D: _load()
    pat = {str(d.id): pattern(d.candidates) for d in _D['fd'].eval if d.labelled and len(d.candidates) == 3}
    wkt = pd.read_csv(run, dtype={'dialog': str}).set_index('dialog')['learned']
    by = pd.DataFrame(dict(wkt=wkt, pattern=[pat[i] for i in wkt.index]))
    for p, g in sorted(by.groupby('pattern'), key=lambda x: -len(x[1])):
        print(f"R1-R2 {p[0]}, R1-R3 {p[1]}, R2-R3 {p[2]}: {len(g):2d} dialogs, the default's WKT {g.wkt.mean():+.3f}")
    print(f"R3 differs from R1 in fewer slots than R2 does in {sum(p[1] < p[0] for p in pat.values())} of {len(pat)}")
    same = by.pattern.map(lambda p: len(set(p)) == 1)
    print(f"the default's WKT ({run}): {same.sum()} sets whose pairs all differ in as many slots {by.wkt[same].mean():.3f}, "
          f"the other {(~same).sum()} {by.wkt[~same].mean():.3f}")


if __name__ == '__main__':
    bench_main(fold, RANKERS, summary, OUT, look, lambda res: print(f"the prior alone on the outer folds: {res['prior_alone']:.4f}"))   # `--look`: the check of `look` instead of the run
