"""Issue 25: the harmony network's own settings, chosen by nested CV on its own WKT, and what the choice does to the ranker.

The harmony network (`HarmonyNet`, bagged ×3: the ranker's `h_net`) is the strongest single feature and the combiner leans on it most,
yet its settings (rank 32, 30 epochs, weight decay 1e-3, 10 dissimilar swaps per dialog) were never chosen by cross-validation.
In each outer fold of the run's splits (5-fold CV, seeds 0 1 2) every setting in `GRID` is trained on 4 inner folds of the fold's 80
training dialogs (their labelled rankings and the swaps of those 60 dialogs only) and scored alone on the 20 held out (official WKT,
10 reshuffles); the setting with the best mean inner WKT is the fold's pick. Each setting is also trained on the 80 and scored alone
on the outer fold's 20 dialogs (for the table only: the outer fold never chooses). Then the whole ranker (`ranking_scorers`: features,
networks cross-fitted as the run fits them, combiner) is fitted with:
- `default`: the run's ranker as it is;
- `harmony network picked per fold`: the fold's pick (nested: chosen on the fold's training dialogs only);
- `harmony network, weight decay 1e-2`: the setting picked in most folds, fixed for all (chosen over all folds' inner scores, which
  saw other folds' test dialogs: not nested; a row to show what the pick does when it is the same everywhere).
Designed on 2026-12-07 after a first screen of the same grid (weight decay 3e-3, 3e-2 and 0.1 were added to it once 1e-2 led), so it
is one more idea judged on these 100 dialogs.

Run from the project root: `python bench/ranking_net_screen.py` (about 35 minutes on 2 cores: two worker processes, one torch thread
each). Writes `results/ranking/net_screen_real_cv5.json`: per setting its mean inner WKT, its WKT alone on the outer folds and the
difference from today's setting; the picks per fold; per ranker its WKT and the difference from the default, paired over the 100
dialogs (a dialog's WKT averaged over seeds 0 1 2; bootstrap 95% interval, randomization p, Holm over the two rows).
"""
import functools, json, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
import numpy as np

SEEDS, INNER, N_SHUFFLES, OUT = (0, 1, 2), 4, 10, Path('results/ranking/net_screen_real_cv5.json')
GRID = {'today (rank 32, 30 epochs, weight decay 1e-3, 10 swaps)': ({}, 10), '30 swaps per dialog': ({}, 30), '60 epochs': (dict(epochs=60), 10),
        'rank 8': (dict(rank=8), 10), 'rank 64': (dict(rank=64), 10), 'weight decay 1e-4': (dict(weight_decay=1e-4), 10),
        'weight decay 3e-3': (dict(weight_decay=3e-3), 10), 'weight decay 1e-2': (dict(weight_decay=1e-2), 10),
        'weight decay 3e-2': (dict(weight_decay=3e-2), 10), 'weight decay 0.1': (dict(weight_decay=0.1), 10)}
TODAY, FIXED = next(iter(GRID)), 'weight decay 1e-2'
RANKERS = ('default', 'harmony network picked per fold', f'harmony network, {FIXED}')
_D = {}


def _load():
    "The data, embeddings and the run's splits, once per worker process (one torch thread)."
    import torch; torch.set_num_threads(1)
    from fascode_mm.config import RunConfig, check_config
    from fascode_mm.run import run_parser, load_data
    from fascode_mm.embeddings import embed_fascode
    from fascode_mm.evaluation import splits
    cfg = check_config(RunConfig(**vars(run_parser().parse_args(['--data', '../shared/fascode', '--folds', '5', '--no-progress']))))
    fd = load_data(cfg)
    emb = embed_fascode(fd, cfg.cache, text_encoder=cfg.text_encoder, image_encoder=cfg.image_encoder, layout=cfg.layout, dialog=cfg.dialog, progress=False)
    _D.update(fd=fd, emb=emb, splits={seed: list(splits(fd, emb, cfg.folds, cfg.valid_frac, seed)) for seed in SEEDS})


def inner_folds(train, seed, k) -> list:
    "The `INNER` inner folds of outer fold `k` of seed `seed`, whose training dialogs are `train`: (the dialogs to fit on, the labelled ones held out) of each."
    from fascode_mm.evaluation import kfold
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    return [([d for d in train if d.id not in {lab[i].id for i in ih}], [lab[i] for i in ih]) for ih in kfold(len(lab), INNER, 1000 * seed + k)]


