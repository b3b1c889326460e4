"""What was tried for the learned ranker: each idea as a variant of the learned ranker as it was shipped until 2026-11-27
(families match, harmony, constraint, structure and a one-network harmony_net), in the same 5-fold CV on the public FASCODE
data as `bench/ranking_cv.py` (seeds 0 1 2, 10 reshuffles). That ranker is pinned here, so the saved results stay reproducible.
Two variants were kept afterwards, by the nested cross-validation of `bench/ranking_nested.py`: the match network and the bag of
three harmony networks, now `fascode_mm.ranking`'s `match_net` family and `LearnedHarmony.bag = 3`.

Run from the project root: `python bench/ranking_tried.py` (about 5 minutes on 2 cores). Writes `results/ranking/tried_real_cv5.json`
and prints one line per variant: mean WKT over seeds ± the mean standard error over dialogs, and its difference from the learned
ranker as shipped, paired over the 100 dialogs (a dialog's WKT averaged over the seeds; bootstrap 95% interval, randomization p,
Holm over the variants).
The variants are defined here, not in the package:
- `+ prior`: how often the training outfits use each differing item, any candidate's item, its class, and the outfit's class pairs
  (the dialog's own outfit left out);
- `+ slot similarities`: the same-slot similarity of a candidate's differing items to the other candidates', per TF-IDF aspect,
  mean text embedding and image;
- `+ match network`: a learned dialog ↔ item match, trained and cross-fitted as the harmony network is (`fascode_mm.ranking_nets.MatchNet`);
- `harmony network ×3 (bagged)`: the harmony-network feature as the mean of three networks with different seeds;
- `harmony network cross-fitted in 5`: its training-dialog features from 5 networks that each saw 80% of the training rankings
  (instead of 2 that saw half);
- `centred embeddings`: the embedding features computed on embeddings centred over the catalogue (and over the dialogs' turns);
- `R1 pairs weighted`: the pairs (R1, R2) and (R1, R3) weighted 1 and (R2, R3) 0.5, closer to what the weighted tau rewards;
- `C = 0.03`, `C = 0.3`: other regularisation strengths of the combiner."""
import json, sys, time
from collections import Counter
from itertools import combinations
from pathlib import Path
import numpy as np

import fascode_mm.ranking as R
from fascode_mm.data import load_fascode, shared_fascode, outfit_items, SLOTS
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import evaluate_wkt, combine_wkt, paired_test, holm
from fascode_mm.evaluation import kfold
from fascode_mm.ranking_nets import EmbeddingTable
from fascode_mm.embeddings import unit

SEEDS, N_SHUFFLES, OUT = (0, 1, 2), 10, Path('results/ranking/tried_real_cv5.json')


class Prior(R.Family):
    "How often the training outfits use an item (R1 / any candidate), its class and the outfit's class pairs, the dialog's own left out."
    names = ['p_item', 'p_item_any', 'p_cls', 'p_pair']
    def fit(self, dialogs):
        cls, self.own, self.tot = self.ctx.lex.cls, {}, {k: Counter() for k in ('r1', 'any', 'cls', 'pair')}
        for d in dialogs:
            o = d.candidates[0] if d.candidates else d.outfit
            if not o: continue
            its = outfit_items(o)
            own = dict(r1=Counter(its), any=Counter(i for c in (d.candidates or [o]) for i in outfit_items(c)),
                       cls=Counter(cls[i] for i in its), pair=Counter(tuple(sorted((cls[a], cls[b]))) for a, b in combinations(its, 2)))
            self.own[d.id] = own
            for k, v in own.items(): self.tot[k].update(v)
        return self
    def features(self, dialog, shown):
        cls, own = self.ctx.lex.cls, self.own.get(dialog.id, {})
        n = lambda k, key: np.log1p(self.tot[k][key] - own.get(k, Counter())[key])
        out = np.zeros((len(shown), 4))
        for c, items in enumerate(R.diff_items(shown)):
            out[c, :3] = [np.mean([n('r1', i) for i in items]), np.mean([n('any', i) for i in items]), np.mean([n('cls', cls[i]) for i in items])]
        for c, cand in enumerate(shown):
            ps = [tuple(sorted((cls[a], cls[b]))) for a, b in combinations(outfit_items(cand), 2)]
            out[c, 3] = np.mean([n('pair', p) for p in ps]) if ps else 0
        return out


