"""The time of an ablation sweep with 1 and with 2 worker processes, and whether both write the same results.

Run from the project root: `python bench/bench_sweep.py [--family missing] [--dataset fascode] [--epochs 5] [--seeds 0]`.
Each sweep runs `fascode_mm_ablate` into its own temporary folders (the embedding cache in `cache/` is shared and should be
warm, as `fascode_mm_ablate` warms it before starting parallel workers). Prints the wall times, their ratio, the machine's CPU
count, and the result files that differ beyond their timings and output paths (none expected)."""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

VOLATILE = {'timings', 'split_timings', 'invoked', 'created', 'versions', 'cache_hits', 'started', 'wall_s', 'threads'}   # when, how long, how
PATHS = {'out', 'command'}   # where a run wrote its files (each sweep here has its own folders)


def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k not in VOLATILE | PATHS}
    if isinstance(x, list): return [strip(v) for v in x]
    return x


def diff_keys(a, b, path='') -> list:
    "The key paths where two JSON values differ."
    if isinstance(a, dict) and isinstance(b, dict):
        return [p for k in sorted(set(a) | set(b)) for p in diff_keys(a.get(k), b.get(k), f"{path}.{k}" if path else k)]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for k, (x, y) in enumerate(zip(a, b)) for p in diff_keys(x, y, f"{path}[{k}]")]
    return [] if a == b else [path]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--family', nargs='+', default=['missing'])
    p.add_argument('--dataset', default='fascode')
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--seeds', nargs='+', default=['0'])
    a = p.parse_args()
    exe = str(Path(sys.executable).with_name('fascode_mm_ablate'))
    tmp, times = Path(tempfile.mkdtemp(prefix='sweep-')), {}
    try:
        for w in (1, 2):
            d = tmp/f'workers{w}'
            cmd = [exe, '--family', *a.family, '--dataset', a.dataset, '--seeds', *a.seeds, '--epochs', str(a.epochs),
                   '--results-dir', str(d/'results'), '--runs-dir', str(d/'runs'), '--workers', str(w)]
            t = time.time(); subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL); times[w] = time.time() - t
            print(f"workers {w}: {times[w]:.1f} s", flush=True)
        files = sorted(f.relative_to(tmp/'workers1'/'results') for f in (tmp/'workers1'/'results').rglob('*') if f.is_file())
        differ = []
        for f in files:
            a1, a2 = tmp/'workers1'/'results'/f, tmp/'workers2'/'results'/f
            if not a2.exists(): differ.append(f"{f} (missing with 2 workers)"); continue
            keys = diff_keys(strip(json.loads(a1.read_text())), strip(json.loads(a2.read_text()))) if f.suffix == '.json' else \
                   ([] if a1.read_bytes() == a2.read_bytes() else ['content'])
            if keys: differ.append(f"{f}: {', '.join(keys[:6])}")
        print(f"machine: {os.cpu_count()} CPUs; sweep: family {' '.join(a.family)}, dataset {a.dataset}, seeds {' '.join(a.seeds)}, "
              f"epochs {a.epochs}, {len([f for f in files if f.suffix == '.json'])} runs")
        print(f"1 worker {times[1]:.1f} s, 2 workers {times[2]:.1f} s: speed-up {times[1] / times[2]:.2f}x")
        print(f"result files compared: {len(files)}; differing beyond timings and output paths: {len(differ)}" + (f" ({', '.join(differ)})" if differ else ''))
    finally: shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
