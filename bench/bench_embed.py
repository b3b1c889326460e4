"""Benchmark `fascode_mm_embed` on a FASCODE directory: cold and warm run time, throughput and peak memory.

    python bench/bench_embed.py [--data DIR] [--cache DIR] [--keep] [-- extra fascode_mm_embed args]

Each run is a fresh Python process (as the console script would be), so its time includes the imports and its peak
memory (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) is its own. The cold run starts from an empty cache folder (a
temporary one unless --cache is given); the warm run repeats it on the same folder. Targets on 2 CPU cores:
cold < 5 min, warm < 15 s, peak memory < 4 GB.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

CHILD = """
import json, resource, sys, time
t0 = time.time()
from fascode_mm.embeddings import embed_cli, summarize_embedded
emb = embed_cli(sys.argv[1:] + ['--no-progress'])
s = summarize_embedded(emb)
print('BENCH ' + json.dumps(dict(wall_s=time.time() - t0, maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                 timings=s['timings'], hits=s['hits'], text_shape=s['text_shape'], image_shape=s['image_shape'])))
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

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', type=Path)
    p.add_argument('--cache', type=Path, help='cache folder (must be empty or absent; default: a temporary folder)')
    p.add_argument('--keep', action='store_true', help='keep the temporary cache folder')
    p.add_argument('extra', nargs='*', help='more fascode_mm_embed arguments (after --)')
    a = p.parse_args()
    data = a.data or default_data()
    cache = a.cache or Path(tempfile.mkdtemp(prefix='bench_embed_'))
    if cache.exists() and any(cache.iterdir()): sys.exit(f"{cache} is not empty: a cold run needs an empty cache")
    args = ['--data', str(data), '--cache', str(cache), *a.extra]
    try:
        cold, warm = run(args), run(args)
    finally:
        if a.cache is None and not a.keep: shutil.rmtree(cache, ignore_errors=True)
    t = cold['timings']
    lines = t['n_description_lines']
    fig = dict(
        data=str(data), cpus=os.cpu_count(), text_shape=cold['text_shape'], image_shape=cold['image_shape'],
        cold_s=round(cold['process_s'], 1), warm_s=round(warm['process_s'], 1),
        warm_all_from_cache=all(warm['hits'].values()),
        text_strings_encoded=t['text_strings_encoded'], text_encode_s=round(t['text_encode_s'], 1),
        distinct_strings_per_s=round(t['text_strings_encoded'] / max(t['text_encode_s'], 1e-9), 1),
        description_lines=lines, item_text_s=round(t['item_text_s'], 1),
        description_lines_per_s=round(lines / max(t['item_text_s'], 1e-9), 1),
        images_encoded=t['images_encoded'], image_encode_s=round(t['image_encode_s'], 1),
        images_per_s=round(t['images_encoded'] / max(t['image_encode_s'], 1e-9), 1),
        peak_rss_mb_cold=round(cold['maxrss_mb']), peak_rss_mb_warm=round(warm['maxrss_mb']))
    for k, v in fig.items(): print(f"{k:28s} {v}")
    ok = fig['cold_s'] < 300 and fig['warm_s'] < 15 and max(fig['peak_rss_mb_cold'], fig['peak_rss_mb_warm']) < 4096
    print(f"{'targets (cold<300s, warm<15s, rss<4GB)':28s} {'met' if ok else 'NOT met'}")
    return fig

if __name__ == '__main__': main()
