"""Issue 25: the two looks at the 100 dialogs' candidates from which `bench/ranking_popularity.py` and `bench/ranking_aspect_structure.py` came.

Both are descriptive counts over all 100 labelled dialogs, with nothing fitted, made before those scripts were written (so the ideas
they test are not free of this look; their nested choices are the judge):

1. `accepted_elsewhere`: per gold rank, how many of the candidates' differing items (`diff_items`) are in the R1 of another dialog.
2. `most_alike_pair`: per view (each text aspect's embedding and the image's, centred over the catalogue and unit length), in how many
   dialogs each pair of candidates (R1-R2, R1-R3, R2-R3) is the most alike, by the mean cosine of their items in the slots where the
   two differ.

Run from the project root: `python bench/ranking_candidate_looks.py` (under a minute once the embeddings are cached). Writes
`results/ranking/candidate_looks_real.json`.
"""
import json
from collections import Counter
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load

OUT = Path('results/ranking/candidate_looks_real.json')
PAIRS = ((0, 1), (0, 2), (1, 2))


def centred(X):
    "Rows of `X` centred over the catalogue and scaled to unit length."
    X = X - X.mean(0)
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


def main():
    from fascode_mm.data import SLOTS, outfit_items
    from fascode_mm.ranking import diff_items
    _load()
    dialogs, items = [d for d in _D['fd'].eval if d.labelled and len(d.candidates) == 3], _D['emb'].items
    r1 = Counter(i for d in dialogs for i in set(outfit_items(d.candidates[0])))
    elsewhere = [0, 0, 0]
    n_items = [0, 0, 0]
    for d in dialogs:
        own = set(outfit_items(d.candidates[0]))
        for rank, its in enumerate(diff_items(d.candidates)):
            n_items[rank] += len(its)
            elsewhere[rank] += sum(r1[i] - (i in own) > 0 for i in its)
    row = {i: k for k, i in enumerate(items.ids)}
    views = {**{f'text {a}': centred(items.text[:, j]) for j, a in enumerate('FMCE')}, 'image': centred(items.image)}
    alike = {}
    for v, X in views.items():
        most = Counter()
        for d in dialogs:
            c = d.candidates
            sims = [np.mean([X[row[c[a][s]]] @ X[row[c[b][s]]] for s in SLOTS if c[a].get(s) and c[b].get(s) and c[a][s] != c[b][s]] or [np.nan]) for a, b in PAIRS]
            most[int(np.nanargmax(sims))] += 1
        alike[v] = {f'R{a + 1}-R{b + 1}': most[k] for k, (a, b) in enumerate(PAIRS)}
    res = dict(dialogs=len(dialogs), command='python bench/ranking_candidate_looks.py',
               accepted_elsewhere={f'R{k + 1}': dict(differing_items=n_items[k], in_another_r1=elsewhere[k]) for k in range(3)},
               most_alike_pair=alike)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    print(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
