"""Issue 25: mimicking sets whose swapped-in items suit the dialog, as the real candidates' alternatives were chosen for it.

The combiner learns from its labelled rankings more than from anything else (`bench/ranking_curve_parts.py`), and the one change that
lifted it since the issue opened changed what else it learns from: synthetic rankings that mimic the labelled ones (`SwapPatterns`:
R2 and R3 remade from a training outfit with the swap patterns of a labelled ranking, slot by slot: swapped or not, same class or
not, and how similar the new item is to the old, as a rank among the slot's items). They copy how the candidates differ from R1 but
not whom they were made for: the real R2 and R3 were put together by coordinators for the dialog, while a mimicking swap takes the
item at the recorded similarity rank whatever the dialog asked. Here each swap draws `K` items around that rank (each rank jittered
as today) and keeps the one whose text suits the dialog best (cosine of the dialog's vector with the item's mean text vector, as the
embeddings give them). `K` 5, fixed before this script first ran (2026-12-08), and run once; with `K` 1 the sets are today's exactly.
Only the combiner is refitted (the mimicking sets feed nothing else): today's features, dissimilar swaps, C and mean of fits.

Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_dialog_swaps.py` (about 8 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`). Writes
`results/ranking/dialog_swaps_real_cv5.json`: per ranker its mean inner WKT and the number of outer folds that picked it; the rows
(default, nested choice, the ranker with dialog-aware mimicking sets in every fold) with their difference from the default paired
over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p, Holm over the rows).
"""
import functools
from pathlib import Path
import numpy as np

from ranking_net_screen import _D
from ranking_popularity import today_or_new, nested_summary, run_nested

OUT, K = Path('results/ranking/dialog_swaps_real_cv5.json'), 5
RANKERS = ('default', 'mimicking sets with dialog-aware swaps')
NESTED = 'today or dialog-aware mimicking swaps, chosen by 4 inner folds that refit everything'


def dialog_patterns(catalog, emb, k=K):
    "A `SwapPatterns` whose swaps draw `k` items around the recorded similarity rank and keep the one nearest the dialog's vector (with `k` 1: `SwapPatterns`' own draws)."
    from fascode_mm.ranking_nets import SwapPatterns

    class DialogAware(SwapPatterns):
        q = None   # the unit vector of the dialog whose rankings are being remade

        def _draw(self, item, slot, op, rng, jitter):
            if op == 'same': return item
            r = self.ranked(item, slot, op[1])
            if len(r) < 2: r = self.ranked(item, slot, False)   # a class of one: any item of the slot
            if not r: return item
            drawn = [r[int(round(np.clip(op[2] + rng.normal(0, jitter), 0, 1) * (len(r) - 1)))] for _ in range(k)]
            return drawn[0] if self.q is None else max(drawn, key=lambda i: float(emb.mean[emb.row[i]] @ self.q))   # ties: the first drawn

        def triples(self, dialogs, *args, **kw):
            "`SwapPatterns.triples`, each dialog's swaps drawn toward its vector (set as the base class reaches the dialog)."
            def tracked():
                for d in dialogs:
                    v = emb.dvec.get(d.id)
                    self.q = None if v is None else v / (np.linalg.norm(v) or 1)
                    yield d
            return super().triples(tracked(), *args, **kw)

    return DialogAware(catalog, emb)


def with_dialog_swaps(today, train, s, k=K):
    "Today's ranker `today` (fitted on `train` with seed `s`) with its combiner refitted on mimicking sets whose swaps suit the dialog (`dialog_patterns`), as `mimic_rankings` makes them otherwise."
    from fascode_mm.ranking import PairwiseRanker, SetStructure, training_rankings
    catalog, fs = _D['fd'].catalog, today.fs
    labelled, syn = training_rankings(train, catalog, fs, s)
    sp = dialog_patterns(catalog, fs.ctx.emb, k).learn(labelled)
    mimic = [t for j in range(3) if (t := sp.triples(train, 5, s + 100 * j, max_triples=2000))]   # `mimic_rankings`' sets, seeds and sizes
    return PairwiseRanker(fs, today.columns, C=today.C, syn_weight=today.syn_weight, syn_blind=SetStructure.names).fit(labelled, syn, mimic)


fold = functools.partial(today_or_new, with_dialog_swaps, RANKERS, NESTED)   # one outer fold: each ranker's mean inner WKT, the pick, the WKT per test dialog of both and of the pick


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, f"dialog-aware mimicking swaps: each swap of the mimicking sets draws {K} items around "
                          "the recorded similarity rank and keeps the one whose mean text vector is nearest the dialog's vector; only the combiner "
                          "refitted", 'python bench/ranking_dialog_swaps.py', k=K)


def main():
    run_nested(fold, RANKERS, summary, OUT, lambda res: None)


if __name__ == '__main__':
    main()
