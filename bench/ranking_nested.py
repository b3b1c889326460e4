"""Nested cross-validation of a choice among four learned rankers on the public FASCODE data: an honest estimate of
"pick the variant that inner CV likes", since `bench/ranking_tried.py` found its two gains on the same 100 dialogs.

Run from the project root: `python bench/ranking_nested.py`. Writes `results/ranking/nested_real_cv5.json`.

The candidates were fixed before this run, from `bench/ranking_tried.py`'s two variants that gained: the learned ranker as
shipped, `+ match network`, `harmony network ×3 (bagged)`, and both together. For every seed (0 1 2) and outer fold (5),
the 80 training dialogs are split again into 4 inner folds. Each candidate is fitted on three inner folds and scored on the
fourth. The candidate with the best inner mean WKT is then fitted on all 80 dialogs and scored on the 20 held-out ones.
The held-out dialogs take no part in the choice. The output gives the nested WKT (mean of seeds, ± the mean se over dialogs),
every candidate's plain (non-nested) CV WKT on the same outer folds, which candidate each outer fold chose, and each one's
difference from the ranker as shipped, paired over the dialogs (bootstrap 95% interval, Holm). About 12 minutes on 2 cores.
The candidate with the best plain CV, `+ match network, harmony ×3`, is what the procedure picks on all 100 dialogs; it is
`fascode_mm.ranking`'s learned ranker since 2026-11-27 (`bench/ranking_cv.py` measures it as shipped)."""
import json, sys, time
from collections import Counter
from pathlib import Path
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import ranking_tried as T   # pins the ranker shipped until 2026-11-27 (one harmony network) and registers harmony_net_bag3
import fascode_mm.ranking as R
from fascode_mm.data import load_fascode, shared_fascode
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import evaluate_wkt, combine_wkt
from fascode_mm.evaluation import kfold
from fascode_mm.ranking_nets import EmbeddingTable

SEEDS, N_SHUFFLES, INNER, OUT = (0, 1, 2), 10, 4, Path('results/ranking/nested_real_cv5.json')
SHIPPED = set(T.SHIPPED_THEN)   # the candidates are variants of the ranker as it was shipped when they were fixed
CANDIDATES = {'learned (as shipped)': SHIPPED, '+ match network': SHIPPED | {'match_net'},
              'harmony network ×3': SHIPPED - {'harmony_net'} | {'harmony_net_bag3'},
              '+ match network, harmony ×3': SHIPPED - {'harmony_net'} | {'match_net', 'harmony_net_bag3'}}
FAMS = T.SHIPPED_THEN + ('match_net', 'harmony_net_bag3')


def fitted(catalog, emb, train, seed):
    "Every candidate fitted on `train` (one FeatureSet with all the families; each candidate uses its columns)."
    fs = R.FeatureSet(EmbeddingTable(emb.items, emb.eval), families=FAMS, seed=seed).fit(catalog, train)
    lab, syn = R.training_rankings(train, catalog, fs, seed)
    use = fs.usable(lab + syn)
    return {n: R.PairwiseRanker(fs, [c for c in use if fs.family[c] in fams]).fit(lab, syn) for n, fams in CANDIDATES.items()}


def main():
    t0 = time.time()
    fd = load_fascode(shared_fascode())
    emb = embed_fascode(fd, 'cache/embeddings', progress=False)
    dialogs = [d for d in fd.eval if d.labelled]
    nested, plain, chosen, per_dialog = [], {n: [] for n in CANDIDATES}, [], {}
    for seed in SEEDS:
        res_n, res_p = [], {n: [] for n in CANDIDATES}
        for k, held in enumerate(kfold(len(dialogs), 5, seed)):
            test, train = [dialogs[i] for i in held], [d for i, d in enumerate(dialogs) if i not in set(held)]
            inner = {n: [] for n in CANDIDATES}
            for j, ih in enumerate(kfold(len(train), INNER, 1000 * seed + k)):
                itest, itrain = [train[i] for i in ih], [d for i, d in enumerate(train) if i not in set(ih)]
                for n, r in fitted(fd.catalog, emb, itrain, seed + k + 100 * (j + 1)).items():
                    inner[n].append(evaluate_wkt(itest, r, N_SHUFFLES, seed + k))
            inner_wkt = {n: combine_wkt(rs)['wkt'] for n, rs in inner.items()}
            pick = max(CANDIDATES, key=lambda n: inner_wkt[n])   # ties: the first, i.e. the simpler
            outer = {n: evaluate_wkt(test, r, N_SHUFFLES, seed + k) for n, r in fitted(fd.catalog, emb, train, seed + k).items()}
            res_n.append(outer[pick]); chosen.append(pick)
            for n in CANDIDATES: res_p[n].append(outer[n])
            for n, r in [('nested (choice included)', outer[pick]), *outer.items()]: per_dialog.setdefault(n, {}).update({(seed, i): w for i, w in r['per_dialog'].items()})
            print(f"[{time.time() - t0:6.0f}s] seed {seed} fold {k}: inner " + ', '.join(f"{n} {w:+.3f}" for n, w in inner_wkt.items())
                  + f" -> {pick}: outer {outer[pick]['wkt']:+.3f}", flush=True)
        nested.append(combine_wkt(res_n))
        for n in CANDIDATES: plain[n].append(combine_wkt(res_p[n]))
    row = lambda rs: dict(wkt=float(np.mean([r['wkt'] for r in rs])), se=float(np.mean([r['wkt_se'] for r in rs])),
                          per_seed=[round(r['wkt'], 4) for r in rs])
    out = dict(data='public FASCODE, 100 labelled dialogs, 5-fold outer CV with 4-fold inner CV, seeds 0 1 2, 10 reshuffles per fold; diff: minus the learned ranker as shipped, paired over the dialogs (each averaged over the seeds), bootstrap 95% interval, randomization p, Holm over the four plain candidates and the nested procedure',
               command='python bench/ranking_nested.py', nested=row(nested), chosen=dict(Counter(chosen)),
               plain={n: row(rs) for n, rs in plain.items()}, seconds=time.time() - t0)
    for n, t in T.paired_rows(per_dialog, 'learned (as shipped)').items(): (out['nested'] if n.startswith('nested') else out['plain'][n]).update(t)
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
    d = lambda v: f"  diff {v['diff']:+.4f} [{v['ci95_diff'][0]:+.3f}, {v['ci95_diff'][1]:+.3f}] p_holm {v['p_holm']:.3f}" if 'diff' in v else ''
    print(f"nested: {out['nested']['wkt']:+.3f} ± {out['nested']['se']:.3f} {out['nested']['per_seed']}{d(out['nested'])}; chosen {out['chosen']}")
    for n, v in out['plain'].items(): print(f"  plain {n:30s} {v['wkt']:+.3f} ± {v['se']:.3f} {v['per_seed']}{d(v)}")


if __name__ == '__main__':
    import torch; torch.set_num_threads(1)
    main()
