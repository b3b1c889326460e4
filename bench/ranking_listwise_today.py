"""Issue 25: the metric as the objective, on today's training rankings.

`bench/ranking_push.py` tried the issue's first idea, a linear scorer of the ranker's features fitted to maximise the expected WKT of
each ranking's six orderings (`Listwise`: Plackett-Luce over the candidates' scores), when the ranker learned from the labelled
rankings and the dissimilar swaps only: 0.462 to 0.470 against 0.4815. The default has since changed what it learns from (the
structure-blind dissimilar swaps, and the mean of three fits with a set of swaps that mimic the labelled rankings each), and that
change was worth +0.055; the listwise objective was never tried on it. Here it is: today's ranker with the pairwise logistic
regression replaced by `Listwise` (L2 weight 0.1, the middle of that script's grid, fixed before this script first ran on 2026-12-07),
on the same features, rankings, weights of the synthetic rankings and mean of fits.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_listwise_today.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py`, `bench/ranking_popularity.py` and `bench/ranking_push.py`). Writes
`results/ranking/listwise_today_real_cv5.json`: per ranker its mean inner WKT and the number of outer folds that picked it; the rows
(default, nested choice, the listwise ranker in every fold) with their difference from the default paired over the 100 dialogs (a
dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
"""
import functools
from pathlib import Path

from ranking_net_screen import _D
from ranking_popularity import today_or_new, nested_summary, run_nested
from ranking_push import Listwise

OUT = Path('results/ranking/listwise_today_real_cv5.json')
L2 = 0.1
RANKERS = ('default', f'listwise (expected WKT, L2 {L2}) on today\'s rankings')
NESTED = 'today or listwise, chosen by 4 inner folds that refit everything'


def with_listwise(today, train, s):
    "Today's ranker `today` (fitted on `train` with seed `s`) with its weights refitted by `Listwise` on the same rankings and mean of fits."
    from fascode_mm.ranking import SetStructure, combiner_rankings
    r = Listwise(today.fs, today.columns, L2, syn_weight=today.syn_weight)
    r.syn_blind = list(SetStructure.names)   # as today's: the structure zeroed in the dissimilar swaps
    return r.fit(*combiner_rankings(train, _D['fd'].catalog, today.fs, s))


fold = functools.partial(today_or_new, with_listwise, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "listwise: today's features and training rankings (structure-blind dissimilar swaps, mean of "
                          f"three mimicking fits), the weights fitted to maximise the expected WKT of the six orderings (Plackett-Luce, L2 {L2})",
                          'python bench/ranking_listwise_today.py')


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: None)


if __name__ == '__main__':
    main()
