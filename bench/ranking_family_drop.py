"""Issue 25: fewer features. Would nested CV drop one feature family from the combiner?

Two new signals that rank on their own (item popularity, the likeness of the differing items per aspect) each cost the ranker when
added, and the reading the ranking page gives is that with 80 labelled dialogs weighing 37 features, a feature added brings more
variance to the weights than information. This script tests that reading from the other side. The options are today's combiner
and today's combiner without one of its six families (`match`, `harmony`, `constraint`, `structure`, `harmony_net`, `match_net`),
each refitted on the same features, rankings and C. Each outer fold (the run's splits, seeds 0 1 2) chooses among the seven by 4
inner folds of its 80 training dialogs, the whole ranker refitted on each inner fold's 60 and scored on the 20 held out; the best mean
inner WKT is the fold's pick (ties: the first, today's), refitted on the 80 and scored on the outer fold. Every option fixed in every
fold is scored on the outer folds too, for the table only. Fixed before it was first run (2026-12-07), after the two scripts above,
and run once.

Run from the project root: `python bench/ranking_family_drop.py` (about 12 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes `results/ranking/family_drop_real_cv5.json`: per option its mean inner
WKT and the number of outer folds that picked it; the rows (default, nested choice, each option in every fold) with their difference
from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm).
"""
from pathlib import Path

from ranking_net_screen import _D
from ranking_popularity import today_or, nested_parts, run_nested

OUT = Path('results/ranking/family_drop_real_cv5.json')
FAMILIES = ('match', 'harmony', 'constraint', 'structure', 'harmony_net', 'match_net')
OPTIONS = ('default', *(f'without {f}' for f in FAMILIES))
NESTED = 'one family dropped or none, chosen by 4 inner folds that refit everything'


def options(today, train, s) -> dict:
    "Today's ranker `today` (fitted on `train` with seed `s`) and, per family, its combiner refitted without that family's columns."
    from fascode_mm.ranking import PairwiseRanker, SetStructure, combiner_rankings
    fs, rk = today.fs, combiner_rankings(train, _D['fd'].catalog, today.fs, s)
    out = {OPTIONS[0]: today}
    for f, name in zip(FAMILIES, OPTIONS[1:]):
        out[name] = PairwiseRanker(fs, [c for c in today.columns if fs.family[c] != f], C=today.C, syn_blind=SetStructure.names).fit(*rk)
    return out


def fold(seed, k):
    "One outer fold: each option's mean inner WKT, the pick, and the WKT per test dialog of every option and of the pick."
    return today_or(seed, k, options, NESTED)


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "options: today's combiner and today's without one family, refitted on the same features, rankings and C; nested: 4 inner "
                "folds of each outer fold's 80 training dialogs, the whole ranker refitted on each inner fold's 60; diff: minus the default "
                "ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_family_drop.py', machine=machine(),
                **nested_parts(out, OPTIONS, NESTED), seconds=seconds)


def main():
    run_nested(fold, OPTIONS, summary, OUT, lambda res: None)


if __name__ == '__main__':
    main()
