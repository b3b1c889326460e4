"""Issue 25: the default ranker under 10-fold CV (90 labelled training dialogs), against what its learning curve predicted.

`bench/ranking_learning_curve.py` measured the default ranker with 20, 40, 60 and 80 labelled training dialogs (5-fold CV) and fitted
two curves through the four points, W(n) = a - b/n and W(n) = a + b log n, committed before this script first ran (2026-12-08). Here
the same ranker, unchanged, is scored under 10-fold CV on the same 100 dialogs (the run's `splits` with 10 folds, seeds 0 1 2): each
test dialog is ranked by a ranker fitted on the other 90. It is one more point on the curve, outside the range the curves were fitted
on, and so a check of them: the script prints both curves' predictions at 90 beside the figure, and the paired difference from the
5-fold default per dialog (the same dialogs, each scored after learning from 90 instead of 80).

Run from the project root: `python bench/ranking_cv10.py` (about 8 minutes on 2 cores: two worker processes, one torch thread each; it
reuses `bench/ranking_net_screen.py` and reads `results/ranking/learning_curve_real_cv5.json`). Writes
`results/ranking/cv10_real.json`: the 10-fold WKT with its 95% interval and per dialog, the curves' predictions at 90, and the paired
difference from the 5-fold default, refitted here (bootstrap 95% interval, randomization p).
"""
import json, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
import numpy as np

import ranking_net_screen as S

OUT, CURVE, FOLDS = Path('results/ranking/cv10_real.json'), Path('results/ranking/learning_curve_real_cv5.json'), 10


def _load10():
    "`ranking_net_screen._load`, and the run's splits made for `FOLDS` folds beside its 5-fold ones."
    S._load()
    from fascode_mm.config import RunConfig, check_config
    from fascode_mm.run import run_parser
    from fascode_mm.evaluation import splits
    cfg = check_config(RunConfig(**vars(run_parser().parse_args(['--data', '../shared/fascode', '--folds', str(FOLDS), '--no-progress']))))
    S._D['splits10'] = {seed: list(splits(S._D['fd'], S._D['emb'], cfg.folds, cfg.valid_frac, seed)) for seed in S.SEEDS}


def fold(folds, seed, k):
    "Fold `k` of seed `seed` under `folds`-fold CV (5 or `FOLDS`): the number of labelled training dialogs and the default ranker's WKT per test dialog."
    from fascode_mm.evaluation import evaluate_wkt
    sp = S._D['splits' if folds == 5 else 'splits10'][seed][k]
    s, train = seed + k, sp.train + sp.valid
    return folds, seed, k, sum(d.labelled and len(d.candidates) == 3 for d in train), evaluate_wkt(sp.test, S._ranker(sp, train, s), S.N_SHUFFLES, s)['per_dialog'].to_dict()


def predicted(fits, n) -> dict:
    "Each curve of `fits` (as `ranking_learning_curve.fits` writes them) at `n` labelled dialogs."
    return {name: float(f['a'] - f['b'] / n if name == 'a - b/n' else f['a'] + f['b'] * np.log(n)) for name, f in fits.items()}


def main():
    from fascode_mm.evaluation import mean_ci, paired_test
    from fascode_mm.run import machine
    t0, out = time.time(), []
    jobs = [(folds, seed, k) for folds in (FOLDS, 5) for seed in S.SEEDS for k in range(folds)]
    with ProcessPoolExecutor(2, mp_context=get_context('spawn'), initializer=_load10) as ex:
        for r in ex.map(fold, *zip(*jobs)):
            out.append(r); print(f"{r[0]}-fold, seed {r[1]} fold {r[2] + 1}: {r[3]} labelled, WKT {np.mean(list(r[4].values())):.3f} ({time.time() - t0:.0f} s)", flush=True)
    n = sorted({r[3] for r in out if r[0] == FOLDS})
    v, v5 = (S.seed_means(r[4] for r in out if r[0] == f) for f in (FOLDS, 5))
    curve = json.loads(CURVE.read_text())
    assert abs(v5.mean() - curve['rows']['default']['wkt']) < 1e-9, "the 5-fold default should be the learning curve's (the same machine)"
    ids = sorted({i for r in out for i in r[4]})
    t = paired_test(v, v5)
    res = dict(protocol=f"{FOLDS}-fold CV on the shared 100 dialogs, the run's splits, seeds 0 1 2 (a dialog's WKT averaged over them), 10 "
               "reshuffles; the run's default ranker, unchanged; predicted: the learning curve's two fits at the mean number of labelled "
               "training dialogs", command='python bench/ranking_cv10.py', machine=machine(), labelled_training=n,
               wkt=float(v.mean()), ci95=mean_ci(v), predicted=predicted(curve['fits'], float(np.mean(n))), cv5_default=float(v5.mean()),
               minus_cv5=dict(diff=t['diff'], ci95_diff=t['ci95'], p_value=t['p_value']),
               per_dialog=dict(zip(ids, map(float, v))), seconds=round(time.time() - t0))
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    print(f"10-fold CV ({n} labelled training dialogs): WKT {res['wkt']:.4f} {np.round(res['ci95'], 3)}; predicted {res['predicted']}")
    print(f"minus 5-fold ({res['cv5_default']:.4f}): {t['diff']:+.4f} [{t['ci95'][0]:+.3f}, {t['ci95'][1]:+.3f}] p {t['p_value']:.3f}")
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
