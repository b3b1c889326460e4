"""Issue 25: order the two candidates below the chosen top by how near each stays to it (a second stage after the combiner).

The ranker's features are symmetric: each candidate is scored on its own and against both others, never against the one ranked
first. Yet the evaluation sets look made from R1: R2 and R3 are R1 with one to three items replaced, and last session's look
(`bench/ranking_candidate_looks.py`) found R1 and R2 the most alike pair in shape more often than chance. So here a second stage:
the combiner picks the top as today; the other two are ordered by a logistic regression on their differences in (a) today's combiner
score and (b) their nearness to the top in five views (each text aspect F, M, C, E and the image, centred over the catalogue): the
mean over the slots both fill of the two items' cosine, 1 where they share the item. It is fitted on the fold's labelled training
dialogs, R2 against R3 with the gold R1 as the top (the combiner's scores there are in-sample), with the combiner's C (0.1) and
no intercept; nothing in it was tuned.

What was seen first (2026-12-07, on out-of-fold scores of today's ranker over all 100 dialogs, seeds 0 1 2): ordering the two by
shape nearness alone scored 0.556 and by shape and image 0.565 against today's 0.540, but those were the best of about 20 views
and weights tried there; the fitted second stage (this script's, all five views, C 0.1) scored 0.543, and other C gave 0.535 to
0.548. This script is the test of the fitted one, with nothing chosen from that look but the idea: each outer fold (the run's splits,
seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training dialogs, both refitted on each inner
fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties: today's), refitted on the 80 and scored
on the outer fold.

Run from the project root: `python bench/ranking_top_nearness.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/top_nearness_real_cv5.json`: per ranker its mean inner WKT and the number of outer folds that picked it; the
second stage's mean weights and how many test rankings it changes; the rows (default, nested choice, the two-stage ranker in every fold) with their difference from
the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm).
"""
from pathlib import Path
import numpy as np

from ranking_popularity import today_or, today_and, nested_parts, run_nested

OUT = Path('results/ranking/top_nearness_real_cv5.json')
VIEWS = ('F', 'M', 'C', 'E', 'img')
RANKERS = ('default', 'second stage: the two below the top by nearness to it')
NESTED = 'today or the second stage, chosen by 4 inner folds that refit everything'


def centred(X):
    "Rows of `X` centred over the catalogue and scaled to unit length."
    X = X - X.mean(0)
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


class TopThenNear:
    "Today's ranker `today` picks the top; the other two are ordered by a logistic regression on their score and nearness-to-top differences."
    order_free = True   # the ranking depends on the set of candidates only

    def __init__(self, today, C=0.1):
        from fascode_mm.data import SLOTS
        emb = today.fs.ctx.emb
        self.today, self.C, self.slots, self.row = today, C, SLOTS, emb.row
        self.views = [centred(emb.text[:, a]) for a in range(4)] + [centred(emb.image)]

    def near(self, c, top) -> np.ndarray:
        "Per view, the mean over the slots both candidates fill of their items' cosine (1 for a shared item)."
        pairs = [(c[s], top[s]) for s in self.slots if c.get(s) and top.get(s)]
        return np.array([np.mean([1.0 if a == b else float(V[self.row[a]] @ V[self.row[b]]) for a, b in pairs]) for V in self.views])

    def _x(self, sc, shown, top, a, b) -> np.ndarray:
        return np.r_[sc[a] - sc[b], self.near(shown[a], shown[top]) - self.near(shown[b], shown[top])]

    def fit(self, dialogs, scores=None):
        "Fit on the labelled `dialogs` (candidates in gold order): R2 against R3, the gold R1 as the top; the combiner's scores from `scores(d)` (default: today's, in-sample)."
        from sklearn.linear_model import LogisticRegression
        scores = scores or (lambda d: self.today(d, d.candidates))
        X = np.array([self._x(scores(d), d.candidates, 0, 1, 2) for d in dialogs if d.labelled and len(d.candidates) == 3])
        self.w = LogisticRegression(C=self.C, fit_intercept=False, max_iter=2000).fit(np.vstack([X, -X]), np.r_[np.ones(len(X)), np.zeros(len(X))]).coef_.ravel()
        return self

    def __call__(self, dialog, shown) -> list:
        sc = np.asarray(self.today(dialog, shown))
        top = int(np.argmax(sc))
        a, b = [j for j in range(len(shown)) if j != top]
        out = np.zeros(len(shown))
        out[top], out[a if self.w @ self._x(sc, shown, top, a, b) > 0 else b] = 2, 1
        return out.tolist()


def with_second_stage(today, train, s):
    "Today's ranker `today` (fitted on `train`) with the second stage fitted on `train`'s labelled dialogs."
    return TopThenNear(today).fit(train)


def stage_looks(two, today, sp) -> dict:
    "A fold's second stage `two`: its weights, and the number of test dialogs of the split `sp` whose ranking it changes from `today`'s."
    lab = [d for d in sp.test if d.labelled and len(d.candidates) == 3]
    changed = sum(list(np.argsort(today(d, d.candidates))) != list(np.argsort(two(d, d.candidates))) for d in lab)
    return dict(weights=dict(zip(('combiner score', *VIEWS), two.w.round(4).tolist())), changed=int(changed), dialogs=len(lab))


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, the second stage's weights, and the WKT per test dialog of both and of the pick."
    looks = lambda sp, train, today, s: stage_looks(with_second_stage(today, train, s), today, sp)
    return today_or(seed, k, today_and(with_second_stage, RANKERS), NESTED, looks)


def stage_summary(out, seconds, rankers, nested, command, fitted="fitted on the labelled training dialogs' R2 against R3") -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples) of a second stage `fitted` as the protocol says, run by `command`."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "second stage: the combiner's top kept, the other two ordered by a logistic regression (C 0.1, no intercept) on their "
                "differences in combiner score and in nearness to the top (mean slot cosine in the F, M, C, E text views and the image, "
                f"centred; 1 for a shared item), {fitted}; nested: 4 inner folds of each outer fold's 80 training dialogs, both rankers "
                "refitted on each inner fold's 60; diff: minus the default ranker, paired over the 100 dialogs (bootstrap 95% interval, "
                "randomization p, Holm over the rows)",
                command=command, machine=machine(),
                second_stage_weights={n: float(np.mean([r[5]['weights'][n] for r in out])) for n in ('combiner score', *VIEWS)},
                rankings_changed=dict(changed=sum(r[5]['changed'] for r in out), of=sum(r[5]['dialogs'] for r in out)),
                **nested_parts(out, rankers, nested), seconds=seconds)


def stage_main(fold, rankers, summary, out_path):
    "Run a second stage's nested bench (`run_nested`), printing its mean weights and the test rankings it changed."
    run_nested(fold, rankers, summary, out_path, lambda res: print('mean second-stage weights:', {n: round(v, 3) for n, v in res['second_stage_weights'].items()},
                                                                   '; test rankings changed: {changed} of {of}'.format(**res['rankings_changed'])))


def main():
    stage_main(fold, RANKERS, lambda out, seconds: stage_summary(out, seconds, RANKERS, NESTED, 'python bench/ranking_top_nearness.py'), OUT)


if __name__ == '__main__':
    main()
