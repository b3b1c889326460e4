"""Issue 25's ideas against the default ranker of the issue (until 2026-12-06) on the public FASCODE data: 5-fold CV under seeds 0 1 2 (the run's
splits and its fitted features), each idea refitting the ranker's weights, and a nested choice among them.

Run from the project root: `python bench/ranking_push.py` (about 45 minutes on 2 cores). Writes `results/ranking/push_real_cv5.json`.

Ideas (each on the fold's `FeatureSet`, fitted as a run fits it on the 80 training dialogs; only the weights are refitted), each
compared with `dissimilar swaps`, the default until 2026-12-06 (WKT 0.4815, the issue's "today's default"):
- `dissimilar swaps`: `PairwiseRanker` on the labelled rankings and the dissimilar-swap synthetic triples (the default until 2026-12-06).
- `default`: today's default, which must reproduce the run: the mean of two fits, the labelled rankings with the dissimilar swaps
  whose candidate-set structure features are zeroed (`structure-blind swaps`), and the mean of three fits on the labelled rankings
  with a set of mimicking swaps each (`fascode_mm.ranking_nets.SwapPatterns`: 5 per training outfit, patterns of the fold's labelled
  rankings).
- `structure-blind swaps`, `mimicking swaps`, `mimicking swaps x3`: the parts of today's default alone (one set of 5 per dialog, or the
  mean of three fits with a set each).
- `listwise`: a linear scorer trained to maximise the expected WKT of the six orderings of each ranking (Plackett-Luce over the
  candidates' scores; the metric itself as the objective), on the same rankings; its L2 weight chosen by inner CV.
- `hard`: `PairwiseRanker` with synthetic triples whose swaps are similar items (among the 50 nearest of the slot, as the 2022
  winner) beside the dissimilar ones.
- `listwise + hard`.
- `differing items`: the old default (dissimilar swaps) with three more features, of the items in which a candidate differs from the others: their
  dialog match and constraints (`fascode_mm.retrieval.item_scores`) and how often the training outfits wear them.
- `turn matching`: the old default with ten more features read from dialog turns and item text together, beyond one pooled
  vector per side: per aspect (F, M, C, E, all) the best TF-IDF cosine of a differing item with any one of the user's wishes
  (a turn), the best with any one refusal, and per aspect the best cosine (the run's text encoder) between a wish turn and the
  item's aspect description (mean over the candidate's differing items); max over turns keeps a wish that one turn alone states.
- `ensemble of 3`: three whole rankers (features, networks, synthetic triples and weights fitted with seeds s, s+1000,
  s+2000), their scores averaged.
- `mimicking swaps: K per dialog`: one fit on the labelled rankings and one set of K mimicking swaps per dialog, the same curve.
- `tried: ...`: the variants tried on these 100 dialogs while today's default was designed, before this script had them (other
  weights of the synthetic triples, more dissimilar swaps, one fit on both kinds of swaps, other means of fits); reported so that
  nothing tried is left out, and not among the nested choice's candidates. Those tried after the default was fixed (2026-12-06) are
  variations of it: C (0.1 in the default), the weight of its mimicking half (0.5), syn_weight (0.5), 2, 5 or 10 mimicking sets (3),
  C or the number of sets chosen by 4 inner folds of the 80 training dialogs (nested: `inner_picks` in the output says what each outer
  fold chose), the mean of 10 fits on bootstrap draws of the labelled dialogs, and the features of `differing items` and
  `turn matching` added to it (`bench/ranking_nets_tried.py` tries the networks' training rankings). A second round, after the first
  round's figures were seen: C chosen by 10 inner folds (72 training dialogs each, closer to the outer folds' 80) or by the pairwise
  log-likelihood of 4 inner folds (smoother than the WKT); 3 or 10 mimicking sets and C 0.1 or 1 chosen together by 4 inner folds,
  by 10, or by the mean of 3 repetitions of 4 inner folds (other fold seeds); 10 mimicking sets at C 0.3 to 10, with and without the
  features of `differing items` and `turn matching`; the features replaced by their ranks or z-scores among the dialog's three
  candidates, or the ranks beside them; and `ensemble of 3 defaults`, the default fitted with seeds s, s+1000 and s+2000 (features,
  networks, synthetic rankings), its scores averaged; the candidate-set structure seen per other candidate (`WithAsymmetry`: the max and
  min over the two others of the shared items and of the same-slot similarities, beside their means), and L1 or elastic-net penalties
  instead of L2. The second round looked at the first, so its best row is not a nested estimate. A third round (2026-12-07): C
  chosen by the learning curve of the inner folds (declared in the previous closing note, stop 38, before it was run: each C's inner WKT
  with 2 and with 4 inner folds, 40 and 60 training dialogs, extrapolated to the 80 by W(n) = a - b/n), and the networks' features of
  the training dialogs cross-fitted on 5 parts instead of 2 (at C 0.1 and 1; `bench/ranking_tried.py` tried it on one network of an
  older ranker). With 2 parts, a training dialog's network feature comes from networks that saw 40 dialogs, a held-out dialog's from
  one that saw all 80; `network_features` in the output scores each network's feature alone on the two (mean WKT over the folds),
  and `combiner_weights` gives the default's weights with 2 and with 5 parts (C 0.1), each times its feature's standard deviation over
  the labelled training rankings (mean over the folds).
- `synthetic sets: K per dialog`: the old default with K dissimilar-swap triples per training dialog instead of 2 (0: the labelled
  rankings alone), the curve of WKT against the amount of synthetic data; not among the nested choice's candidates.
Nested: in each outer fold, 4 inner folds of the 80 training dialogs (a dialog's synthetic triples go with it) score every
idea (and every L2 weight of the listwise ones); the best inner WKT is fitted on the 80 and scored on the 20 held out.
The inner folds use the outer fold's features (fitted on the 80 dialogs, their held-out quarter included): the outer fold's
20 dialogs take no part in any fit or choice.
"""
import copy, itertools, json, sys, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch

