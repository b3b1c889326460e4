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
thread each; it reuses `bench/ranking_net_screen.py`). Writes `results/ranking/family_drop_real_cv5.json`: per option its mean inner
WKT and the number of outer folds that picked it; the rows (default, nested choice, each option in every fold) with their difference
from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm).
"""
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker, over_folds, rows_vs_default, seed_means, inner_folds, report, N_SHUFFLES

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
    from fascode_mm.evaluation import evaluate_wkt
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    per = {n: evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].to_dict() for n, r in options(_ranker(sp, train, s), train, s).items()}
    inner = {n: [] for n in OPTIONS}
    for fit_on, val in inner_folds(train, seed, k):
        for n, r in options(_ranker(sp, fit_on, s), fit_on, s).items(): inner[n].append(evaluate_wkt(val, r, N_SHUFFLES, s)['wkt'])
    inner = {n: float(np.mean(v)) for n, v in inner.items()}
    pick = max(OPTIONS, key=lambda n: inner[n])   # ties: the first, today's
    per[NESTED] = per[pick]
    return seed, k, inner, pick, per


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "options: today's combiner and today's without one family, refitted on the same features, rankings and C; nested: 4 inner "
                "folds of each outer fold's 80 training dialogs, the whole ranker refitted on each inner fold's 60; diff: minus the default "
                "ranker, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_family_drop.py', machine=machine(),
                choice={n: dict(inner_wkt=float(np.mean([r[2][n] for r in out])), picked_in=sum(r[3] == n for r in out)) for n in OPTIONS},
                picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out},
                rows=rows_vs_default({n: seed_means(r[4][n] for r in out) for n in (OPTIONS[0], NESTED, *OPTIONS[1:])}), seconds=seconds)


def main():
    out, seconds = over_folds(fold, lambda r: f"pick {r[3]!r}, outer default {np.mean(list(r[4]['default'].values())):.3f}, pick {np.mean(list(r[4][NESTED].values())):.3f}")
    res = summary(out, seconds)
    for n, g in res['choice'].items(): print(f"{n:25} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}")
    report(res, OUT, 72)


if __name__ == '__main__':
    main()
