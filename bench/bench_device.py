"""Time the paper's encoders (KoELECTRA-base, ResNet-18) and the real-data job on each torch device of this machine.

    python bench/bench_device.py [--data DIR] [--koelectra DIR] [--devices cuda,cpu] [--strings 4000] [--images 1000] [--folds 5] [--json FILE]

Two parts, each printing the device it ran on (the GPU's name, the CPU count, torch's version):

1. **Encoders, steady state.** For each device, the text encoder (transformers, `HFTextEncoder`: batches of 32, up to 128
   tokens, mean pooling) encodes `--strings` strings drawn (seed 0) from those the job encodes, and ResNet-18 (img2vec,
   `ImageEncoder`) encodes the first `--images` photos of the catalogue; each after one warm-up batch, so that the figure is
   the throughput, not the start-up (that is in part 2).
2. **The job.** `fascode_mm_run --data DIR --folds 5` with these two encoders (each run a fresh process):
   - on the first device, cold (empty embedding and fit caches: the job encodes everything, then fits), then warm (both kept);
   - on each other device, with the embeddings kept but the fits made again (the fit cache keys on the device), so the
     fitting can be compared across devices.

Without the network there are no KoELECTRA weights. Unless `--koelectra DIR` names a folder that holds them, the text encoder
is an ELECTRA of KoELECTRA-base's shape (its `config.json`: a 35,000-token vocabulary, 768 wide, 12 layers, 12 heads,
3,072 feed-forward, 512 positions) with random weights, and a WordPiece tokenizer trained on the data's own texts; the image
encoder is `resnet18-random` unless `--image-encoder resnet18` finds the ImageNet weights. Random weights cost the same
compute as trained ones, so the times hold; the rankings of such a run mean nothing, and its WKT is not printed. The
tokenizer's token counts are printed, since they set the compute: a real KoELECTRA tokenizer may split Korean more finely.

Without a GPU the cold job encodes 20,769 strings with a KoELECTRA-base on the CPU, which takes many minutes on a laptop; to
check that the script works, shrink the model: `--devices cpu --shape '{"hidden_size": 64, "embedding_size": 64,
"num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 128}' --folds 2`.
"""
import argparse, json, os, platform, random, shutil, sys, tempfile, time
from pathlib import Path

from bench_run import run as run_job   # one `fascode_mm_run` in a fresh process: its figures as JSON (this folder is on sys.path)

KOELECTRA_BASE = dict(vocab_size=35000, embedding_size=768, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2)

def device_name(d):
    import torch
    if d.startswith('cuda'): return f"{torch.cuda.get_device_name(torch.device(d))} (torch {torch.__version__}, CUDA {torch.version.cuda})"
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch {torch.get_num_threads()} threads (torch {torch.__version__})"

def corpus(fd):
    "The data's description lines and dialog turns: what the tokenizer is trained on."
    out = [l for i in fd.catalog.ids for lines in fd.catalog.texts(i).values() for l in lines]
    out += [t.text for ds in (fd.train, fd.eval) for d in ds for t in d.turns]
    return [s for s in out if s.strip()]

def sync(d):
    import torch
    if d.startswith('cuda'): torch.cuda.synchronize(torch.device(d))