class SlotSimilarity(R.Family):
    "Same-slot similarity of a candidate's differing items to the other candidates' items in those slots."
    names = [f's_dsoft_{v}' for v in R.VIEWS] + ['s_dsoft_emb', 's_dsoft_img']
    def features(self, dialog, shown):
        out = np.zeros((len(shown), len(self.names)))
        union = sorted({i for c in shown for i in outfit_items(c)})
        k, G = {i: j for j, i in enumerate(union)}, self.ctx.grams(union)
        r = [self.emb.row[i] for i in union]
        GM, GI = self.emb.mean[r] @ self.emb.mean[r].T, self.emb.image[r] @ self.emb.image[r].T
        for c, cand in enumerate(shown):
            pairs = [(k[cand[s]], k[o[s]]) for j, o in enumerate(shown) if j != c for s in SLOTS if cand.get(s) and o.get(s) and cand[s] != o[s]]
            if not pairs: continue
            a, b = map(list, zip(*pairs))
            out[c] = [G[v][a, b].mean() for v in R.VIEWS] + [GM[a, b].mean(), GI[a, b].mean()]
        return out


R.LearnedHarmony.bag = 1   # the ranker as shipped until 2026-11-27, which these variants were tried against


class LearnedHarmonyBagged(R.LearnedHarmony):
    "The harmony-network family with three networks per fit instead of one (now the package's default)."
    names, default, bag = ['h_net_bag3'], (('h_net_bag3', 1),), 3


class LearnedHarmonyCF5(R.LearnedHarmony):
    "The harmony-network family cross-fitted in 5 parts instead of 2 (its training features from networks that saw 80% of the data)."
    names, default, n_splits = ['h_net_cf5'], (('h_net_cf5', 1),), 5


R.FAMILY_CLASSES.update(prior=Prior, slot_similarity=SlotSimilarity, harmony_net_bag3=LearnedHarmonyBagged,
                        harmony_net_cf5=LearnedHarmonyCF5)
SHIPPED_THEN = ('match', 'harmony', 'constraint', 'structure', 'harmony_net')


def centred(table):
    "The embedding table with item vectors centred over the catalogue and turn/dialog vectors over the dialogs."
    t = table.text.copy(); table.text = unit(t - t.mean(0))
    table.mean = unit(t.mean(1) - t.mean(1).mean(0)); table.image = unit(table.image - table.image.mean(0))
    mu = np.concatenate(list(table.turns.values())).mean(0); dm = np.mean(list(table.dvec.values()), 0)
    table.turns = {k: v - mu for k, v in table.turns.items()}; table.dvec = {k: v - dm for k, v in table.dvec.items()}
    table._harmony_inputs = None
    return table


def paired_rows(per_dialog: dict, base: str) -> dict:
    "Per name of `per_dialog` ({name: {(seed, dialog): wkt}}): its difference from `base`, paired over the dialogs (each dialog's WKT averaged over the seeds), with the bootstrap 95% interval, the randomization p and Holm's p over the names."
    mean = {n: {} for n in per_dialog}
    for n, v in per_dialog.items():
        for (s, i), w in v.items(): mean[n].setdefault(i, []).append(w)
    ids = sorted(mean[base])
    vec = {n: np.array([np.mean(m[i]) for i in ids]) for n, m in mean.items()}
    out = {n: (lambda t: dict(diff=t['diff'], ci95_diff=t['ci95'], p_value=t['p_value']))(paired_test(v, vec[base])) for n, v in vec.items() if n != base}
    for n, p in zip(out, holm([r['p_value'] for r in out.values()])): out[n]['p_holm'] = p
    return out


