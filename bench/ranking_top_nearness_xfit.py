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

from ranking_net_screen import _D, _load, _ranker
from ranking_popularity import today_or, today_and
from ranking_top_nearness import TopThenNear, stage_looks, stage_summary, stage_main

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
    looks = lambda sp, train, today, s: stage_looks(_last[id(today)], today, sp)   # the outer fold's stage, fitted by `options` just before
    return today_or(seed, k, today_and(with_xfit_stage, RANKERS), NESTED, looks)


def main():
    stage_main(fold, RANKERS, lambda out, seconds: stage_summary(
        out, seconds, RANKERS, NESTED, 'python bench/ranking_top_nearness_xfit.py',
        "fitted on the labelled training dialogs' R2 against R3 with the combiner's scores cross-fitted in 2 parts (the whole ranker refitted on the other part)"), OUT)


if __name__ == '__main__':
    main()