def time_encoders(fd, text_model, image_encoder, devices, strings, n_images, out=None, save=None):
    "Steady-state throughput of the text and the image encoder on each device, on the same strings and photos."
    from fascode_mm.encoders import HFTextEncoder, get_image_encoder
    from fascode_mm.embeddings import embed_item_images
    ids = [i for i in fd.catalog.ids if i in fd.images][:n_images]
    out = {} if out is None else out
    for d in devices:
        tenc, r = HFTextEncoder(text_model, device=d), {'device': device_name(d)}
        tenc.encode(strings[:tenc.batch_size], 'query', progress=False); sync(d)   # warm-up: loads the model, starts the device
        t0 = time.perf_counter(); tenc.encode(sorted(strings, key=len), 'query', progress=False); sync(d)   # sorted, as `StringStore` does
        r['text_s'] = time.perf_counter() - t0
        r['strings'], r['strings_per_s'] = len(strings), len(strings) / r['text_s']
        ienc = get_image_encoder(image_encoder, device=d)
        embed_item_images(ids[:4], fd.images, ienc, progress=False, warn=False); sync(d)
        t0 = time.perf_counter(); embed_item_images(ids, fd.images, ienc, progress=False, warn=False); sync(d)
        r['image_s'] = time.perf_counter() - t0
        r['images'], r['images_per_s'] = len(ids), len(ids) / r['image_s']
        out[d] = r
        if save: save()
        print(f"[encoders on {d}] {r['device']}: text {r['strings']} strings in {r['text_s']:.1f} s ({r['strings_per_s']:.0f}/s), "
              f"images {r['images']} in {r['image_s']:.1f} s ({r['images_per_s']:.0f}/s)", flush=True)
        del tenc, ienc
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', type=Path, help='a FASCODE directory (default: ../shared/fascode when there)')
    p.add_argument('--koelectra', help='a folder with KoELECTRA (config, weights, tokenizer); default: a KoELECTRA-base-shaped random model')
    p.add_argument('--image-encoder', default='resnet18-random', help='resnet18-random (default: random weights) or resnet18 (ImageNet weights in the torch cache)')
    p.add_argument('--devices', help='comma-separated torch devices (default: cuda,cpu where a GPU is, else cpu)')
    p.add_argument('--strings', type=int, default=4000, help='strings per device in part 1')
    p.add_argument('--images', type=int, default=1000, help='photos per device in part 1')
    p.add_argument('--folds', type=int, default=5, help="the job's cross-validation folds")
    p.add_argument('--shape', default='{}', help='JSON overrides of the ELECTRA shape (for a quick check: {"hidden_size": 64, ...})')
    p.add_argument('--skip', default='', help='comma-separated parts to skip: encoders, job')
    p.add_argument('--json', type=Path, help="also write the figures to this JSON file (the work folder's path written as $WORK)")
    p.add_argument('--keep', type=Path, help='keep the work folder here (default: a temporary folder, removed)')
    a = p.parse_args()
    import torch
    from fascode_mm.data import load_fascode, shared_fascode
    data = a.data or shared_fascode() or sys.exit('no FASCODE directory found: pass --data DIR')
    devices = a.devices.split(',') if a.devices else (['cuda', 'cpu'] if torch.cuda.is_available() else ['cpu'])
    work = Path(tempfile.mkdtemp(prefix='bench_device_')) if a.keep is None else a.keep
    work.mkdir(parents=True, exist_ok=True)
    res = dict(devices={d: device_name(d) for d in devices}, data=str(Path(data).name))
    print(f"devices: {json.dumps(res['devices'])}", flush=True)
    save = lambda: a.json.write_text(json.dumps(res, indent=1, default=str).replace(str(work), '$WORK')) if a.json else None   # after each step: a run stopped at a time limit keeps what it measured
    try:
        fd = load_fascode(data)
        if a.koelectra: model, res['text_model'] = a.koelectra, a.koelectra
        else:
            t0 = time.perf_counter()
            from fascode_mm.encoders import tiny_electra
            shape = {**KOELECTRA_BASE, **json.loads(a.shape)}
            model = tiny_electra(work/'koelectra-base-random', corpus(fd), max_vocab=shape['vocab_size'], **shape)
            vocab = json.loads((model/'tokenizer.json').read_text())['model']['vocab']
            res['text_model'] = f"KoELECTRA-base-shaped ELECTRA, random weights, WordPiece of {len(vocab)} tokens trained on the data ({time.perf_counter() - t0:.1f} s to make)"
        print(f"text model: {res['text_model']}; image encoder: {a.image_encoder}", flush=True)
        base = ['--data', str(data), '--folds', str(a.folds), '--text-encoder', str(model), '--image-encoder', a.image_encoder,
                '--cache', str(work/'cache'/'embeddings'), '--no-save-model']
        res['job'] = {}
        if 'job' not in a.skip:
            d0 = devices[0]
            for name, extra in ((f'{d0} cold', []), (f'{d0} warm', [])) + tuple((f'{d} fits refitted, embeddings kept', []) for d in devices[1:]):
                d = name.split()[0]
                r = run_job({}, [*base, '--device', d, '--out', str(work/'out'/name.replace(' ', '_').replace(',', '')), *extra])
                res['job'][name] = r; save()
                st = ', '.join(f"{k} {v:.1f} s" for k, v in r['stages'].items())
                print(f"[job {name}] {r['process_s']:.1f} s wall; stages: {st}; text {r['emb'].get('text_strings_encoded', 0)} strings in "
                      f"{r['emb'].get('text_encode_s', 0):.1f} s, {r['emb'].get('images_encoded', 0)} images in {r['emb'].get('image_encode_s', 0):.1f} s; "
                      f"fits {json.dumps({k: v for k, v in r['fits'].items() if k != 'folder'})}; peak memory {r['maxrss_mb']:.0f} MB", flush=True)
        if 'encoders' not in a.skip:
            from fascode_mm.embeddings import StringStore
            from fascode_mm.encoders import HFTextEncoder
            pool = []
            if (work/'cache').exists():   # the strings the job encoded, from its string cache
                enc = HFTextEncoder(model, device='cpu')
                for kind in ('query', 'passage'):
                    st = StringStore(enc, kind, work/'cache'/'embeddings'); st._load(); pool += list(st.vecs)
            pool = sorted(set(pool or corpus(fd)))
            strings = random.Random(0).sample(pool, min(a.strings, len(pool)))
            from transformers import AutoTokenizer
            tok = AutoTokenizer.from_pretrained(model)
            n_tok = [min(len(tok(s)['input_ids']), 128) for s in strings]
            res['tokens_per_string'] = sum(n_tok) / len(n_tok)
            print(f"part 1: {len(strings)} of the job's {len(pool)} distinct strings, {res['tokens_per_string']:.1f} tokens each on average (at most 128)", flush=True)
            res['encoders'] = {}
            time_encoders(fd, str(model), a.image_encoder, devices, strings, a.images, res['encoders'], save)
    finally:
        save()
        if a.keep is None: shutil.rmtree(work, ignore_errors=True)
    print("\nfigure" + ''.join(f" | {d:>12s}" for d in devices))
    enc = res.get('encoders', {})
    for f, k in (('text strings/s', 'strings_per_s'), ('images/s', 'images_per_s')):
        if enc: print(f"{f:38s}" + ''.join(f" | {enc[d][k]:12.1f}" for d in devices))
    for name, r in res['job'].items(): print(f"job, {name}: {r['process_s']:.1f} s wall")
    return res

if __name__ == '__main__': main()