def _net(et, ctx, dialogs, kw, n_per, seed):
    "A harmony network as `LearnedHarmony` trains it (bagged ×3, labelled rankings and dissimilar swaps of `dialogs`), with settings `kw`."
    from fascode_mm.ranking_nets import HarmonyNet, BaggedNet, synthetic_triples
    rk = [d for d in dialogs if len(d.candidates) == 3] + synthetic_triples(dialogs, ctx.catalog, ctx.index, n_per=n_per, max_triples=2000, seed=seed)
    return BaggedNet(et, seed, 3, functools.partial(HarmonyNet, **kw)).fit(rk)


def _ranker(sp, train, seed, setting=None):
    "The run's learned ranker, its harmony network trained with `setting` of `GRID` (None: as the run trains it)."
    import fascode_mm.ranking as RK
    from fascode_mm.fits import split_embeddings
    from fascode_mm.ranking_nets import HarmonyNet
    original = RK.LearnedHarmony.network, RK.LearnedHarmony.n_per
    RK.LearnedMatch.n_per = original[1]   # the match network keeps its swaps whatever the harmony network gets
    if setting is not None: RK.LearnedHarmony.network, RK.LearnedHarmony.n_per = functools.partial(HarmonyNet, **GRID[setting][0]), GRID[setting][1]
    try: return RK.ranking_scorers(_D['fd'].catalog, train, _D['emb'].items, split_embeddings(sp), seed=seed)['learned']
    finally: RK.LearnedHarmony.network, RK.LearnedHarmony.n_per = original


def both_rankers(seed, k) -> tuple:
    "Outer fold `k` of seed `seed`: its split, its seed, its training dialogs, and the run's ranker with today's harmony network and with `FIXED`."
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    return sp, s, train, _ranker(sp, train, s), _ranker(sp, train, s, FIXED)