from fascode_mm.config import RunConfig, check_config
from fascode_mm.run import run_parser, load_data
from fascode_mm.embeddings import embed_fascode
from fascode_mm.evaluation import splits, evaluate_wkt, kfold, paired_test, holm, wkt, PERMS, mean_ci, _blind
from scipy.stats import rankdata
from fascode_mm.fits import split_embeddings
from fascode_mm.ranking import LearnedHarmony, PairwiseRanker, ranking_scorers, training_rankings, combiner_rankings, mimic_rankings, diff_items, VIEWS, SetStructure
from fascode_mm.dialog_text import tokens
from fascode_mm.data import SLOTS, CODES, NONE_ITEMS, outfit_slots, outfit_items
from fascode_mm.retrieval import item_scores, accepted
from fascode_mm.ranking_nets import outfit_key

SEEDS, INNER, N_SHUFFLES, OUT = (0, 1, 2), 4, 10, Path('results/ranking/push_real_cv5.json')
REF = 'dissimilar swaps'   # the default until 2026-12-06: every row is compared with it
N_MIMIC = (1, 2, 10)    # the curve of the mimicking swaps alone (5: the idea `mimicking swaps`)
N_PER = (0, 1, 5, 10)   # the curve: synthetic triples per training dialog (today 2, at most 2000), nested choice not included
L2S = (0.01, 0.1, 1.0)
CS = (0.01, 0.03, 0.3, 1, 10)   # the default's C is 0.1
NETS = ('h_net', 'm_net')       # the networks' features (`LearnedHarmony`, `LearnedMatch`)
W_PERM = torch.tensor([wkt((0, 1, 2), np.argsort(p)) for p in PERMS], dtype=torch.float64)   # WKT of each ordering (p: candidates best first)


