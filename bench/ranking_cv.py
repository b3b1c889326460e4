"""Rankers of `fascode_mm.ranking` on the public FASCODE data (5-fold CV, seeds 0 1 2) and on the embedded sample.

Run from the project root: `python bench/ranking_cv.py [real|sample|both]`. The public data goes through the main job's
own protocol and functions (`fascode_mm.evaluation.splits`, `fascode_mm.fits.fit_rankers` with the `RunConfig` that
`fascode_mm_run --data ../shared/fascode --folds 5 --seeds 0 1 2` gives each split), so its rows of the rankers are that
command's numbers; the rows it adds (ablations, random) are scored on the same splits. Writes `results/ranking/real_cv5.json` and
`results/ranking/sample.json`: per row the mean WKT over seeds, its standard error and 95% interval over dialogs (seed-averaged per-dialog
WKT), the per-seed WKT, and the paired test against the learned ranker on the same dialogs (`vs_learned`); plus timings. Embeddings come from `cache/embeddings` (filled by `fascode_mm.embeddings.embed_fascode`)."""
import json, os, sys, time
from pathlib import Path
import numpy as np

from fascode_mm.data import load_fascode, shared_fascode, outfit_items
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import evaluate_wkt, combine_wkt, combine_seeds, TfidfScorer, random_scorer, mean_ci, paired_test, holm
from fascode_mm.ranking import FAMILIES, RANKERS, PairwiseRanker, ranking_scorers, combiner_rankings, SetStructure
from fascode_mm.evaluation import splits
from fascode_mm.config import RunConfig
from fascode_mm.fits import fit_rankers

SEEDS, N_SHUFFLES, OUT = (0, 1, 2), 10, Path('results/ranking')
T0 = time.time()
def log(msg): print(f"[{time.time() - T0:7.1f}s] {msg}", flush=True)


def _row_name(n):
    "The row of a scorer of `ranking_scorers`: the learned ranker, a family's zero-shot scorer, or a trained network (harmony, match) alone."
    return n if n == 'learned' else f'{n} alone' if n in ('harmony_net', 'match_net') else f'zero-shot {n}'


def ablations(catalog, train, fs, seed):
    "The ablation rows, on the FeatureSet that `ranking_scorers` fitted (same synthetic triples, cached features)."
    lab, syn, mim = combiner_rankings(train, catalog, fs, seed)         # what `ranking_scorers` fits the learned ranker on
    use = fs.usable(lab + syn)
    fit = lambda cols, extra=syn, mimic=mim: PairwiseRanker(fs, columns=[c for c in use if c in set(cols)], syn_blind=SetStructure.names).fit(lab, extra, mimic)
    out = {}
    for f in FAMILIES: out[f'learned − {f}'] = fit(np.where(fs.family != f)[0])
    if lab: out['learned, no synthetic'] = fit(use, [], [])
    out['learned, structure only'] = fit(np.where(fs.family == 'structure')[0])
    out['TF-IDF baseline'] = TfidfScorer(catalog)
    return out


def summarise(per, ref='learned'):
    """name -> [combined result per seed] => rows: the mean WKT over seeds; over the dialogs (each dialog's WKT averaged over the seeds
    first, as `fascode_mm_run --seeds` does: `combine_seeds`) its standard error and 95% bootstrap interval; the WKT per seed; and
    `vs_learned`: the row minus the learned ranker, dialog by dialog (`paired_test`), p-values Holm-adjusted over the rows."""
    comb = {n: combine_seeds(rs) for n, rs in per.items()}
    pooled = {n: c['per_dialog'] for n, c in comb.items()}
    tests = {n: paired_test(d.values, pooled[ref].reindex(d.index).values) for n, d in pooled.items() if n != ref}
    for n, p in zip(tests, holm([t['p_value'] for t in tests.values()])): tests[n]['p_holm'] = p
    return {n: dict(wkt=float(np.mean([r['wkt'] for r in rs])), se=comb[n]['wkt_se'], ci95=mean_ci(pooled[n].values),
                    per_seed=[round(r['wkt'], 4) for r in rs], **({'vs_learned': tests[n]} if n in tests else {}))
            for n, rs in per.items()}


