"""Does an inner cross-validation that refits everything choose the default ranker's C as the evaluation folds would?

The nested protocols of `bench/ranking_push.py` reuse the outer fold's features in their inner folds: an inner validation dialog is
scored with networks cross-fitted on half of the 80 training dialogs, while an outer test dialog is scored with the networks trained
on all 80, and those inner folds prefer more regularisation (C 0.03) than the evaluation folds do (C 1 to 10). Here each of 4 inner
folds refits the whole ranker (`ranking_scorers`: features, networks, synthetic rankings, weights) on its 60 training dialogs and
scores its 20 held-out ones as a run scores a test fold, at each C; the C with the best mean inner WKT is refitted on the 80 (the
outer fold's features) and scored on the outer fold's 20 dialogs. Designed on 2026-12-07, after the inner and outer folds were seen
to disagree, so it is one more nested protocol judged on these 100 dialogs.

Run from the project root: `python bench/ranking_nested_refit.py` (about 15 minutes on 2 cores). Writes
`results/ranking/nested_refit_real_cv5.json`: each row's WKT and its difference from the default until 2026-12-06 (`dissimilar swaps`)
and from today's default, paired over the 100 dialogs (a dialog's WKT averaged over seeds 0 1 2; bootstrap 95% interval,
randomization p); `inner` holds each outer fold's inner WKT by C and its pick.
"""
import json, time
from dataclasses import replace
from pathlib import Path
import numpy as np

from fascode_mm.config import RunConfig, check_config
from fascode_mm.run import run_parser, load_data
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import splits, evaluate_wkt, kfold, paired_test, mean_ci
from fascode_mm.fits import split_embeddings
from fascode_mm.ranking import PairwiseRanker, ranking_scorers, combiner_rankings, SetStructure

SEEDS, INNER, N_SHUFFLES, OUT = (0, 1, 2), 4, 10, Path('results/ranking/nested_refit_real_cv5.json')
CS = (0.03, 0.1, 0.3, 1, 3, 10)   # the default's C is 0.1
REF, DEFAULT, NESTED = 'dissimilar swaps', 'default', 'C chosen by 4 inner folds that refit everything'


def with_C(r, lab, syn, mim, C):
    "Today's default ranker on the features of the fitted ranker `r`, with regularisation `C`."
    return PairwiseRanker(r.fs, r.columns, C=C, syn_blind=SetStructure.names).fit(lab, syn, mim)


def inner_wkt(catalog, train, items, dialog_emb, seed, fold_seed) -> dict:
    "Each C's mean WKT over `INNER` inner folds of the labelled `train` dialogs, the whole ranker refitted on each inner fold's training dialogs."
    lab_ids = [d.id for d in train if len(d.candidates) == 3]
    out = {C: [] for C in CS}
    for ih in kfold(len(lab_ids), INNER, fold_seed):
        held = {lab_ids[i] for i in ih}
        fit_on, val = [d for d in train if d.id not in held], [d for d in train if d.id in held]
        r = ranking_scorers(catalog, fit_on, items, dialog_emb, seed=seed)['learned']
        lab, syn, mim = combiner_rankings(fit_on, catalog, r.fs, seed)
        for C in CS: out[C].append(evaluate_wkt(val, with_C(r, lab, syn, mim, C), N_SHUFFLES, seed)['wkt'])
    return {C: float(np.mean(v)) for C, v in out.items()}


def main():
    t0 = time.time()
    cfg = check_config(RunConfig(**vars(run_parser().parse_args(['--data', '../shared/fascode', '--folds', '5', '--no-progress']))))
    fd = load_data(cfg)
    emb = embed_fascode(fd, cfg.cache, text_encoder=cfg.text_encoder, image_encoder=cfg.image_encoder, layout=cfg.layout, dialog=cfg.dialog, progress=False)
    per, inner = {}, []
    for seed in SEEDS:
        for k, sp in enumerate(splits(fd, emb, cfg.folds, cfg.valid_frac, seed)):
            c = replace(cfg, seed=seed + k, seeds=())
            train, de = sp.train + sp.valid, split_embeddings(sp)
            rs = ranking_scorers(fd.catalog, train, emb.items, de, seed=c.seed)
            r = rs['learned']
            lab, syn, mim = combiner_rankings(train, fd.catalog, r.fs, c.seed)
            assert np.allclose(with_C(r, lab, syn, mim, 0.1).w, r.w)   # C 0.1: the run's ranker
            iw = inner_wkt(fd.catalog, train, emb.items, de, c.seed, 1000 * seed + k)
            pick = max(CS, key=lambda C: iw[C])
            fits = {REF: PairwiseRanker(r.fs, r.columns).fit(lab, syn), DEFAULT: r,
                    **{f'default, C {C}': with_C(r, lab, syn, mim, C) for C in CS if C != 0.1}, NESTED: with_C(r, lab, syn, mim, pick)}
            for name, f in fits.items():
                per.setdefault((seed, name), {}).update(evaluate_wkt(sp.test, f, N_SHUFFLES, c.seed)['per_dialog'].to_dict())
            inner.append(dict(seed=seed, fold=k, pick=pick, inner={str(C): round(v, 4) for C, v in iw.items()}))
            print(f"seed {seed} fold {k + 1}: inner WKT by C {[round(iw[C], 3) for C in CS]}, pick {pick}; {time.time() - t0:.0f} s", flush=True)
    names = list(dict.fromkeys(n for _, n in per))
    ids = list(per[SEEDS[0], REF])
    mean = {n: np.array([np.mean([per[s, n][i] for s in SEEDS]) for i in ids]) for n in names}   # each dialog's WKT, mean of the seeds
    vs = lambda v, ref: (lambda t: dict(diff=t['diff'], ci95_diff=t['ci95'], p_value=t['p_value']))(paired_test(v, mean[ref]))
    rows = {n: dict(wkt=float(v.mean()), ci95=mean_ci(v), **({} if n == REF else {f'vs {REF}': vs(v, REF)}),
                    **({} if n in (REF, DEFAULT) else {f'vs {DEFAULT}': vs(v, DEFAULT)})) for n, v in mean.items()}
    res = dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
               f"nested: {INNER} inner folds of each outer fold's training dialogs, the whole ranker refitted in each; diffs paired over the 100 dialogs "
               "(bootstrap 95% interval, randomization p)", command='python bench/ranking_nested_refit.py',
               rows=rows, inner=inner, seconds=round(time.time() - t0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1))
    for n, r in rows.items():
        print(f"{n:50} WKT {r['wkt']:.4f}" + ''.join(f"  {k} {d['diff']:+.4f} [{d['ci95_diff'][0]:+.3f}, {d['ci95_diff'][1]:+.3f}] p {d['p_value']:.3f}" for k, d in r.items() if k.startswith('vs ')))
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    import torch; torch.set_num_threads(1)   # as the run (`--threads 1`) and the other ranking benches: the same networks, bit for bit
    main()