class Listwise(PairwiseRanker):
    "A linear scorer of the ranker's features fitted to maximise the expected WKT of each ranking's six orderings (Plackett-Luce)."
    def __init__(self, fs, columns=None, l2=0.1, syn_weight=0.5):
        super().__init__(fs, columns, syn_weight=syn_weight); self.l2 = l2
    def fit_arrays(self, Xs, ws):
        X, w = torch.tensor(np.stack(Xs), dtype=torch.float64), torch.tensor(ws, dtype=torch.float64)
        scale = X.reshape(-1, X.shape[-1]).std(0); scale[scale < 1e-9] = 1
        X = X / scale
        P = torch.tensor(PERMS)                                               # [6, 3]: candidate at each position
        beta = torch.zeros(X.shape[-1], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([beta], max_iter=200, line_search_fn='strong_wolfe')
        def closure():
            opt.zero_grad()
            s = (X @ beta)[:, P]                                              # [n, 6, 3] scores in each ordering
            lp = (s - torch.logcumsumexp(s.flip(-1), -1).flip(-1))[..., :2].sum(-1)   # Plackett-Luce log-probability of each ordering
            loss = -(w * (lp.softmax(-1) @ W_PERM)).sum() / w.sum() + self.l2 * beta @ beta
            loss.backward(); return loss
        opt.step(closure)
        self.w = (beta.detach() / scale).numpy()
        return self


def hard_triples(dialogs, catalog, index, n_per=2, near=50, max_triples=2000, seed=0):
    "Synthetic triples (R1 the accepted outfit, R2 one item swapped, R3 two) whose swaps are among the `near` items most similar to the one replaced."
    rng, out, memo = np.random.default_rng(seed), [], {}
    pool = {s: catalog.ids_in_slot(s) for s in SLOTS}
    R = {s: index.rows('A', pool[s]) for s in SLOTS if pool[s]}
    def similar(s, item):
        if (s, item) not in memo:
            sims = (R[s] @ index.rows('A', [item]).T).toarray().ravel()
            memo[s, item] = [pool[s][k] for k in np.argsort(-sims)[:near + 1] if pool[s][k] != item][:near]
        return memo[s, item]
    swap = lambda o, s: {**o, s: (ok := similar(s, o[s]))[rng.integers(len(ok))]}
    src = [d for d in dialogs if (d.candidates[0] if d.candidates else d.outfit)]
    for d in src:
        base = dict(d.candidates[0] if d.candidates else d.outfit)
        slots = [s for s in SLOTS if base.get(s) and len(pool[s]) > 1]
        for _ in range(n_per if len(slots) > 1 else 0):
            s1, s2 = rng.choice(slots, 2, replace=False)
            r2, r3 = swap(base, s1), swap(swap(base, s1), s2)
            if outfit_key(r2) != outfit_key(r3): out.append(replace(d, candidates=[base, r2, r3], outfit=base, labelled=True))
    return out[:max_triples]


class WithItems(PairwiseRanker):
    "Today's default plus three features of the items in which the candidates differ: their dialog match, their constraints and how often the training outfits wear them (a training dialog's own outfit left out)."
    def __init__(self, base, catalog, train):
        super().__init__(base.fs, base.columns)
        self.ids = list(catalog.ids) + list(NONE_ITEMS.values())
        self.slot, self.row, self.catalog, self.memo = np.array([catalog.slot(i) for i in catalog.ids] + list(NONE_ITEMS)), {i: k for k, i in enumerate(self.ids)}, catalog, {}
        self.counts, self.own = np.zeros(len(self.ids)), {}
        for d in train:
            if (o := accepted(d)): rows = [self.row[i] for i in outfit_slots(o)]; self.counts[rows] += 1; self.own[d.id] = rows
    def extra(self, d, shown) -> np.ndarray:
        if d.id not in self.memo:
            self.memo[d.id] = item_scores(d, self.catalog, self.ids, self.slot, np.zeros((len(self.ids), 1)), np.zeros(1), self.fs)
        tab, c = self.memo[d.id], self.counts.copy()
        c[self.own.get(d.id, [])] -= 1                                       # a training dialog's own outfit is not counted
        items = [outfit_slots(o) for o in shown]
        common = set.intersection(*map(set, items))
        out = np.zeros((len(shown), 3))
        for k, its in enumerate(items):
            rows = [self.row[i] for i in its if i not in common]
            if rows: out[k] = tab.match.values[rows].mean(), tab.constraint.values[rows].mean(), np.log1p(c[rows]).mean()
        return out
    def matrix(self, dialog, shown) -> np.ndarray: return np.hstack([PairwiseRanker.matrix(self, dialog, shown), self.extra(dialog, shown)])


class WithTurns(WithItems):
    "Today's default plus turn-level matching of the differing items: per aspect, their best TF-IDF cosine with any one wish turn; the best with any one refusal (all text); per aspect code, the best text-encoder cosine of a wish turn with the item's description of that aspect."
    def __init__(self, base): PairwiseRanker.__init__(self, base.fs, base.columns); self.memo = {}
    def _sims(self, d):
        if d.id not in self.memo:
            ctx = self.fs.ctx; p = ctx.parts(d); ix = ctx.index
            qs = lambda ks: np.stack([ix.query(tokens(d.turns[k].text)) for k in ks]) if ks else np.zeros((1, ix.n_item_vocab))
            P, N = qs(p['pos_turns']), qs(p['neg_turns'])
            sims = {v: np.asarray(ix.X[v] @ P.T).max(1) for v in VIEWS}
            sims['neg'] = np.asarray(ix.X['A'] @ N.T).max(1)
            e = ctx.emb
            if e is not None and e.has_dialog(d.id) and (ks := [k for k in p['pos_turns'] if k < len(e.turns[d.id])]):
                T = e.turns[d.id][ks]; T = T / (np.linalg.norm(T, axis=1, keepdims=True) + 1e-9)
                E = np.einsum('ncd,td->nct', e.text, T).max(-1)               # [n_items, 4]: best wish turn per aspect code
            else: E = None
            self.memo[d.id] = (sims, E)
        return self.memo[d.id]
    def extra(self, d, shown) -> np.ndarray:
        sims, E = self._sims(d); ix, e = self.fs.ctx.index, self.fs.ctx.emb
        out = np.zeros((len(shown), len(VIEWS) + 1 + len(CODES)))
        for c, items in enumerate(diff_items(shown)):
            r = [ix.row[i] for i in items if i in ix.row]
            if not r: continue
            out[c, :len(VIEWS) + 1] = [sims[v][r].mean() for v in (*VIEWS, 'neg')]
            if E is not None: out[c, len(VIEWS) + 1:] = E[[e.row[i] for i in items if i in e.row]].mean(0)
        return out


class Ensemble:
    "The mean score of whole rankers."
    order_free = True
    def __init__(self, members): self.members = members
    def __call__(self, dialog, shown) -> list: return np.mean([m(dialog, shown) for m in self.members], 0).tolist()


def ideas(base: PairwiseRanker, catalog=None, train=(), members=()):
    "name → (a function of (lab, syn, hard, mim) giving a fitted scorer); `members`: (ranker, its labelled rankings, its synthetic triples) of other seeds for the ensemble."
    fs, cols = base.fs, base.columns
    blind = lambda: PairwiseRanker(fs, cols, syn_blind=SetStructure.names)
    out = {REF: lambda lab, syn, hard, mim: PairwiseRanker(fs, cols).fit(lab, syn),
           'default': lambda lab, syn, hard, mim: blind().fit(lab, syn, mim),
           'structure-blind swaps': lambda lab, syn, hard, mim: _blind_only(blind(), lab, syn),
           'mimicking swaps': lambda lab, syn, hard, mim: PairwiseRanker(fs, cols).fit(lab, mim[0]),
           'mimicking swaps x3': lambda lab, syn, hard, mim: _mean_fit([PairwiseRanker(fs, cols).fit(lab, m) for m in mim]),
           'hard': lambda lab, syn, hard, mim: PairwiseRanker(fs, cols).fit(lab, syn + hard)}
    if catalog is not None:
        wi = WithItems(base, catalog, train)   # one copy: its table of each dialog's items is computed once
        out['differing items'] = lambda lab, syn, hard, mim: copy.copy(wi).fit(lab, syn)
        wt = WithTurns(base)
        out['turn matching'] = lambda lab, syn, hard, mim: copy.copy(wt).fit(lab, syn)
    if members:
        def ens(lab, syn, hard, mim):
            keep = {d.id for d in lab} | {d.id for d in syn}                  # inner folds: the members see the same dialogs
            return Ensemble([PairwiseRanker(fs, cols).fit(lab, syn)] + [PairwiseRanker(m.fs, m.columns).fit([d for d in ml if d.id in keep], [d for d in ms if d.id in keep]) for m, ml, ms in members])
        out['ensemble of 3'] = ens
    for l2 in L2S:
        out[f'listwise l2={l2}'] = lambda lab, syn, hard, mim, l2=l2: Listwise(fs, cols, l2).fit(lab, syn)
        out[f'listwise + hard l2={l2}'] = lambda lab, syn, hard, mim, l2=l2: Listwise(fs, cols, l2).fit(lab, syn + hard)
    return out

def _blind_only(r, lab, syn):
    "A structure-blind fit alone: the dissimilar swaps with the candidate-set structure features zeroed."
    keep = r.kept_in_synthetic()
    return r.fit_arrays([r._X(d) for d in lab] + [r._X(d) * keep for d in syn], [1.0] * len(lab) + [r.syn_weight] * len(syn))

def _one_fit(r, lab, syn, mimic):
    "One fit on the labelled rankings, the structure-blind dissimilar swaps and one set of mimicking swaps together."
    keep = r.kept_in_synthetic()
    return r.fit_arrays([r._X(d) for d in lab] + [r._X(d) * keep for d in syn] + [r._X(d) for d in mimic], [1.0] * len(lab) + [r.syn_weight] * (len(syn) + len(mimic)))

def _mean_fit(rs):
    "The mean weights of fitted `PairwiseRanker`s (the mean of their scores)."
    rs[0].w = np.mean([r.w for r in rs], 0); return rs[0]

def _halves(r, lab, syn, mim, a=0.5):
    "The default's two halves weighted `1 - a` (structure-blind swaps) and `a` (the mean of the mimicking fits) instead of equally."
    b = _blind_only(copy.copy(r), lab, syn).w
    m = np.mean([PairwiseRanker(r.fs, r.columns, C=r.C, syn_weight=r.syn_weight).fit(lab, x).w for x in mim], 0)
    r.w = (1 - a) * b + a * m; return r

def _subsampled(make, lab, syn, mim, seed, n=10):
    "The mean weights of `n` defaults, each fitted on the dialogs of one bootstrap draw of the labelled ones (each drawn dialog once, with its triples)."
    rng, ids, ws = np.random.default_rng(seed), [d.id for d in lab], []
    for _ in range(n):
        pick = set(rng.choice(ids, len(ids), replace=True).tolist())
        keep = lambda rr: [d for d in rr if d.id in pick]
        ws.append(make().fit(keep(lab), keep(syn), [keep(m) for m in mim]).w)
    r = make(); r.w = np.mean(ws, 0); return r

def _inner_means(cands, lab, syn, mim, fold_seed, eval_seed, hard=None, n_inner=INNER, reps=1, crit=None) -> dict:
    "Nested: each candidate's (name → a function of (lab, syn[, hard], mim) giving a fitted scorer) mean score over `n_inner` inner folds of the labelled rankings `lab` (`reps` repetitions with other fold seeds), fitted on the others (a dialog's triples go with it); the score is the WKT, or `crit(dialogs, scorer)`."
    crit = crit or (lambda ds, f: evaluate_wkt(ds, f, N_SHUFFLES, eval_seed)['wkt'])
    inner = {n: [] for n in cands}
    for ih in [h for r in range(reps) for h in kfold(len(lab), n_inner, fold_seed + 100_000 * r)]:
        out_ids = {lab[i].id for i in ih}
        keep = lambda rr: [d for d in rr if d.id not in out_ids]
        args = (keep(lab), keep(syn)) + (() if hard is None else (keep(hard),)) + ([keep(m) for m in mim],)
        for n, f in cands.items(): inner[n].append(crit([lab[i] for i in ih], f(*args)))
    return {n: float(np.mean(v)) for n, v in inner.items()}

def _inner_choice(cands, lab, syn, mim, seed, **kw):
    "The candidate of `_inner_means` with the best inner score, refitted on all; (its name, the fitted scorer)."
    iw = _inner_means(cands, lab, syn, mim, seed, seed, **kw)
    pick = max(cands, key=lambda n: iw[n])
    return pick, cands[pick](lab, syn, mim)

def _curve_choice(cands, lab, syn, mim, seed):
    "The candidate whose inner WKT, extrapolated from 2 inner folds (40 training dialogs of 80) and 4 (60) to all (80) by W(n) = a - b/n, is best, refitted on all: W(80) = W(60) + (W(60) - W(40)) / 2; (its name, the fitted scorer, each candidate's inner WKT at 40 and 60)."
    w2, w4 = (_inner_means(cands, lab, syn, mim, seed, seed, n_inner=n) for n in (2, 4))
    pick = max(cands, key=lambda n: w4[n] + (w4[n] - w2[n]) / 2)
    return pick, cands[pick](lab, syn, mim), {str(n): [round(w2[n], 4), round(w4[n], 4)] for n in cands}

class _cross_fit_parts:
    "Within the block, the networks' families (`LearnedHarmony` and `LearnedMatch`) cross-fit their training dialogs' features in `n` parts (2 outside)."
    def __init__(self, n): self.n = n
    def __enter__(self): self.was, LearnedHarmony.n_splits = LearnedHarmony.n_splits, self.n
    def __exit__(self, *a): LearnedHarmony.n_splits = self.was

def pair_loglik(dialogs, scorer) -> float:
    "The mean log-likelihood of the pairwise logistic model on labelled `dialogs` (candidates in gold order): a smoother inner criterion than the WKT."
    S = [np.asarray(scorer(_blind(d, d.candidates), d.candidates)) for d in dialogs]
    return -float(np.mean([np.logaddexp(0, -(s[i] - s[j])) for s in S for i, j in ((0, 1), (0, 2), (1, 2))]))


class WithinDialog(PairwiseRanker):
    "Today's default with each feature replaced by its rank among the dialog's three candidates (`ranks`: -1, 0, 1), by its z-score among them (`z-scores`), or with the ranks beside the centred values (`both`)."
    def __init__(self, base, how):
        super().__init__(base.fs, base.columns, syn_blind=SetStructure.names); self.how = how
    def _t(self, F):
        R = np.apply_along_axis(lambda c: rankdata(c) - 2, 0, F)
        if self.how == 'ranks': return R
        C = F - F.mean(0); sd = C.std(0)
        return C / np.where(sd < 1e-9, 1, sd) if self.how == 'z-scores' else np.hstack([C, R])
    def matrix(self, dialog, shown) -> np.ndarray: return self._t(PairwiseRanker.matrix(self, dialog, shown))
    def kept_in_synthetic(self):
        k = PairwiseRanker.kept_in_synthetic(self); return np.r_[k, k] if self.how == 'both' else k


class WithBoth(WithItems):
    "Today's default (structure-blind swaps and mimicking swaps) with the features of `differing items` and `turn matching` added (kept in the synthetic triples)."
    def __init__(self, base, catalog, train, turns):
        WithItems.__init__(self, base, catalog, train); self.turns, self.syn_blind = turns, list(SetStructure.names)
    def extra(self, d, shown): return np.hstack([WithItems.extra(self, d, shown), self.turns.extra(d, shown)])
    def kept_in_synthetic(self): return np.r_[PairwiseRanker.kept_in_synthetic(self), np.ones(3 + len(VIEWS) + 1 + len(CODES))]

class WithAsymmetry(WithItems):
    "Today's default plus the candidate-set structure seen per other candidate: for each candidate, the max and the min over the two others of the shared items (`share`) and of the mean same-slot similarity (`tfidf`, `emb`, `img`) instead of their sum or mean alone; structure features, so zeroed in the dissimilar swaps like the others."
    MEASURES = ('share', 'tfidf', 'emb', 'img')
    def __init__(self, base, which, C=0.1):   # which: ('max' or 'min', measure) pairs
        PairwiseRanker.__init__(self, base.fs, base.columns, C=C, syn_blind=SetStructure.names); self.which = list(which)   # `WithItems.matrix`, with these extra features
    def extra(self, d, shown) -> np.ndarray:
        ctx, e = self.fs.ctx, self.fs.ctx.emb
        union = sorted({i for c in shown for i in outfit_items(c)}); k = {i: j for j, i in enumerate(union)}
        r = [e.row[i] for i in union]
        G = dict(tfidf=ctx.grams(union)['A'], emb=e.mean[r] @ e.mean[r].T, img=e.image[r] @ e.image[r].T)
        out = np.zeros((len(shown), len(self.which)))
        for c, cand in enumerate(shown):
            per = []
            for j, o in enumerate(shown):
                pr = [(k[cand[s]], k[o[s]]) for s in SLOTS if cand.get(s) and o.get(s)] if j != c else None
                if pr is None: continue
                a, b = (map(list, zip(*pr))) if pr else ([], [])
                per.append(dict(share=float(np.sum(np.array(a) == np.array(b))), **{m: float(G[m][a, b].mean()) if pr else 0. for m in G}))
            out[c] = [getattr(np, f)([q[m] for q in per]) for f, m in self.which]
        return out
    def kept_in_synthetic(self): return np.r_[PairwiseRanker.kept_in_synthetic(self), np.zeros(len(self.which))]

ASYM = {'max and min of all four': [(f, m) for f in ('max', 'min') for m in WithAsymmetry.MEASURES], 'max and min of tfidf and img': [(f, m) for f in ('max', 'min') for m in ('tfidf', 'img')],
        'max of tfidf and img': [('max', 'tfidf'), ('max', 'img')], 'max of all four': [('max', m) for m in WithAsymmetry.MEASURES], 'max and min of share': [('max', 'share'), ('min', 'share')]}


class Sparse(PairwiseRanker):
    "Today's default with an L1 (`l1_ratio` 1) or elastic-net penalty instead of L2 (saga solver)."
    def __init__(self, base, C, l1_ratio):
        super().__init__(base.fs, base.columns, C=C, syn_blind=SetStructure.names); self.l1_ratio = l1_ratio
    def estimator(self):
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression(C=self.C, fit_intercept=False, max_iter=5000, solver='saga', penalty='elasticnet', l1_ratio=self.l1_ratio, random_state=0)   # saga samples: seeded
    def fit_arrays(self, Xs, ws):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')   # saga may stop short of its tolerance; the figures are what counts here
            return super().fit_arrays(Xs, ws)


def family(name): return name.split(' l2=')[0]

DESIGNED = ('structure-blind swaps, syn_weight 0.25', 'structure-blind swaps, syn_weight 1', 'structure-blind swaps, 5 per dialog', 'mimicking swaps, syn_weight 1',
            'structure-blind and mimicking swaps in one fit', 'mean of structure-blind and one mimicking fit', 'mean of structure-blind and the old default',
            'mean of structure-blind, the old default and one mimicking fit')
ROUND1 = (*(f'default, C {C}' for C in CS), *(f'default, mimicking half weighted {a}' for a in (0.25, 0.75)), *(f'default, syn_weight {w}' for w in (0.25, 1.0)),
          *(f'default, {n} mimicking sets' for n in (2, 5, 10)), 'default, C chosen by 4 inner folds', 'default, 3 or 10 mimicking sets chosen by 4 inner folds',
          'default, mean of 10 fits on subsamples of the labelled dialogs', 'default + differing items and turn matching')
ROUND3 = ('default, C chosen by the learning curve of 2 and 4 inner folds', 'default, networks cross-fitted on 5 parts instead of 2', 'default, networks cross-fitted on 5 parts instead of 2, C 1')

def round_of(name) -> str:
    "When a row was tried: an idea of the issue (and the nested choice among them), a curve, or a `tried:` variant of its round."
    if name.startswith(('synthetic sets:', 'mimicking swaps:')): return 'curves'
    if not name.startswith('tried: '): return 'ideas'
    t = name[len('tried: '):]
    return ('while the default was designed' if t in DESIGNED else 'round 1' if t in ROUND1
            else 'round 3' if t in ROUND3 else 'round 2')


def main():
    t0 = time.time()
    cfg = check_config(RunConfig(**vars(run_parser().parse_args(['--data', '../shared/fascode', '--folds', '5', '--no-progress']))))
    fd = load_data(cfg)
    emb = embed_fascode(fd, cfg.cache, text_encoder=cfg.text_encoder, image_encoder=cfg.image_encoder, layout=cfg.layout, dialog=cfg.dialog, progress=False)
    per = {}            # (seed, idea) -> {dialog: wkt}
    chosen, reproduced, n_syn, n_mim, inner_picks, gaps, weights = [], [], {}, {}, [], [], []
    for seed in SEEDS:
        for k, sp in enumerate(splits(fd, emb, cfg.folds, cfg.valid_frac, seed)):
            c = replace(cfg, seed=seed + k, seeds=())
            train = sp.train + sp.valid   # fitted here, not read from cache/fits: a kept ranker lacks the cross-fitted networks that make its features of training dialogs honest
            rs = ranking_scorers(fd.catalog, train, emb.items, split_embeddings(sp), seed=c.seed)
            lab, syn, mim = combiner_rankings(train, fd.catalog, rs['learned'].fs, c.seed)   # the run's rankings, mimicking sets included
            hard = hard_triples(train, fd.catalog, rs['learned'].fs.ctx.index, seed=seed + k)
            members = []
            for extra_seed in (1000, 2000):                                  # the ensemble's other rankers: everything refitted with another seed
                m = ranking_scorers(fd.catalog, train, emb.items, split_embeddings(sp), seed=c.seed + extra_seed)['learned']
                members.append((m, *training_rankings(train, fd.catalog, m.fs, c.seed + extra_seed)))
            fits = ideas(rs['learned'], fd.catalog, train, members)
            for name, f in fits.items():
                r = evaluate_wkt(sp.test, f(lab, syn, hard, mim), N_SHUFFLES, c.seed)['per_dialog']
                per.setdefault((seed, name), {}).update(r.to_dict())
            for n_per in N_PER:                                               # the curve of WKT against the number of synthetic sets
                more = training_rankings(train, fd.catalog, rs['learned'].fs, c.seed, n_per=n_per)[1] if n_per else []
                r = evaluate_wkt(sp.test, PairwiseRanker(rs['learned'].fs, rs['learned'].columns).fit(lab, more), N_SHUFFLES, c.seed)['per_dialog']
                per.setdefault((seed, f'synthetic sets: {n_per} per dialog'), {}).update(r.to_dict())
            for n_per in N_MIMIC:                                             # the same curve for the mimicking swaps alone
                more = mimic_rankings(train, fd.catalog, rs['learned'].fs, lab, c.seed, n_sets=1, n_per=n_per)[0]
                r = evaluate_wkt(sp.test, PairwiseRanker(rs['learned'].fs, rs['learned'].columns).fit(lab, more), N_SHUFFLES, c.seed)['per_dialog']
                per.setdefault((seed, f'mimicking swaps: {n_per} per dialog'), {}).update(r.to_dict())
                n_mim.setdefault(n_per, []).append(len(more))
            n_mim.setdefault(5, []).append(len(mim[0]))
            fs_, cols_ = rs['learned'].fs, rs['learned'].columns         # the variants tried while today's default was designed
            blind = lambda **kw: PairwiseRanker(fs_, cols_, syn_blind=SetStructure.names, **kw)
            sb, old, m0 = _blind_only(blind(), lab, syn), fits[REF](lab, syn, hard, mim), PairwiseRanker(fs_, cols_).fit(lab, mim[0])
            tried = {'structure-blind swaps, syn_weight 0.25': _blind_only(blind(syn_weight=0.25), lab, syn),
                     'structure-blind swaps, syn_weight 1': _blind_only(blind(syn_weight=1.0), lab, syn),
                     'structure-blind swaps, 5 per dialog': _blind_only(blind(), lab, training_rankings(train, fd.catalog, fs_, c.seed, n_per=5)[1]),
                     'mimicking swaps, syn_weight 1': PairwiseRanker(fs_, cols_, syn_weight=1.0).fit(lab, mim[0]),
                     'structure-blind and mimicking swaps in one fit': _one_fit(blind(), lab, syn, mim[0]),
                     'mean of structure-blind and one mimicking fit': _mean_fit([copy.copy(sb), copy.copy(m0)]),
                     'mean of structure-blind and the old default': _mean_fit([copy.copy(sb), copy.copy(old)]),
                     'mean of structure-blind, the old default and one mimicking fit': _mean_fit([copy.copy(sb), copy.copy(old), copy.copy(m0)])}
            mim10 = mimic_rankings(train, fd.catalog, fs_, lab, c.seed, n_sets=10)   # the first three are `mim`
            assert all(outfit_key(a.candidates[1]) == outfit_key(b.candidates[1]) for a, b in zip(mim10[0], mim[0]))
            tried.update({f'default, C {C}': blind(C=C).fit(lab, syn, mim) for C in CS})   # tried on 2026-12-06, after the default was fixed
            tried.update({f'default, mimicking half weighted {a}': _halves(blind(), lab, syn, mim, a) for a in (0.25, 0.75)})
            tried.update({f'default, syn_weight {w}': blind(syn_weight=w).fit(lab, syn, mim) for w in (0.25, 1.0)})
            tried.update({f'default, {n} mimicking sets': blind().fit(lab, syn, mim10[:n]) for n in (2, 5, 10)})
            candC = {C: lambda l, s_, m, C=C: blind(C=C).fit(l, s_, m) for C in (0.03, 0.1, 0.3, 1, 3, 10)}   # the default at each C of the nested choices of C
            pc, tried['default, C chosen by 4 inner folds'] = _inner_choice(candC, lab, syn, mim, 1000 * seed + k)
            pn, tried['default, 3 or 10 mimicking sets chosen by 4 inner folds'] = _inner_choice({n: lambda l, s_, m, n=n: blind().fit(l, s_, m[:n]) for n in (3, 10)}, lab, syn, mim10, 1000 * seed + k)
            sets_C = {(n, C): lambda l, s_, m, n=n, C=C: blind(C=C).fit(l, s_, m[:n]) for n in (3, 10) for C in (0.1, 1)}   # a second round of variations, tried after the first
            pc10, tried['default, C chosen by 10 inner folds'] = _inner_choice(candC, lab, syn, mim, 1000 * seed + k, n_inner=10)
            pll, tried['default, C chosen by the pairwise log-likelihood of 4 inner folds'] = _inner_choice(candC, lab, syn, mim, 1000 * seed + k, crit=pair_loglik)
            pnc, tried['default, 3 or 10 sets and C 0.1 or 1 chosen by 4 inner folds'] = _inner_choice(sets_C, lab, syn, mim10, 1000 * seed + k)
            pnc10, tried['default, 3 or 10 sets and C 0.1 or 1 chosen by 10 inner folds'] = _inner_choice(sets_C, lab, syn, mim10, 1000 * seed + k, n_inner=10)
            pnc3, tried['default, 3 or 10 sets and C 0.1 or 1 chosen by 3 repetitions of 4 inner folds'] = _inner_choice(sets_C, lab, syn, mim10, 1000 * seed + k, reps=3)
            tried.update({f'default, 10 mimicking sets, C {C}': blind(C=C).fit(lab, syn, mim10) for C in (0.3, 1, 3, 10)})
            wboth = WithBoth(rs['learned'], fd.catalog, train, WithTurns(rs['learned']))   # one instance: copies share its tables of each dialog's items
            for C in (0.1, 0.3, 1, 3):
                wb = copy.copy(wboth); wb.C = C
                tried['default + differing items and turn matching, 10 mimicking sets' + (f', C {C}' if C != 0.1 else '')] = wb.fit(lab, syn, mim10)
            tried.update({f'default, features as {h}': WithinDialog(rs['learned'], h).fit(lab, syn, mim) for h in ('ranks', 'z-scores')})
            tried['default, features centred and as ranks'] = WithinDialog(rs['learned'], 'both').fit(lab, syn, mim)
            tried['ensemble of 3 defaults'] = Ensemble([rs['learned']] + [m for m, *_ in members])   # the default fitted with seeds s, s+1000, s+2000
            for nm, which in ASYM.items():
                for C in (0.1, 1): tried[f'default + structure per other candidate ({nm})' + (f', C {C}' if C != 0.1 else '')] = WithAsymmetry(rs['learned'], which, C).fit(lab, syn, mim)
            for l1, nm in ((1.0, 'L1'), (0.5, 'elastic net (half L1)')):
                for C in (0.1, 0.3, 1): tried[f'default, {nm} penalty, C {C}'] = Sparse(rs['learned'], C, l1).fit(lab, syn, mim)
            assert np.allclose(_halves(blind(), lab, syn, mim, 0.5).w, rs['learned'].w)   # equal halves: the default
            inner_picks.append(dict(seed=seed, fold=k, C=pc, mimicking_sets=pn, C_10_inner=pc10, C_loglik=pll, sets_C=str(pnc), sets_C_10_inner=str(pnc10), sets_C_3x4_inner=str(pnc3)))
            plc, tried['default, C chosen by the learning curve of 2 and 4 inner folds'], curve_w = _curve_choice(candC, lab, syn, mim, 1000 * seed + k)
            with _cross_fit_parts(5):                                        # the networks' features of the training dialogs from 5 parts, not 2
                rs5 = ranking_scorers(fd.catalog, train, emb.items, split_embeddings(sp), seed=c.seed)
            lab5, syn5, mim5 = combiner_rankings(train, fd.catalog, rs5['learned'].fs, c.seed)
            for C in (0.1, 1):
                tried['default, networks cross-fitted on 5 parts instead of 2' + (f', C {C}' if C != 0.1 else '')] = PairwiseRanker(
                    rs5['learned'].fs, rs5['learned'].columns, C=C, syn_blind=SetStructure.names).fit(lab5, syn5, mim5)
            for parts, r_ in ((2, rs['learned']), (5, rs5['learned'])):      # each network's feature alone: training dialogs (cross-fitted) and held-out ones
                for nm in NETS:
                    j = list(r_.fs.names).index(nm)
                    alone = lambda d, shown, j=j, fs=r_.fs: fs.features(d, shown)[:, j].tolist()
                    gaps.append(dict(seed=seed, fold=k, parts=parts, feature=nm, train=evaluate_wkt(lab, alone, N_SHUFFLES, c.seed)['wkt'],
                                     test=evaluate_wkt(sp.test, alone, N_SHUFFLES, c.seed)['wkt']))
            for parts, r_ in ((2, rs['learned']), (5, tried['default, networks cross-fitted on 5 parts instead of 2'])):   # the combiner's weights in units of each feature's spread
                sd = np.vstack([r_._X(d) for d in lab]).std(0)                # over the labelled training rankings (centred per dialog)
                weights.append(dict(parts=parts, **{n: float(w) for n, w in zip(np.array(r_.fs.names)[r_.columns], r_.w * sd)}))
            tried['default, mean of 10 fits on subsamples of the labelled dialogs'] = _subsampled(blind, lab, syn, mim, 10 * seed + k)
            tried['default + differing items and turn matching'] = copy.copy(wboth).fit(lab, syn, mim)
            inner_picks[-1].update(C_learning_curve=plc, C_learning_curve_inner=curve_w)   # C -> [inner WKT at 40, at 60 training dialogs]
            for name, f in tried.items():
                r = evaluate_wkt(sp.test, f, N_SHUFFLES, c.seed)['per_dialog']
                per.setdefault((seed, f'tried: {name}'), {}).update(r.to_dict())
            reproduced.append(bool(np.allclose(fits['default'](lab, syn, hard, mim).w, rs['learned'].w)))   # today's default, refitted: the same weights
            iw = _inner_means(fits, lab, syn, mim, 1000 * seed + k, c.seed, hard)   # nested: inner folds of the 80
            pick = max(fits, key=lambda n: iw[n])
            chosen.append(dict(seed=seed, fold=k, pick=pick, inner={n: round(v, 4) for n, v in iw.items()}))
            per.setdefault((seed, 'nested choice'), {}).update({i: per[seed, pick][i] for i in r.index})   # the pick's scores of this fold's dialogs
            n_syn.setdefault(seed, []).append({n_per: len(training_rankings(train, fd.catalog, rs['learned'].fs, c.seed, n_per=n_per)[1]) if n_per else 0 for n_per in (*N_PER, 2)})
            print(f"seed {seed} fold {k + 1}: inner pick {pick}; {time.time() - t0:.0f} s", flush=True)
    names = list(dict.fromkeys(n for _, n in per))
    ids = list(per[SEEDS[0], REF])
    mean = {n: np.array([np.mean([per[s, n][i] for s in SEEDS]) for i in ids]) for n in names}   # each dialog's WKT, mean of the seeds
    rows = {n: dict(round=round_of(n), wkt=float(v.mean()), ci95=mean_ci(v), **({} if n == REF else dict(zip(('diff', 'ci95_diff', 'p_value'),
                    (lambda t: (t['diff'], t['ci95'], t['p_value']))(paired_test(v, mean[REF])))))) for n, v in mean.items()}
    others = [n for n in names if n != REF]
    for n, p in zip(others, holm([rows[n]['p_value'] for n in others])): rows[n]['p_holm'] = p
    res = dict(protocol="5-fold CV on the shared 100 dialogs, the run's splits and features, seeds 0 1 2 (a dialog's WKT averaged over them), 10 reshuffles; "
               "diff: the idea minus the default until 2026-12-06 (dissimilar swaps), paired over the 100 dialogs (bootstrap 95% interval, randomization p, Holm over the ideas)",
               rows=rows, chosen=chosen, inner_picks=inner_picks, synthetic_sets={str(k): float(np.mean([d[k] for v in n_syn.values() for d in v])) for k in (*N_PER, 2)},
               mimicking_sets={str(k): float(np.mean(v)) for k, v in sorted(n_mim.items())},
               network_features={f'{nm}, {p} parts': {w: float(np.mean([g[w] for g in gaps if g['feature'] == nm and g['parts'] == p])) for w in ('train', 'test')} for p in (2, 5) for nm in NETS},
               combiner_weights={f'{p} parts': {n: float(np.mean([w[n] for w in weights if w['parts'] == p])) for n in weights[0] if n != 'parts'} for p in (2, 5)}, reproduces_run=all(reproduced), seconds=round(time.time() - t0))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1))
    for n, r in rows.items(): print(f"{n:28} WKT {r['wkt']:.4f} [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}]" + (f"  diff {r['diff']:+.4f} [{r['ci95_diff'][0]:+.3f}, {r['ci95_diff'][1]:+.3f}] p {r['p_value']:.3f} p_holm {r['p_holm']:.3f}" if 'diff' in r else ''))
    print(f"written to {OUT} ({res['seconds']} s); the run reproduced: {res['reproduces_run']}")

if __name__ == '__main__':
    import torch; torch.set_num_threads(1)   # as the run (`--threads 1`) and the other ranking benches: the same networks, bit for bit
    main()