def main():
    t0 = time.time()
    fd = load_fascode(shared_fascode())
    emb = embed_fascode(fd, 'cache/embeddings', progress=False)
    dialogs = [d for d in fd.eval if d.labelled]
    families = SHIPPED_THEN + ('prior', 'slot_similarity', 'match_net', 'harmony_net_bag3', 'harmony_net_cf5')
    shipped = set(SHIPPED_THEN)
    per, per_dialog = {}, {}
    for seed in SEEDS:
        res = {}
        for k, held in enumerate(kfold(len(dialogs), 5, seed)):
            test, train = [dialogs[i] for i in held], [d for i, d in enumerate(dialogs) if i not in set(held)]
            fs = R.FeatureSet(EmbeddingTable(emb.items, emb.eval), families=families, seed=seed + k).fit(fd.catalog, train)
            fsc = R.FeatureSet(centred(EmbeddingTable(emb.items, emb.eval)), families=SHIPPED_THEN, seed=seed + k).fit(fd.catalog, train)
            lab, syn = R.training_rankings(train, fd.catalog, fs, seed + k)
            use = fs.usable(lab + syn)
            cols = lambda fams: [c for c in use if fs.family[c] in fams]
            variants = {'learned (as shipped)': R.PairwiseRanker(fs, cols(shipped)),
                        '+ prior': R.PairwiseRanker(fs, cols(shipped | {'prior'})),
                        '+ slot similarities': R.PairwiseRanker(fs, cols(shipped | {'slot_similarity'})),
                        '+ match network': R.PairwiseRanker(fs, cols(shipped | {'match_net'})),
                        'harmony network ×3 (bagged)': R.PairwiseRanker(fs, cols(shipped - {'harmony_net'} | {'harmony_net_bag3'})),
                        'harmony network cross-fitted in 5': R.PairwiseRanker(fs, cols(shipped - {'harmony_net'} | {'harmony_net_cf5'})),
                        'centred embeddings': R.PairwiseRanker(fsc, fsc.usable(lab + syn)),
                        'R1 pairs weighted': R.PairwiseRanker(fs, cols(shipped), pair_weights=(1., 1., .5)),
                        'C = 0.03': R.PairwiseRanker(fs, cols(shipped), C=0.03), 'C = 0.3': R.PairwiseRanker(fs, cols(shipped), C=0.3)}
            for name, r in variants.items():
                res.setdefault(name, []).append(e := evaluate_wkt(test, r.fit(lab, syn), N_SHUFFLES, seed + k))
                per_dialog.setdefault(name, {}).update({(seed, i): w for i, w in e['per_dialog'].items()})
            print(f"[{time.time() - t0:6.0f}s] seed {seed} fold {k}", flush=True)
        for n, rs in res.items(): per.setdefault(n, []).append(combine_wkt(rs))
    base = np.mean([r['wkt'] for r in per['learned (as shipped)']])
    rows = {n: dict(wkt=float(np.mean([r['wkt'] for r in rs])), se=float(np.mean([r['wkt_se'] for r in rs])),
                    change=float(np.mean([r['wkt'] for r in rs]) - base), per_seed=[round(r['wkt'], 4) for r in rs]) for n, rs in per.items()}
    for n, t in paired_rows(per_dialog, 'learned (as shipped)').items(): rows[n].update(t)
    OUT.write_text(json.dumps(dict(data='public FASCODE, 100 labelled dialogs, 5-fold CV, seeds 0 1 2, 10 reshuffles per fold; diff: the variant minus the learned ranker as shipped, paired over the dialogs (each averaged over the seeds), bootstrap 95% interval, randomization p, Holm over the variants',
                                   command='python bench/ranking_tried.py', rows=rows), indent=1, ensure_ascii=False) + '\n')
    for n, v in rows.items(): print(f"{n:34s} {v['wkt']:+.3f} ± {v['se']:.3f}  {v['per_seed']}" + (f"  diff {v['diff']:+.4f} [{v['ci95_diff'][0]:+.3f}, {v['ci95_diff'][1]:+.3f}] p {v['p_value']:.3f} p_holm {v['p_holm']:.3f}" if 'diff' in v else ''))
    print(f"{time.time() - t0:.0f} s")


if __name__ == '__main__':
    import torch; torch.set_num_threads(1)
    main()
