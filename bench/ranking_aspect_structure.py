"""Issue 25: how alike the candidates' differing items are, aspect by aspect, as four more structure features of the combiner.

What was seen first. Over the 100 dialogs, in the slots where two candidates differ, the R1 and R2 items are the most alike pair in
shape (the F aspect's text embedding, centred over the catalogue) in 50 dialogs, against 25 each for R1-R3 and R2-R3 (a third each by
chance); in colour (C) R1-R3 is the most alike pair as often (41) as R1-R2 (36). The structure features the ranker has measure that
likeness with all aspects at once (`s_soft_tfidf`, `s_soft_emb`) or the mood alone (`s_soft_E`), and over the shared items too. (`bench/ranking_candidate_looks.py` records that look.)
Here `s_aspect_F`, `s_aspect_M`, `s_aspect_C`, `s_aspect_E`, per candidate: the mean, over the other two candidates and the slots in
which it differs from them, of the cosine of the two items' text embeddings of that aspect, centred over the catalogue (0 where it
differs from neither). They are treated as the family they join (`SetStructure`): zeroed in the dissimilar swaps, kept in the
mimicking sets; everything else is the run's ranker.

The idea came from that look at all 100 dialogs, and was fixed after it and before this script first ran (2026-12-07), and run once.
Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_aspect_structure.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/aspect_structure_real_cv5.json`: per ranker its mean inner WKT and the number of outer folds that picked it; each
new feature alone on the outer folds; the rows (default, nested choice, the new ranker in every fold) with their difference from the
default paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
"""
from pathlib import Path
import numpy as np

from ranking_net_screen import N_SHUFFLES
from ranking_popularity import with_columns, today_or, today_and, nested_parts, run_nested

OUT = Path('results/ranking/aspect_structure_real_cv5.json')
ASPECTS = ('F', 'M', 'C', 'E')
RANKERS = ('default', 'aspect structure (s_aspect_F, M, C, E)')
NESTED = 'today or aspect structure, chosen by 4 inner folds that refit everything'


def aspect_structure(emb):
    "`s_aspect(dialog, shown) -> [len(shown), 4]`: per candidate and aspect, the mean centred-embedding cosine of its items with the other candidates' in the slots where they differ."
    from fascode_mm.data import SLOTS
    T = emb.text - emb.text.mean(0)
    T = T / np.linalg.norm(T, axis=-1, keepdims=True)   # [n, 4, d]: each aspect centred over the catalogue, unit length
    def s_aspect(dialog, shown):
        out = np.zeros((len(shown), len(ASPECTS)))
        for c, cand in enumerate(shown):
            pairs = [(emb.row[cand[s]], emb.row[o[s]]) for j, o in enumerate(shown) if j != c for s in SLOTS if cand.get(s) and o.get(s) and cand[s] != o[s]]
            if pairs:
                a, b = map(list, zip(*pairs))
                out[c] = np.einsum('pad,pad->pa', T[a], T[b]).mean(0)
        return out
    return s_aspect


def with_aspects(r, dialogs, s):
    "The run's ranker `r` (fitted on `dialogs` with seed `s`) refitted with the four `s_aspect_*` columns, zeroed in the dissimilar swaps."
    return with_columns(r, dialogs, s, aspect_structure(r.fs.ctx.emb), len(ASPECTS), mimic_blind=False)


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, each feature alone on the test dialogs, and the WKT per test dialog of both and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    def alone(sp, train, today, s):
        f = aspect_structure(today.fs.ctx.emb)
        return {a: evaluate_wkt(sp.test, lambda d, shown, j=j: f(d, shown)[:, j].tolist(), N_SHUFFLES, s)['wkt'] for j, a in enumerate(ASPECTS)}
    return today_or(seed, k, today_and(with_aspects, RANKERS), NESTED, alone)


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    from fascode_mm.run import machine
    return dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
                "s_aspect_*: per aspect, a candidate's mean centred text-embedding cosine with the other candidates' items in the slots where "
                "they differ, zeroed in the dissimilar swaps as the structure features are; nested: 4 inner folds of each outer fold's 80 "
                "training dialogs, both rankers refitted on each inner fold's 60; diff: minus the default ranker, paired over the 100 dialogs "
                "(bootstrap 95% interval, randomization p, Holm over the rows)",
                command='python bench/ranking_aspect_structure.py', machine=machine(),
                feature_alone={f's_aspect_{a}': float(np.mean([r[5][a] for r in out])) for a in ASPECTS}, **nested_parts(out, RANKERS, NESTED), seconds=seconds)


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: print('alone on the outer folds:', {n: round(v, 4) for n, v in res['feature_alone'].items()}))


if __name__ == '__main__':
    main()
