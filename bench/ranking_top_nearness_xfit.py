"""Issue 25: the second stage of `bench/ranking_top_nearness.py`, fitted on cross-fitted combiner scores.

That script's second stage (the combiner's top kept, the other two ordered by a logistic regression on their differences in combiner
score and in nearness to the top) learned its weights from the combiner's scores on the very dialogs the combiner was fitted on. Those
in-sample scores overstate how well the combiner orders R2 and R3, so the stage gave them a large weight (0.81 against 0.08 to 0.25
for the five nearness views) and changed few rankings. Here the only change: the combiner's scores of the training dialogs come from
2-part cross-fitting, each half scored by the whole ranker (features, networks, combiner) refitted on the other half, so the stage
learns what the combiner's score is worth on dialogs it has not seen. Fixed after that script's run (2026-12-07) and before this one
first ran; nothing else is tuned.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 (the cross-fitting within those 60) and scored on the 20 held out; the better mean
inner WKT is the fold's pick (ties: today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_top_nearness_xfit.py` (about 25 minutes on 2 cores: two worker processes, one torch
thread each; the cross-fitting refits the ranker twice more for every fit). Writes `results/ranking/top_nearness_xfit_real_cv5.json`,
with the same parts as `bench/ranking_top_nearness.py`'s.
"""
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, _ranker
from ranking_popularity import today_or, today_and, nested_parts, run_nested
from ranking_top_nearness import TopThenNear, VIEWS

OUT = Path('results/ranking/top_nearness_xfit_real_cv5.json')
RANKERS = ('default', 'second stage on cross-fitted scores')
NESTED = 'today or the cross-fitted second stage, chosen by 4 inner folds that refit everything'
PARTS = 2


def crossfitted_scores(sp, dialogs, s) -> dict:
    "Per labelled dialog of `dialogs` (id -> its candidates' scores in gold order): the whole ranker refitted without the part of `PARTS` that holds it."
    from fascode_mm.evaluation import kfold
    lab = [d for d in dialogs if d.labelled and len(d.candidates) == 3]
    out = {}
    for held in kfold(len(lab), PARTS, 7919 + s):
        ids = {lab[i].id for i in held}
        r = _ranker(sp, [d for d in dialogs if d.id not in ids], s)
        out.update({lab[i].id: r(lab[i], lab[i].candidates) for i in held})
    return out


_last = {}


def with_xfit_stage(today, train, s):
    "Today's ranker `today` (fitted on `train`) with the second stage fitted on `train`'s cross-fitted scores."
    sc = crossfitted_scores(_D['split'], train, s)
    two = TopThenNear(today).fit(train, lambda d: sc[d.id])
    _last[id(today)] = two
    return two


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, the second stage's weights and rankings changed, and the WKT per test dialog of both and of the pick."
    if not _D: _load()
    _D['split'] = _D['splits'][seed][k]   # the outer split, whose embeddings every fit of this fold uses
    def looks(sp, train, today, s):
        "The outer fold's second stage (fitted by `options` just before): its weights, and the number of test dialogs whose ranking it changes."
        two = _last[id(today)]
        lab = [d for d in sp.test if d.labelled and len(d.candidates) == 3]
        changed = sum(list(np.argsort(today(d, d.candidates))) != list(np.argsort(two(d, d.candidates))) for d in lab)
        return dict(weights=dict(zip(('combiner score', *VIEWS), two.w.round(4).tolist())), changed=int(changed), dialogs=len(lab))
    return today_or(seed, k, today_and(with_xfit_stage, RANKERS), NESTED, looks)


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "second stage: the combiner's top kept, the other two ordered by a logistic regression (C 0.1, no intercept) on their "
                "differences in combiner score and in nearness to the top (mean slot cosine in the F, M, C, E text views and the image, "
                "centred; 1 for a shared item), fitted on the labelled training dialogs' R2 against R3 with the combiner's scores cross-fitted "
                "in 2 parts (the whole ranker refitted on the other part); nested: 4 inner folds of each outer fold's 80 training dialogs, both "
                "rankers refitted on each inner fold's 60; diff: minus the default ranker, paired over the 100 dialogs (bootstrap 95% interval, "
                "randomization p, Holm over the rows)",
                command='python bench/ranking_top_nearness_xfit.py', machine=machine(),
                second_stage_weights={n: float(np.mean([r[5]['weights'][n] for r in out])) for n in ('combiner score', *VIEWS)},
                rankings_changed=dict(changed=sum(r[5]['changed'] for r in out), of=sum(r[5]['dialogs'] for r in out)),
                **nested_parts(out, RANKERS, NESTED), seconds=seconds)


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: print('mean second-stage weights:', {n: round(v, 3) for n, v in res['second_stage_weights'].items()},
                                                              '; test rankings changed: {changed} of {of}'.format(**res['rankings_changed'])))


if __name__ == '__main__':
    main()