def real():
    t = time.time()
    fd = load_fascode(shared_fascode())
    emb = embed_fascode(fd, 'cache/embeddings', progress=False)
    t_load, per, fold_times = time.time() - t, {}, []
    for seed in SEEDS:
        res = {}
        for k, sp in enumerate(splits(fd, emb, 5, RunConfig().valid_frac, seed)):
            cfg = RunConfig(data=str(fd.root), folds=5, seed=seed + k, n_shuffles=N_SHUFFLES)   # what `fascode_mm_run --folds 5` gives split k
            test, train = sp.test, sp.train + sp.valid
            t = time.time()   # what a run does per fold: ranking_scorers, then every RANKER on the test fold
            sc, _, rs, _, _ = fit_rankers(cfg, emb, fd.catalog, sp)
            fold_times.append(dict(fit_s=time.time() - t, score_s=0.0))   # fit_rankers fits and scores: all of it under fit_s
            for n in RANKERS: res.setdefault(_row_name(n), []).append(rs[n])
            for n, s in ablations(fd.catalog, train, sc['learned'].fs, seed + k).items():
                res.setdefault(n, []).append(evaluate_wkt(test, s, N_SHUFFLES, seed + k))
            res.setdefault('random', []).append(evaluate_wkt(test, random_scorer(seed + k), N_SHUFFLES, seed + k))
            log(f"real seed {seed} fold {k}: learned {rs['learned']['wkt']:+.3f}, fit and scored in {fold_times[-1]['fit_s']:.2f}s")
        for n, rs in res.items(): per.setdefault(n, []).append(combine_wkt(rs))
    ft = np.array([[f['fit_s'], f['score_s']] for f in fold_times])
    return dict(data='public FASCODE, 100 labelled dialogs, 5-fold CV, seeds 0 1 2, 10 reshuffles per fold',
                rows=summarise(per), timings=dict(load_and_embed_s=t_load, ranking_scorers_per_fold_s=float(ft[:, 0].mean()),
                                                  score_5_rankers_per_fold_s=float(ft[:, 1].mean()),
                                                  per_fold_total_s=float(ft.sum(1).mean()), folds=len(ft)))


def oracle_scorer(fd):
    "The sample generator's own ranking: each candidate's `outfit_score`, regenerated in memory with `ensure_sample`'s defaults."
    from fascode_mm.sample_data import build_sample
    smp = build_sample(seed=0)
    score = {}
    for k, ev in enumerate(smp.evals, 1):
        for o, s in zip(ev.candidates, ev.scores): score[str(k), frozenset(i.id for i in o)] = s
    for d in fd.eval:   # the regenerated candidates are the written ones
        assert all((d.id, frozenset(outfit_items(c))) in score for c in d.candidates), d.id
    return lambda dialog, shown: [score[dialog.id, frozenset(outfit_items(c))] for c in shown]


def sample():
    from fascode_mm.sample_data import ensure_sample
    t = time.time()
    fd = load_fascode(ensure_sample('data/sample'))
    emb = embed_fascode(fd, 'cache/embeddings', progress=False)
    t_load = time.time() - t
    per, times = {}, []
    for seed in SEEDS:
        (sp,) = splits(fd, emb, 0, RunConfig().valid_frac, seed)   # the job's one split: training dialogs (less the validation share, which the rankers also fit on) against the evaluation dialogs
        t = time.time()
        sc, _, rs, _, _ = fit_rankers(RunConfig(seed=seed, n_shuffles=N_SHUFFLES), emb, fd.catalog, sp)   # what `fascode_mm_run --seed S` fits and scores
        times.append(dict(fit_s=time.time() - t, score_s=0.0))
        train = sp.train + sp.valid
        for n in RANKERS: per.setdefault(_row_name(n), []).append(rs[n])
        for n, s in ablations(fd.catalog, train, sc['learned'].fs, seed).items():
            per.setdefault(n, []).append(evaluate_wkt(fd.eval, s, N_SHUFFLES, seed))
        per.setdefault('random', []).append(evaluate_wkt(fd.eval, random_scorer(seed), N_SHUFFLES, seed))
        per.setdefault('oracle (generator scores)', []).append(evaluate_wkt(fd.eval, oracle_scorer(fd), N_SHUFFLES, seed))
        log(f"sample seed {seed}: learned {rs['learned']['wkt']:+.3f}, fit and scored in {times[-1]['fit_s']:.2f}s")
    ft = np.array([[f['fit_s'], f['score_s']] for f in times])
    return dict(data=f'embedded sample: trained on the {len(fd.train)} training dialogs (synthetic triples only), scored on '
                     f'{len(fd.eval)} evaluation dialogs, seeds 0 1 2, 10 reshuffles',
                rows=summarise(per), timings=dict(load_and_embed_s=t_load, ranking_scorers_s=float(ft[:, 0].mean()),
                                                  score_5_rankers_s=float(ft[:, 1].mean()), total_s=float(ft.sum(1).mean())))


if __name__ == '__main__':
    import torch; torch.set_num_threads(1)
    what = sys.argv[1] if len(sys.argv) > 1 else 'both'
    OUT.mkdir(parents=True, exist_ok=True)
    for name, f, fn in (('real', real, 'real_cv5.json'), ('sample', sample, 'sample.json')):
        if what not in (name, 'both'): continue
        r = f()
        r['command'] = f"python bench/ranking_cv.py {name}"
        (OUT/fn).write_text(json.dumps(r, indent=1, ensure_ascii=False) + '\n')
        for n, v in r['rows'].items():
            t = v.get('vs_learned')
            print(f"{n:32s} {v['wkt']:+.3f} [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}]  {v['per_seed']}" +
                  (f"  vs learned {t['diff']:+.3f} [{t['ci95'][0]:+.3f}, {t['ci95'][1]:+.3f}] p_holm {t['p_holm']:.3f}" if t else ''))
        print(r['timings'])
    log('done')
