"""Does the code here reproduce the main result in `results/main/real_cv5_seeds012`, on this machine?

Runs the command recorded in that result's provenance (`fascode_mm_run --data ../shared/fascode --folds 5 --seeds 0 1 2`) into a
temporary folder, fitting everything again (`--no-fit-cache`, so no fit made elsewhere is reused), and compares it with the recorded
one: each scorer's WKT (mean of the three seeds) and, dialog by dialog, how many of the 100 dialogs score otherwise. It records both
machines (`fascode_mm.run.machine`; results made before 2026-12-07 did not record theirs) and the embeddings' fingerprint. The
trained networks are reproducible bit for bit only on the same kind of machine, so on another one expect the zero-shot scorers to agree
exactly and the trained ones to differ on a few dialogs.

Run from the project root: `python bench/reproduce_main.py` (about 5 minutes on 2 cores: 294 s here; a cold embedding cache adds its build).
Writes `results/reproduce/main_real_cv5_seeds012.json`.
"""
import json, shlex, subprocess, sys, tempfile, time
from pathlib import Path

import numpy as np
import pandas as pd

REF = Path('results/main/real_cv5_seeds012')
OUT = Path('results/reproduce/main_real_cv5_seeds012.json')


def compare(ref: dict, ref_per: pd.DataFrame, new: dict, new_per: pd.DataFrame) -> dict:
    "Per WKT scorer: the recorded and the new WKT, their difference, and how many dialogs' WKT differs (beyond 1e-9) and by how much at most."
    names = [ref['ranker'], *ref['baselines']]
    wkt = lambda m, n: m['wkt'] if n == m['ranker'] else m['baselines'][n]['wkt']
    a, b = ref_per.set_index('dialog'), new_per.set_index('dialog').loc[ref_per['dialog']]
    out = {}
    for n in names:
        d = (a[n] - b[n]).abs()
        out[n] = dict(recorded=float(wkt(ref, n)), here=float(wkt(new, n)), diff=float(wkt(new, n) - wkt(ref, n)),
                      dialogs_differing=int((d > 1e-9).sum()), max_abs_diff=float(d.max()))
    return out


def main():
    ref = json.loads((REF/'metrics.json').read_text())
    argv = shlex.split(ref['provenance']['command'])[1:]
    if '--out' in argv: k = argv.index('--out'); del argv[k:k + 2]   # the output goes to a temporary folder
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(Path(sys.executable).with_name('fascode_mm_run')), *argv, '--out', tmp, '--no-fit-cache', '--no-progress', '--no-save-model']
        print('running', shlex.join(['fascode_mm_run', *cmd[1:]]).replace(tmp, 'TMP'), flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        new = json.loads((Path(tmp)/'metrics.json').read_text())
        new_per = pd.read_csv(Path(tmp)/'per_dialog.csv', dtype={'dialog': str})
    ref_per = pd.read_csv(REF/'per_dialog.csv', dtype={'dialog': str})
    res = dict(command=shlex.join(['fascode_mm_run', *argv]), recorded=dict(commit=ref['provenance']['commit'],
               date=ref['provenance']['date'], machine=ref['provenance'].get('machine')),
               here=dict(commit=new['provenance']['commit'], uncommitted_changes=new['provenance']['uncommitted_changes'], date=new['provenance']['date'],
                         machine=new['provenance']['machine'], embedding_fingerprint=new['embedding']['fingerprint']),
               per_seed={k: [float(np.mean(m['per_shuffle'][i:i + m['config']['n_shuffles']])) for i in range(0, len(m['per_shuffle']), m['config']['n_shuffles'])]
                         for k, m in (('recorded', ref), ('here', new))},
               scorers=compare(ref, ref_per, new, new_per), seconds=round(time.time() - t0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + '\n')
    for n, r in res['scorers'].items():
        print(f"{n:12} recorded {r['recorded']:.4f}  here {r['here']:.4f}  diff {r['diff']:+.4f}  dialogs differing {r['dialogs_differing']:3d}  max {r['max_abs_diff']:.3f}")
    print(f"written to {OUT} ({res['seconds']} s)")


if __name__ == '__main__':
    main()