def fold(seed, k):
    "One outer fold: the grid's inner and outer WKT, the pick, and the three rankers' WKT per test dialog."
    from fascode_mm.evaluation import evaluate_wkt
    from fascode_mm.fits import split_embeddings
    from fascode_mm.ranking import Context
    from fascode_mm.ranking_nets import EmbeddingTable
    if not _D: _load()
    sp = _D['splits'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    et = EmbeddingTable(_D['emb'].items, split_embeddings(sp)); ctx = Context(et, seed=s).fit(_D['fd'].catalog, train)
    inner, alone = {}, {}
    for name, (kw, n_per) in GRID.items():
        inner[name] = float(np.mean([evaluate_wkt(val, _net(et, ctx, fit_on, kw, n_per, s), N_SHUFFLES, s)['wkt'] for fit_on, val in inner_folds(train, seed, k)]))
        alone[name] = evaluate_wkt(sp.test, _net(et, ctx, train, kw, n_per, s), N_SHUFFLES, s)['per_dialog'].to_dict()
    pick = max(GRID, key=lambda n: inner[n])   # ties: the first in GRID
    per = {'default': evaluate_wkt(sp.test, _ranker(sp, train, s), N_SHUFFLES, s)['per_dialog'].to_dict()}
    per[RANKERS[1]] = per['default'] if pick == TODAY else evaluate_wkt(sp.test, _ranker(sp, train, s, pick), N_SHUFFLES, s)['per_dialog'].to_dict()
    per[RANKERS[2]] = per[RANKERS[1]] if pick == FIXED else evaluate_wkt(sp.test, _ranker(sp, train, s, FIXED), N_SHUFFLES, s)['per_dialog'].to_dict()
    return seed, k, inner, pick, alone, per


def over_folds(fold, line) -> tuple:
    "`fold(seed, k)` for the 15 outer folds (5 per seed of `SEEDS`) in two spawned worker processes, `line(result)` printed as each ends: the results in order, and the seconds."
    t0, out = time.time(), []
    jobs = [(seed, k) for seed in SEEDS for k in range(5)]
    with ProcessPoolExecutor(2, mp_context=get_context('spawn'), initializer=_load) as ex:
        for r in ex.map(fold, *zip(*jobs)):
            out.append(r); print(f"seed {r[0]} fold {r[1] + 1}: {line(r)} ({time.time() - t0:.0f} s)", flush=True)
    return out, round(time.time() - t0)


def seed_means(per_fold) -> np.ndarray:
    "Each dialog's WKT, mean over the folds that scored it (one per seed), dialogs in sorted order: `per_fold` gives each fold's {dialog: WKT}."
    v = {}
    for p in per_fold:
        for i, w in p.items(): v.setdefault(i, []).append(w)
    return np.array([np.mean(v[i]) for i in sorted(v)])


def rows_vs_default(mean) -> dict:
    "Per ranker of `mean` (name -> WKT per dialog; the first is `default`): its WKT, 95% interval and, for the others, the paired difference from the default, randomization p and Holm over them."
    from fascode_mm.evaluation import paired_test, holm, mean_ci
    rows = {n: dict(wkt=float(v.mean()), ci95=mean_ci(v), **({} if n == 'default' else dict(zip(('diff', 'ci95_diff', 'p_value'),
                    (lambda t: (t['diff'], t['ci95'], t['p_value']))(paired_test(v, mean['default'])))))) for n, v in mean.items()}
    others = list(mean)[1:]
    for n, p in zip(others, holm([rows[n]['p_value'] for n in others])): rows[n]['p_holm'] = p
    return rows


def feature_alone(fs, name):
    "The feature `name` of the `FeatureSet` `fs` as a scorer on its own."
    j = list(fs.names).index(name)
    return lambda d, shown: fs.features(d, shown)[:, j].tolist()


def report(res, out, width=45):
    "Write `res` to `out` (JSON) and print its rows: WKT and, for all but the default, the paired difference with its interval and p."
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')
    for n, r in res['rows'].items():
        print(f"{n:{width}} WKT {r['wkt']:.4f}" + ('' if 'diff' not in r else f"  diff {r['diff']:+.4f} [{r['ci95_diff'][0]:+.3f}, {r['ci95_diff'][1]:+.3f}] p {r['p_value']:.3f}"
                                                  + (f" p_holm {r['p_holm']:.3f}" if 'p_holm' in r else '')))
    print(f"written to {out} ({res['seconds']} s)")


def main():
    from fascode_mm.evaluation import paired_test
    t0 = time.time()
    out, _ = over_folds(fold, lambda r: f"pick {r[3]!r}")
    alone = {n: seed_means(r[4][n] for r in out) for n in GRID}
    grid = {n: dict(settings=GRID[n][0], swaps_per_dialog=GRID[n][1], inner_wkt=float(np.mean([r[2][n] for r in out])), picked_in=sum(r[3] == n for r in out),
                    wkt_alone=float(alone[n].mean()), **({} if n == TODAY else dict(zip(('diff_alone', 'ci95_diff_alone', 'p_value_alone'),
                    (lambda t: (t['diff'], t['ci95'], t['p_value']))(paired_test(alone[n], alone[TODAY])))))) for n in GRID}
    mean = {n: seed_means(r[5][n] for r in out) for n in RANKERS}
    rows = rows_vs_default(mean)
    res = dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
               "a setting's inner_wkt: the harmony network alone on 4 inner folds of each outer fold's 80 training dialogs, mean over the 15 outer folds; "
               "diff: minus today's setting (grid, the network alone) or minus the default ranker (rows), paired over the 100 dialogs "
               "(bootstrap 95% interval, randomization p, Holm over the two rows)",
               command='python bench/ranking_net_screen.py', grid=grid, picks={f'seed {r[0]} fold {r[1] + 1}': r[3] for r in out}, rows=rows,
               seconds=round(time.time() - t0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for n, g in grid.items(): print(f"{n:55} inner {g['inner_wkt']:.4f} picked {g['picked_in']:2d}  alone {g['wkt_alone']:.4f}" + (f"  diff {g['diff_alone']:+.4f}" if 'diff_alone' in g else ''))
    for n, r in rows.items(): print(f"{n:45} WKT {r['wkt']:.4f}" + (f"  diff {r['diff']:+.4f} [{r['ci95_diff'][0]:+.3f}, {r['ci95_diff'][1]:+.3f}] p {r['p_value']:.3f} p_holm {r['p_holm']:.3f}" if 'diff' in r else ''))
    print(f"written to {OUT} ({res['seconds']} s)")

if __name__ == '__main__':
    main()
