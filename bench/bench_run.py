"""Benchmark the main job (`make run`: `fascode_mm_run` on the embedded sample), cold and warm, today's way and the new way.

    python bench/bench_run.py [--keep] [--baseline JSON] [--new JSON] [--only new] [-- extra fascode_mm_run args]

Each run is a fresh Python process (as the console script would be): its wall time includes the imports, and its peak
memory (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) is its own; that of the worker process fitting the rankers is
reported apart (`RUSAGE_CHILDREN`: the largest child process, which is the worker when one ran; a warm run whose fits
are all kept starts no worker, and the figure is then that of some other short-lived child process, not the worker). A cold run starts from an empty temporary folder:
the sample is generated there (`--sample-dir`), and the embedding cache (`--cache`) and the fit cache beside it are
empty; the warm run repeats it on the same folders. Two settings are compared in the same invocation, each in its own folders:

- baseline: the old way, `{"dialog": "all"}` (whole-dialog encoding), and no fits kept (`--no-fit-cache`): its warm
  run fits everything again;
- new:      `{}`, the defaults (the dialog pooling chosen in 02b), with the fit cache: its warm run
  reuses the fits of the cold run. A third run of the new way, `warm, fits refitted`, is warm with `--no-fit-cache`:
  what a warm run costs when something that changes the fits (an option, the code) has changed.

(Each setting is `fascode_mm_run` options as JSON, `{"dialog": "all"}` meaning `--dialog all`; nothing in the library is
patched.) Targets on 2 CPU cores: cold < 120 s, warm < 20 s.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

CHILD = """
import json, resource, sys, time
t0 = time.time()
import fascode_mm.run as R
from fascode_mm.encoders import resolve_device
m = R.run_cli(sys.argv[1:] + ['--no-progress'])
print('BENCH ' + json.dumps(dict(wall_s=time.time() - t0, maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                 children_maxrss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                                 stages=m['timings'], wkt=m['wkt'], wkt_se=m['wkt_se'], hits=m['embedding']['cache_hits'],
                                 emb=m['embedding']['timings'], fits=m['fits'], device=resolve_device('auto'))))
"""

def run(kw, args):
    t0 = time.time()
    from fascode_mm.config import RunConfig, flag
    known = {f for f in RunConfig.__dataclass_fields__}
    if bad := set(kw) - known: sys.exit(f"bench_run: not fascode_mm_run options: {', '.join(sorted(bad))}")
    args = [*args, *(a for k, v in kw.items() for a in ((f'--no-{k.replace("_", "-")}',) if v is False else (flag(k), str(v))))]
    r = subprocess.run([sys.executable, '-c', CHILD, *args], capture_output=True, text=True)
    if r.returncode: sys.exit(f"fascode_mm_run failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    out = json.loads([l for l in r.stdout.splitlines() if l.startswith('BENCH ')][-1][6:])
    out['process_s'] = time.time() - t0
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--baseline', default='{"dialog": "all"}', help='fascode_mm_run options of the baseline (JSON)')
    p.add_argument('--new', default='{}', help='fascode_mm_run options of the new way (JSON; {} = the defaults)')
    p.add_argument('--only', choices=['baseline', 'new'], help='run one setting only (the other column shows nan)')
    p.add_argument('--keep', action='store_true', help='keep the temporary folders')
    p.add_argument('extra', nargs='*', help='more fascode_mm_run arguments (after --)')
    a = p.parse_args()
    res, tmps = {}, []
    try:
        for name, kw in (('baseline', json.loads(a.baseline)), ('new', json.loads(a.new))):
            if a.only and name != a.only: continue
            tmp = Path(tempfile.mkdtemp(prefix=f'bench_run_{name}_')); tmps.append(tmp)
            args = ['--sample-dir', str(tmp/'data'/'sample'), '--cache', str(tmp/'cache'), '--out', str(tmp/'out'), *a.extra]
            if name == 'baseline': args.append('--no-fit-cache')
            res[name] = dict(options=kw, cold=run(kw, args), warm=run(kw, args))
            if name == 'new': res[name]['refit'] = run(kw, [*args, '--no-fit-cache'])
            print(f"[{name}] cold {res[name]['cold']['process_s']:.1f} s, warm {res[name]['warm']['process_s']:.1f} s"
                  + (f", warm with fits refitted {res[name]['refit']['process_s']:.1f} s" if 'refit' in res[name] else ''), flush=True)
    finally:
        for t in tmps:
            if not a.keep: shutil.rmtree(t, ignore_errors=True)
    nan = float('nan')
    missing = lambda opts: dict(options=opts, **{w: dict(process_s=nan, stages={}, emb={}, wkt=nan, wkt_se=nan, maxrss_mb=nan, device='-')
                                                 for w in ('cold', 'warm')})
    b, n = res.get('baseline') or missing(json.loads(a.baseline)), res.get('new') or missing(json.loads(a.new))
    rows = [('cold wall (s)', b['cold']['process_s'], n['cold']['process_s']),
            ('warm wall (s)', b['warm']['process_s'], n['warm']['process_s']),
            ('warm wall, fits refitted (s)', b['warm']['process_s'], n.get('refit', {}).get('process_s', nan))]
    for w in ('cold', 'warm'):
        for st in (n[w]['stages'] or b[w]['stages']):
            if st != 'total': rows.append((f"{w} stage {st} (s)", b[w]['stages'].get(st, nan), n[w]['stages'].get(st, nan)))
    rows += [(f'cold {f}', b['cold']['emb'].get(k, nan), n['cold']['emb'].get(k, nan))
             for f, k in (('text encoding (s)', 'text_encode_s'), ('strings encoded', 'text_strings_encoded'), ('image encoding (s)', 'image_encode_s'))]
    rows += [
             ('peak memory cold (MB)', b['cold']['maxrss_mb'], n['cold']['maxrss_mb']),
             ('peak memory warm (MB)', b['warm']['maxrss_mb'], n['warm']['maxrss_mb']),
             ('peak memory warm, children (MB)', b['warm'].get('children_maxrss_mb', 0), n['warm'].get('children_maxrss_mb', 0)),
             ('WKT', b['cold']['wkt'], n['cold']['wkt']), ('WKT se', b['cold']['wkt_se'], n['cold']['wkt_se']),
             ('WKT, warm', b['warm']['wkt'], n['warm']['wkt'])]
    print(f"\ncpus {os.cpu_count()}, device {n['cold']['device']}; baseline {json.dumps(b['options'])}, new {json.dumps(n['options']) if n['options'] else 'defaults'}")
    print(f"{'figure':32s} {'baseline':>10s} {'new':>10s} {'new/base':>9s}")
    for f, x, y in rows:
        fmt = (lambda v: f"{v:10.4f}") if f.startswith('WKT') else (lambda v: f"{v:10.1f}")
        print(f"{f:32s} {fmt(x)} {fmt(y)} {y / x if x else nan:9.2f}")
    cold, warm = (n if 'new' in res else b)['cold']['process_s'], (n if 'new' in res else b)['warm']['process_s']
    if 'new' in res: print(f"fits of the new way's warm run: {json.dumps({k: v for k, v in n['warm']['fits'].items() if k != 'folder'})}")
    print(f"targets for {'new' if 'new' in res else 'baseline'} (cold < 120 s, warm < 20 s): cold {'met' if cold < 120 else 'NOT met'}, warm {'met' if warm < 20 else 'NOT met'}")
    return res

if __name__ == '__main__': main()
