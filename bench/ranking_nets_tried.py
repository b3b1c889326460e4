"""Issue 25: the training rankings of the ranker's two networks (`h_net`, `m_net`), tried on the public FASCODE data after the
combiner's mimicking swaps helped: do the networks gain from them too?

Run from the project root: `python bench/ranking_nets_tried.py` (about 26 minutes alone on 2 cores). Writes `results/ranking/nets_tried_real_cv5.json`.

The run's splits (5-fold CV, seeds 0 1 2). In each fold the run's default ranker (`ranking_scorers`) is fitted as it is, and again with the
networks (`LearnedHarmony`, `LearnedMatch`: the full networks and their two cross-fitted halves) trained on other rankings; the combiner is
the default one, refitted on each variant's features:
- `networks: + mimicking swaps`: the labelled rankings, the dissimilar swaps (10 per dialog, as today) and as many mimicking swaps
  (`SwapPatterns` learned from the labelled rankings the network sees).
- `networks: mimicking swaps instead`: the labelled rankings and the mimicking swaps only.
- `networks: dissimilar swaps (refitted here)`: the labelled rankings and the dissimilar swaps, as today, but made the way the two
  variants above make them (each cross-fitted half draws its own swaps from its dialogs), so that the variants differ from it in one thing.
- `networks: match network bagged ×3` (added 2026-12-07): the match network (`LearnedMatch`) as a `BaggedNet` of three seeds, as the harmony
  network already is, its rankings as today. Its feature ranks the training dialogs, where it comes from cross-fitted halves, far worse than
  held-out ones (WKT 0.03 against 0.20 alone, `network_features` of `bench/ranking_push.py`); a mean of three initialisations has less
  variance. Tried once, on these 100 dialogs, after the other variants.
Each row: WKT, and the difference from the default as the run fits it, paired over the 100 dialogs (each averaged over the seeds;
bootstrap 95% interval, randomization p, Holm over the rows).
"""
import json, time
from dataclasses import replace
from pathlib import Path
import numpy as np

import fascode_mm.ranking as RK
from fascode_mm.config import RunConfig, check_config
from fascode_mm.run import run_parser, load_data
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import splits, evaluate_wkt, paired_test, holm, mean_ci
from fascode_mm.fits import split_embeddings
from fascode_mm.ranking_nets import SwapPatterns

SEEDS, N_SHUFFLES, OUT = (0, 1, 2), 10, Path('results/ranking/nets_tried_real_cv5.json')
VARIANTS = {'networks: dissimilar swaps (refitted here)': 'dissimilar', 'networks: + mimicking swaps': 'both', 'networks: mimicking swaps instead': 'mimicking',
            'networks: match network bagged ×3': 'bagged match'}


def rankings_of(kind):
    "`LearnedHarmony.rankings` (`LearnedMatch` inherits it) with the networks' rankings of `kind`: 'dissimilar', 'both' or 'mimicking' swaps beside the labelled rankings (the run's `n_per` of each)."
    def rankings(self, dialogs):
        ctx, seed = self.ctx, self.ctx.seed
        lab = [d for d in dialogs if len(d.candidates) == 3]
        dis = RK.synthetic_triples(dialogs, ctx.catalog, ctx.index, n_per=self.n_per, max_triples=self.max_triples, seed=seed)
        mim = SwapPatterns(ctx.catalog, ctx.emb).learn(lab).triples(dialogs, self.n_per, seed + 7, max_triples=self.max_triples) if lab else []
        return lab + dict(dissimilar=dis, both=dis + mim, mimicking=mim)[kind]
    return rankings


def main():
    t0, original = time.time(), (RK.LearnedHarmony.rankings, RK.LearnedHarmony.per_part)
    cfg = check_config(RunConfig(**vars(run_parser().parse_args(['--data', '../shared/fascode', '--folds', '5', '--no-progress']))))
    fd = load_data(cfg)
    emb = embed_fascode(fd, cfg.cache, text_encoder=cfg.text_encoder, image_encoder=cfg.image_encoder, layout=cfg.layout, dialog=cfg.dialog, progress=False)
    per = {}
    for seed in SEEDS:
        for k, sp in enumerate(splits(fd, emb, cfg.folds, cfg.valid_frac, seed)):
            s, train = seed + k, sp.train + sp.valid
            for name, kind in {'default': None, **VARIANTS}.items():
                RK.LearnedHarmony.rankings, RK.LearnedHarmony.per_part = original if kind in (None, 'bagged match') else (rankings_of(kind), True)   # each part's networks: its own swaps
                RK.LearnedMatch.bag = 3 if kind == 'bagged match' else 1
                try: r = RK.ranking_scorers(fd.catalog, train, emb.items, split_embeddings(sp), seed=s)['learned']
                finally: (RK.LearnedHarmony.rankings, RK.LearnedHarmony.per_part), RK.LearnedMatch.bag = original, 1
                per.setdefault(name, {}).update({(seed, i): w for i, w in evaluate_wkt(sp.test, r, N_SHUFFLES, s)['per_dialog'].items()})
            print(f"seed {seed} fold {k + 1}: {time.time() - t0:.0f} s", flush=True)
    ids = sorted({i for _, i in per['default']})
    mean = {n: np.array([np.mean([v[s, i] for s in SEEDS]) for i in ids]) for n, v in per.items()}
    rows = {n: dict(wkt=float(v.mean()), ci95=mean_ci(v), **({} if n == 'default' else dict(zip(('diff', 'ci95_diff', 'p_value'),
                    (lambda t: (t['diff'], t['ci95'], t['p_value']))(paired_test(v, mean['default'])))))) for n, v in mean.items()}
    for n, p in zip(VARIANTS, holm([rows[n]['p_value'] for n in VARIANTS])): rows[n]['p_holm'] = p
    res = dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
               "diff: the variant minus the default as the run fits it, paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the variants)",
               command='python bench/ranking_nets_tried.py', rows=rows, seconds=round(time.time() - t0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for n, r in rows.items(): print(f"{n:45} WKT {r['wkt']:.4f}" + (f"  diff {r['diff']:+.4f} [{r['ci95_diff'][0]:+.3f}, {r['ci95_diff'][1]:+.3f}] p {r['p_value']:.3f} p_holm {r['p_holm']:.3f}" if 'diff' in r else ''))
    print(f"written to {OUT} ({res['seconds']} s)")

if __name__ == '__main__':
    import torch; torch.set_num_threads(1)
    main()
