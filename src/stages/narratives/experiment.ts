/**
 * Experiment harness for the narrative model (not used at run time):
 *
 *   node --import tsx src/stages/narratives/experiment.ts oof [--data DIR] [--out FILE]
 *     5-fold CV of the shipped configuration (seed 7, the folds of `unspin train narratives --cv 5`);
 *     writes every document's out-of-fold probabilities (4-bit model) to FILE (default /tmp/narr-oof.json).
 *     --seed N (folds and training), --clusters LEVEL [--weight W] [--orders 1,2] [--max N]: a third block
 *     of word-vector cluster n-grams (model.ts BlockInput); --conditional both|narr|sub: conditional
 *     training (narratives on their domain's narrative-bearing documents, subnarratives on their parent's);
 *     --explanations W: the training folds' subtask-3 explanations as extra rows of weight W (default: the
 *     shipped configuration's, weight 1 for BG, HI, PT, RU; 0 = off), --explanation-langs all|BG,HI,…: whose.
 *     Session 5: --lede N [--lede-weight W] [--lede-max M]: a block of word 1–2-grams of the first N sentences
 *     (title and lede; model.ts BlockInput 'lede'); --bags N [--bag-fraction F]: N classifiers on seeded
 *     subsamples, weights averaged (train.ts baggedDual); --extras: also write each document's out-of-fold
 *     sentence features (largest and top-3 mean sentence logit per label, train.ts extrasOf).
 *
 *   node --import tsx src/stages/narratives/experiment.ts stack --oof FILE [--base FILE] [--seed N] [--only 0,3,7]
 *     English variants stacked on those probabilities (stack.ts: label-name similarities, kNN label shares
 *     over document vectors, a learned Other gate, per-narrative document-vector models), scored by nested
 *     CV: for each test fold the stacker is fitted on the other folds, and the decoding thresholds are tuned
 *     on the other folds' stacked probabilities, each from a stacker fitted without that fold and the test
 *     fold. Prints per variant the mean ± std over folds of narratives / subnarratives F1, overall and on
 *     narrative-bearing documents, then the paired per-fold differences to the first row (or to --base),
 *     and the AUC of the test folds' p(Other) for Other documents.
 *
 *   node --import tsx src/stages/narratives/experiment.ts oof-lang [--lang EN] [--seed N] --out FILE
 *     out-of-fold probabilities of a model trained on one language only, on the all-language run's folds,
 *     read by `stack --oof2 FILE` (second-model gate and averaging variants).
 *
 *   node --import tsx src/stages/narratives/experiment.ts errors --oof FILE [--seed N] [--lang EN]
 *     where the narrative-bearing documents lose F1: gated Other, wrong domain, F1 with the gate off,
 *     subnarrative F1 with the gold narratives given.
 *
 *   node --import tsx src/stages/narratives/experiment.ts summary --oof FILE [--base FILE0] [--seed N] [--decoding ef1 --weight 3]
 *       [--base-decoding ef1 --base-weight 3] [--x sentMax,sentTop3] [--sub-one]
 *     every language's CV scores of saved out-of-fold probabilities and the paired per-fold differences to
 *     FILE0; --x: the expected-F1 calibration also reads the file's sentence features (written by oof
 *     --extras); --sub-one: one subnarrative per chosen narrative.
 *
 *   node --import tsx src/stages/narratives/experiment.ts xfeat --out FILE
 *     per English document, the other stages' technique density, distinct techniques and sentence count
 *     (the analysis pipeline), read by `stack --xfeat FILE` for the gate variants that use them.
 */
import { join, resolve } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { loadCorpus, availableLanguages } from '../../corpora/semeval2025/index.ts';
import { attachExplanations as attachCorpusExplanations, crossValidate, DEFAULT_CONFIG, type Decoding, type NarrDoc, type NarrTrainConfig } from './train.ts';

function corpusDir(dataArg?: string): string {
  const data = resolve(dataArg ?? '../shared/corpora/semeval2025-task10');
  return existsSync(join(data, 'semeval2025-task10')) ? join(data, 'semeval2025-task10') : data;
}

export function loadDocs(dataArg?: string): NarrDoc[] {
  const data = corpusDir(dataArg);
  const docs: NarrDoc[] = [];
  for (const l of loadCorpus(data, availableLanguages(data))) {
    const labels = new Map(l.narratives.map((n) => [n.docId, n]));
    for (const d of l.documents) {
      const n = labels.get(d.id);
      if (n) docs.push({ id: d.id, lang: l.lang, text: d.text, narratives: n.narratives, subnarratives: n.subnarratives });
    }
  }
  return docs;
}

/** Attaches each document's subtask-3 annotation (train.ts attachExplanations) from the corpus folder. */
export function attachExplanations(docs: NarrDoc[], dataArg?: string): number {
  return attachCorpusExplanations(docs, corpusDir(dataArg));
}

/**
 * Decoding and narrative-bearing weight of `stack`, `errors` and `summary`: by default the session-3
 * shipped ones (thresholds, weight 2), so the card's session-3 tables reproduce; --decoding / --weight
 * change them (the shipped model since session 4: --decoding ef1 --weight 3).
 */
function harnessDecoding(): Decoding {
  return (arg('decoding') ?? 'thresholds') as Decoding;
}
function harnessWeight(): number {
  return Number(arg('weight') ?? 2);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[2] === 'oof') {
  const docs = loadDocs(arg('data'));
  const t0 = Date.now();
  const cl = arg('clusters');
  const seed = Number(arg('seed') ?? DEFAULT_CONFIG.seed);
  const cfg: NarrTrainConfig = cl === undefined ? { ...DEFAULT_CONFIG, seed } : {
    ...DEFAULT_CONFIG,
    seed,
    blocks: [...DEFAULT_CONFIG.blocks, { spec: { wordNgrams: (arg('orders') ?? '1,2').split(',').map(Number), charNgrams: null, bits: 20 }, maxFeatures: Number(arg('max') ?? 20000), input: { kind: 'clusters', level: Number(cl), weight: Number(arg('weight') ?? 1) } }],
  };
  // explanation rows: the shipped configuration's by default (DEFAULT_CONFIG); --explanations 0 turns them
  // off, --explanation-langs all|BG,HI,… picks whose
  const ew = arg('explanations');
  if (ew !== undefined) cfg.explanationWeight = Number(ew);
  const el = arg('explanation-langs');
  if (el) cfg.explanationLangs = el === 'all' ? undefined : el.split(',');
  if (cfg.explanationWeight) {
    process.stderr.write(`${attachExplanations(docs, arg('data'))} explanations (rows: ${cfg.explanationLangs?.join(',') ?? 'all'})\n`);
  }
  const cond = arg('conditional');
  if (cond) cfg.conditional = cond as NarrTrainConfig['conditional'];
  // session 5: a title-and-lede block (the first N sentences) beside the two text blocks
  const lede = arg('lede');
  if (lede) cfg.blocks = [...cfg.blocks, { spec: { wordNgrams: [1, 2], charNgrams: null, bits: 20 }, maxFeatures: Number(arg('lede-max') ?? 10000), input: { kind: 'lede', sentences: Number(lede), weight: Number(arg('lede-weight') ?? 0.5) } }];
  // session 5: bagging, --bags N [--bag-fraction F] (train.ts baggedDual)
  const bags = arg('bags');
  if (bags) cfg.bags = { n: Number(bags), fraction: Number(arg('bag-fraction') ?? 0.8) };
  // session 5: NB-SVM narratives, --nb ALPHA (train.ts nbNarratives)
  const nb = arg('nb');
  if (nb) cfg.nbNarratives = { alpha: Number(nb) };
  // --extras: also write every document's out-of-fold sentence features (train.ts extrasOf), read by summary --x
  const cv = crossValidate(docs, cfg, 5, (s) => process.stderr.write(`${s} [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`), undefined, process.argv.includes('--extras'));
  const out = arg('out') ?? '/tmp/narr-oof.json';
  const round = (a: ArrayLike<number>) => Array.from(a, (x) => +x.toPrecision(6));
  writeFileSync(out, JSON.stringify({ ids: docs.map((d) => d.id), oof: cv.oof.map(round), ...(cv.extras ? { extras: cv.extras.map(round) } : {}) }));
  for (const l of cv.perLang) process.stderr.write(`${l.lang} ${l.coarse.mean.toFixed(3)} ${l.fine.mean.toFixed(3)} ${l.coarseNarr.mean.toFixed(3)} ${l.fineNarr.mean.toFixed(3)}\n`);
}

// ---------------------------------------------------------------------------------------------
// stack: word-vector features stacked on the out-of-fold probabilities (English), nested CV.

import { readFileSync } from 'node:fs';
import { loadWordVectors } from '../../models/embeddings/index.ts';
import { assignFolds, fitModel, isOther, sampleStd, shipped, targetsOf, tuneDecoding } from './train.ts';
import { decode, LabelIndex, modelLabels, toRow, type ExtraFeature } from './model.ts';
import { scoreNarratives, meanStd, setF1 } from '../../eval/semeval2025/index.ts';
import { domainOf, NARRATIVES, OTHER, SCORER_COARSE, SCORER_FINE } from '../../corpora/semeval2025/taxonomy.ts';
import { wordTokens } from '../../ml/index.ts';
import { Stacker, type StackLabels, cosine, unit, meanVector, docVectors, fitDenseLR, labelSims, labelVectors, logit, predictDenseLR, type DenseLR, type VectorTable } from './stack.ts';

async function vectors(): Promise<VectorTable> {
  return loadWordVectors();
}

interface Variant {
  name: string;
  /** Stack narratives / subnarratives with the shared label-matching model. */
  narr?: 'none' | 'calib' | 'sims' | 'knn' | 'desc';
  /**
   * Label descriptions from the subtask-3 explanations of the stacker's training documents (SIF mean word
   * vectors per dominant narrative / subnarrative; a training document's own explanation left out of the
   * descriptions it is scored against): best-sentence and document cosines as extra pair features.
   */
  desc?: boolean;
  /** Other gate model: 'none', 'probs' (probabilities only), 'vec' (+ document vector and similarities). */
  gate?: 'none' | 'probs' | 'vec';
  /** Stack only the gate / only narratives. */
  /** Per-label document-vector model for narratives (idea 1). */
  docvec?: boolean;
  /** kNN label scores over the training documents' centred document vectors, as features. */
  knn?: number;
  knnTau?: number;
  /** Relative probability features: own domain, parent narrative, gap to the best sibling. */
  rel?: boolean;
  /** Gate features from the other stages (technique density, kinds, sentences), read from --xfeat FILE. */
  xstage?: boolean;
  /** Second model's probabilities (--oof2 FILE): 'gate' uses its p(Other) as the gate, 'avg' averages all labels, 'stackgate' feeds its p(Other) to the learned gate. */
  second?: 'gate' | 'avg' | 'stackgate' | 'avggate';
  /** Relative thresholds: narratives (and/or subnarratives) rescaled to (p / best of their group)^4 before decoding. */
  relative?: 'narr' | 'sub' | 'both';
  /**
   * Expected-F1 set choice: narratives (and subnarratives) Platt-calibrated on the stacker's training
   * documents (narrative-bearing ones; subnarratives given their parent), then per document the top-k
   * set of the predicted domain maximising 2 Σ_top-k q / (k + Σ q), written back as probabilities the
   * threshold decoder keeps (0.9) or drops (0.01 p). 'narr': narratives only.
   */
  ef1?: 'narr' | 'both';
  /** Exponent on the expected gold count in the expected-F1 denominator (1: the plug-in estimate). */
  ef1Mass?: number;
  /** With ef1 'both': the gate reads q(Other) / (q(Other) + (1 − q(Other)) · expected F1 of the chosen sets), q Platt-calibrated. */
  ef1Gate?: boolean;
  /** The Stacker class of stack.ts (what a trained model ships). */
  shipped?: boolean;
  l2?: number;
  gateL2?: number;
  gateNarrWeight?: number;
}

/** Area under the ROC curve of (score, label) pairs (ties count half). */
function auc(pairs: [number, number][]): number {
  const pos = pairs.filter((p) => p[1] === 1).map((p) => p[0]);
  const neg = pairs.filter((p) => p[1] === 0).map((p) => p[0]);
  let s = 0;
  for (const a of pos) for (const b of neg) s += a > b ? 1 : a === b ? 0.5 : 0;
  return pos.length && neg.length ? s / (pos.length * neg.length) : NaN;
}

async function runStack(): Promise<void> {
  const docs = loadDocs(arg('data'));
  const readOof = (file: string) => {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { ids: string[]; oof: number[][] };
    const byId = new Map(saved.ids.map((id, i) => [id, saved.oof[i]]));
    return docs.map((d) => Float64Array.from(byId.get(d.id)!));
  };
  let oof = readOof(arg('oof') ?? '/tmp/narr/oof.json');
  const fold = assignFolds(docs.length, 5, Number(arg('seed') ?? DEFAULT_CONFIG.seed));
  const labels = modelLabels();
  const ix = new LabelIndex(labels);
  const lang = arg('lang') ?? 'EN';
  const idx = docs.map((d, i) => (d.lang === lang ? i : -1)).filter((i) => i >= 0);
  const o2 = arg('oof2');
  const oof2 = new Map<string, number[]>();
  if (o2) {
    const j = JSON.parse(readFileSync(o2, 'utf8')) as { ids: string[]; oof: number[][] };
    j.ids.forEach((id, k) => oof2.set(id, j.oof[k]));
  }
  const xf = arg('xfeat');
  const xfeat = xf ? (JSON.parse(readFileSync(xf, 'utf8')) as Record<string, { techAll: number; techOutlet: number; techKinds: number; sents: number }>) : {};
  const wv = await vectors();
  const lv = labelVectors(wv, labels);
  const t0 = Date.now();
  const sims = new Map<number, Float64Array[]>();
  const dvec = new Map<number, Float32Array>();
  const svec = new Map<number, Float32Array[]>();
  for (const i of idx) {
    const dv = docVectors(wv, docs[i].text);
    sims.set(i, labelSims(dv, lv));
    dvec.set(i, dv.doc);
    svec.set(i, dv.sentences);
  }
  // subtask-3 explanations (dominant narrative, subnarrative, one sentence) of this language's documents,
  // as SIF mean vectors; read at run time only, used inside the stacker's training folds only
  const explanations = new Map<number, { labels: number[]; vec: Float32Array }>();
  const explFile = join(corpusDir(arg('data')), lang, 'subtask-3-annotations.txt');
  if (existsSync(explFile)) {
    const byId = new Map(idx.map((i) => [docs[i].id, i]));
    for (const line of readFileSync(explFile, 'utf8').split('\n')) {
      const [id, narr, sub, text] = line.split('\t');
      const i = byId.get(id);
      if (i === undefined || !text) continue;
      const vec = meanVector(wv, wordTokens(text));
      const labelsOf = [narr, sub].filter((l) => l && ix.index.has(l)).map((l) => ix.get(l));
      if (vec && labelsOf.length) explanations.set(i, { labels: labelsOf, vec });
    }
  }
  process.stderr.write(`vectors for ${idx.length} documents in ${Date.now() - t0} ms\n`);
  const gold = new Map(idx.map((i) => [i, new Set(targetsOf(docs[i], ix))]));
  const narrL = NARRATIVES.map((n) => ix.get(n.label));
  const subL = NARRATIVES.flatMap((n) => n.subnarratives.map((s) => ix.get(s)));
  const io = ix.get(OTHER);
  const parentIx = labels.map((l) => { const n = NARRATIVES.find((d) => d.subnarratives.includes(l)); return n ? ix.get(n.label) : -1; });
  const domIx = labels.map((l) => ix.index.get(`domain:${l.startsWith('CC: ') ? 'CC' : 'URW'}`)!);
  const siblings = labels.map((l) => {
    const n = NARRATIVES.find((d) => d.subnarratives.includes(l));
    if (n) return n.subnarratives.map((s) => ix.get(s));
    const me = NARRATIVES.find((d) => d.label === l);
    return me ? NARRATIVES.filter((d) => d.domain === me.domain).map((d) => ix.get(d.label)) : [];
  });
  const iu = ix.get('domain:URW');
  const icc = ix.get('domain:CC');

  let knn = new Map<number, Float64Array>();
  let descF = new Map<number, Float64Array[]>();
  /** Per document of train ∪ apply, per label: [best-sentence cosine, document cosine] to the label's description. */
  const describe = (train: number[], apply: number[]) => {
    descF = new Map();
    const D = wv.dim;
    const sum = labels.map(() => new Float64Array(D));
    const cnt = new Int32Array(labels.length);
    for (const i of train) {
      const e = explanations.get(i);
      if (!e) continue;
      for (const l of e.labels) {
        cnt[l]++;
        for (let d = 0; d < D; d++) sum[l][d] += e.vec[d];
      }
    }
    const inTrain = new Set(train);
    const v = new Float32Array(D);
    for (const i of new Set([...train, ...apply])) {
      const own = inTrain.has(i) ? explanations.get(i) : undefined;
      const sents = svec.get(i)!;
      const doc = dvec.get(i)!;
      const out = labels.map(() => new Float64Array(2));
      for (const l of [...narrL, ...subL]) {
        // a subnarrative nobody explained borrows its narrative's description
        let src = l;
        const mine = (k: number) => (own && own.labels.includes(k) ? 1 : 0);
        if (cnt[l] - mine(l) <= 0 && parentIx[l] >= 0) src = parentIx[l];
        if (cnt[src] - mine(src) <= 0) continue;
        for (let d = 0; d < D; d++) v[d] = sum[src][d] - (mine(src) ? own!.vec[d] : 0);
        unit(v);
        let best = -1;
        for (const s of sents) best = Math.max(best, cosine(s, v));
        out[l][0] = sents.length ? best : 0;
        out[l][1] = cosine(doc, v);
      }
      descF.set(i, out);
    }
  };
  const pairFeat = (i: number, l: number, group: number[], v: Variant): number[] => {
    const z = logit(oof[i][l]);
    if (v.narr === 'calib') return [z];
    if (v.narr === 'knn') return [z, knn.get(i)![l], z * knn.get(i)![l]];
    if (v.narr === 'desc') {
      const q = descF.get(i)!;
      let m = 0;
      for (const g of group) m += q[g][0] / group.length;
      return [z, q[l][0], q[l][1], q[l][0] - m, z * q[l][0]];
    }
    const s = sims.get(i)!;
    let m = 0;
    for (const g of group) m += s[g][0] / group.length;
    const base = [z, s[l][0], s[l][1], s[l][2], s[l][0] - m, z * s[l][0]];
    if (v.knn) base.push(knn.get(i)![l]);
    if (v.desc) {
      const q = descF.get(i)!;
      let m = 0;
      for (const g of group) m += q[g][0] / group.length;
      base.push(q[l][0], q[l][1], q[l][0] - m, z * q[l][0]);
    }
    if (v.rel) {
      const p = oof[i];
      const par = parentIx[l];
      const sib = siblings[l];
      let mx = -Infinity;
      for (const k of sib) if (k !== l) mx = Math.max(mx, logit(p[k]));
      base.push(logit(p[domIx[l]]), par >= 0 ? logit(p[par]) : 0, sib.length > 1 ? z - mx : 0);
    }
    return base;
  };
  const gateFeat = (i: number, v: Variant): number[] => {
    const p = oof[i];
    let mx = 0;
    for (const l of narrL) mx = Math.max(mx, p[l]);
    const f = [logit(p[io]), logit(mx), logit(p[iu]), logit(p[icc])];
    if (v.knn) f.push(knn.get(i)![io]);
    if (v.second === 'stackgate') f.push(logit(oof2.get(docs[i].id)![io]));
    if (v.xstage) {
      const x = xfeat[docs[i].id];
      f.push(x.techAll, x.techOutlet, x.techKinds, Math.log(x.sents));
    }
    if (v.gate === 'vec') {
      const s = sims.get(i)!;
      let smx = -1, smean = 0;
      for (const l of narrL) { smx = Math.max(smx, s[l][0]); smean += s[l][2] / narrL.length; }
      f.push(smx, smean, ...dvec.get(i)!);
    }
    return f;
  };

  const SL: StackLabels = { narratives: narrL, subnarratives: subL, other: io, urw: iu, cc: icc, vectors: lv };
  const sdoc = new Map(idx.map((i) => [i, { sims: sims.get(i)!, doc: dvec.get(i)! }]));
  /** Stacked probabilities for `apply` documents from models fitted on `train` documents. */
  const stack = (train: number[], apply: number[], v: Variant): Map<number, Float64Array> => {
    if (v.shipped) {
      const st = Stacker.fit(lang, train.map((i) => sdoc.get(i)!), train.map((i) => oof[i]), train.map((i) => targetsOf(docs[i], ix)), SL);
      return new Map(apply.map((i) => [i, st.apply(oof[i], sdoc.get(i)!, SL)]));
    }
    const out = new Map(apply.map((i) => [i, Float64Array.from(oof[i])]));
    if (v.ef1) {
      const nb = train.filter((i) => !isOther(docs[i]));
      const platt = (pairs: [number, number][]) => fitDenseLR(pairs.map(([z]) => Float64Array.of(z)), pairs.map(([, y]) => y), null, 1e-3);
      const narrPairs: [number, number][] = [];
      for (const i of nb) for (const l of narrL) narrPairs.push([logit(oof[i][l]), gold.get(i)!.has(l) ? 1 : 0]);
      const mN = platt(narrPairs);
      const subPairs: [number, number][] = [];
      for (const i of nb) for (const l of subL) if (gold.get(i)!.has(parentIx[l])) subPairs.push([logit(oof[i][l]), gold.get(i)!.has(l) ? 1 : 0]);
      const mS = platt(subPairs);
      const mass = v.ef1Mass ?? 1;
      /** Indices of the best top-k set of `cand` under q (at least one). */
      let lastV = 0;
      const bestSet = (cand: number[], q: Map<number, number>): Set<number> => {
        const sorted = [...cand].sort((a, b) => q.get(b)! - q.get(a)!);
        let tot = 0;
        for (const l of sorted) tot += q.get(l)!;
        let best = 1, bestV = -1, acc = 0;
        sorted.forEach((l, k) => {
          acc += q.get(l)!;
          const val = (2 * acc) / (k + 1 + mass * tot);
          if (val > bestV) { bestV = val; best = k + 1; }
        });
        lastV = bestV;
        return new Set(sorted.slice(0, best));
      };
      const mO = platt(train.map((i) => [logit(oof[i][io]), isOther(docs[i]) ? 1 : 0]));
      for (const i of apply) {
        const p = out.get(i)!;
        const dom = p[iu] >= p[icc] ? 'URW' : 'CC';
        const cand = NARRATIVES.filter((n) => n.domain === dom).map((n) => ix.get(n.label));
        const qN = new Map(cand.map((l) => [l, predictDenseLR(mN, [logit(p[l])])]));
        const chosen = bestSet(cand, qN);
        const efN = lastV;
        const orig = Float64Array.from(p);
        for (const l of cand) p[l] = chosen.has(l) ? 0.9 : 0.01 * orig[l];
        if (v.ef1 === 'both') {
          const subCand = subL.filter((l) => chosen.has(parentIx[l]));
          const allSubs = subL.filter((l) => cand.includes(parentIx[l]));
          const qS = new Map(allSubs.map((l) => [l, qN.get(parentIx[l])! * predictDenseLR(mS, [logit(orig[l])])]));
          const pick = bestSet(subCand, qS);
          for (const l of subCand) p[l] = pick.has(l) ? 0.9 : 0.01 * orig[l];
          if (v.ef1Gate) {
            const qO = predictDenseLR(mO, [logit(orig[io])]);
            const ef = (efN + lastV) / 2;
            p[io] = qO / (qO + (1 - qO) * ef);
          }
        }
      }
      return out;
    }
    if (v.relative) {
      for (const i of apply) {
        const p = out.get(i)!;
        const groups: number[][] = [];
        if (v.relative !== 'sub') for (const dom of ['URW', 'CC']) groups.push(NARRATIVES.filter((n) => n.domain === dom).map((n) => ix.get(n.label)));
        if (v.relative !== 'narr') for (const n of NARRATIVES) groups.push(n.subnarratives.map((x) => ix.get(x)));
        for (const g of groups) {
          let mx = 0;
          for (const l of g) mx = Math.max(mx, p[l]);
          for (const l of g) p[l] = mx > 0 ? (p[l] / mx) ** 4 : 0;
        }
      }
      return out;
    }
    if (v.second === 'gate' || v.second === 'avg' || v.second === 'avggate') {
      for (const i of apply) {
        const p = out.get(i)!;
        const q = oof2.get(docs[i].id)!;
        if (v.second === 'gate') p[io] = q[io];
        else if (v.second === 'avggate') p[io] = (p[io] + q[io]) / 2;
        else for (let l = 0; l < p.length; l++) p[l] = (p[l] + q[l]) / 2;
      }
      return out;
    }
    knn = new Map<number, Float64Array>();
    if (v.knn) {
      const mean = new Float64Array(100);
      for (const i of train) { const d = dvec.get(i)!; for (let k = 0; k < 100; k++) mean[k] += d[k] / train.length; }
      const cen = new Map<number, Float32Array>();
      for (const i of [...train, ...apply]) {
        if (cen.has(i)) continue;
        const d = dvec.get(i)!; const c = new Float32Array(100);
        for (let k = 0; k < 100; k++) c[k] = d[k] - mean[k];
        cen.set(i, unit(c));
      }
      const tau = v.knnTau ?? 0.05;
      for (const i of [...train, ...apply]) {
        if (knn.has(i)) continue;
        const ci = cen.get(i)!;
        const nb = train.filter((j) => j !== i).map((j) => ({ j, s: cosine(ci, cen.get(j)!) })).sort((a, b) => b.s - a.s).slice(0, v.knn);
        const sc = new Float64Array(labels.length);
        let z = 0;
        for (const { j, s } of nb) { const w = Math.exp((s - nb[0].s) / tau); z += w; for (const l of gold.get(j)!) sc[l] += w; }
        for (let l = 0; l < sc.length; l++) sc[l] /= z;
        knn.set(i, sc);
      }
    }
    if (v.desc || v.narr === 'desc') describe(train, apply);
    if (v.narr && v.narr !== 'none') {
      for (const group of [narrL, subL]) {
        const X: Float64Array[] = [], y: number[] = [];
        for (const i of train) for (const l of group) { X.push(Float64Array.from(pairFeat(i, l, group, v))); y.push(gold.get(i)!.has(l) ? 1 : 0); }
        const m = fitDenseLR(X, y, null, v.l2 ?? 1);
        for (const i of apply) for (const l of group) out.get(i)![l] = predictDenseLR(m, pairFeat(i, l, group, v));
      }
    }
    if (v.docvec) {
      for (const l of narrL) {
        const y = train.map((i) => (gold.get(i)!.has(l) ? 1 : 0));
        if (y.reduce((a: number, b) => a + b, 0) < 3) continue;
        const X = train.map((i) => Float64Array.from([logit(oof[i][l]), ...dvec.get(i)!]));
        const m = fitDenseLR(X, y, null, v.l2 ?? 30);
        for (const i of apply) {
          const p = out.get(i)!;
          p[l] = predictDenseLR(m, [logit(oof[i][l]), ...dvec.get(i)!]);
        }
      }
    }
    if (v.gate && v.gate !== 'none') {
      const X = train.map((i) => Float64Array.from(gateFeat(i, v)));
      const y = train.map((i) => (isOther(docs[i]) ? 1 : 0));
      const sw = train.map((i) => (isOther(docs[i]) ? 1 : v.gateNarrWeight ?? 1));
      const m: DenseLR = fitDenseLR(X, y, sw, v.gateL2 ?? 10);
      for (const i of apply) out.get(i)![io] = predictDenseLR(m, gateFeat(i, v));
    }
    return out;
  };

  console.log('| variant | narr. F1 | subn. F1 | narr. F1 (narr.-bearing) | subn. F1 (narr.-bearing) | Δ narr. | Δ subn. | Δ narr. (n.-b.) | Δ subn. (n.-b.) | AUC of p(Other) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  let ref: number[][] | undefined;
  const evaluate = (v: Variant) => {
    const c: number[] = [], fi: number[] = [], cn: number[] = [], fn: number[] = [];
    const gatePairs: [number, number][] = [];
    for (let f = 0; f < 5; f++) {
      const testIdx = idx.filter((i) => fold[i] === f);
      const tuneProbs: Float64Array[] = [], tuneDocs: typeof docs = [];
      for (let g = 0; g < 5; g++) {
        if (g === f) continue;
        const inner = idx.filter((i) => fold[i] !== f && fold[i] !== g);
        const app = idx.filter((i) => fold[i] === g);
        const st = stack(inner, app, v);
        for (const i of app) { tuneProbs.push(st.get(i)!); tuneDocs.push(docs[i]); }
      }
      const t = tuneDecoding(tuneProbs, tuneDocs, ix, harnessWeight(), harnessDecoding());
      const st = stack(idx.filter((i) => fold[i] !== f), testIdx, v);
      const goldRows = testIdx.map((i) => ({ docId: docs[i].id, narratives: docs[i].narratives, subnarratives: docs[i].subnarratives }));
      const pred = testIdx.map((i) => toRow(docs[i].id, decode(st.get(i)!, ix, t)));
      for (const i of testIdx) gatePairs.push([st.get(i)![io], isOther(docs[i]) ? 1 : 0]);
      const s = scoreNarratives(goldRows, pred);
      c.push(s.coarse.mean);
      fi.push(s.fine.mean);
      const nd = s.perDoc.filter((_, j) => !isOther(docs[testIdx[j]]));
      cn.push(meanStd(nd.map((d) => d.coarse)).mean);
      fn.push(meanStd(nd.map((d) => d.fine)).mean);
    }
    const r = (xs: number[]) => { const m = sampleStd(xs); return `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`; };
    const cur = [c, fi, cn, fn];
    ref ??= cur;
    const d = (k: number) => { const m = sampleStd(cur[k].map((x, j) => x - ref![k][j])); return `${m.mean >= 0 ? '+' : ''}${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`; };
    console.log(`| ${v.name} | ${r(c)} | ${r(fi)} | ${r(cn)} | ${r(fn)} | ${d(0)} | ${d(1)} | ${d(2)} | ${d(3)} | ${auc(gatePairs).toFixed(3)} |`);
  };

  const all: Variant[] = [
    { name: 'base (identity)' },
    { name: 'calibration only (shared, logit)', narr: 'calib' },
    { name: 'label-name similarities, shared model, l2 1', narr: 'sims', l2: 1 },
    { name: 'gate: probabilities', gate: 'probs' },
    { name: 'gate: + document vector, similarities', gate: 'vec' },
    { name: 'gate: + document vector, narr weight 2', gate: 'vec', gateNarrWeight: 2 },
    { name: 'per-narrative document vector, l2 30', docvec: true, l2: 30 },
    { name: 'gate: probabilities + kNN(15) Other share', gate: 'probs', knn: 15 },
    { name: 'kNN(15) label shares, shared model', narr: 'knn', knn: 15 },
    { name: 'kNN(15) + label-name similarities, shared model', narr: 'sims', knn: 15 },
    { name: 'kNN(15) sims + gate probs+kNN', narr: 'sims', gate: 'probs', knn: 15 },
    { name: 'gate: probabilities + kNN(30) Other share, tau 0.1', gate: 'probs', knn: 30, knnTau: 0.1 },
    { name: 'sims + relative probabilities, shared model', narr: 'sims', rel: true },
    { name: 'gate: probabilities + kNN(15), l2 1', gate: 'probs', knn: 15, gateL2: 1 },
    { name: 'gate: probabilities + kNN(15), l2 30', gate: 'probs', knn: 15, gateL2: 30 },
    { name: 'gate: probabilities + kNN(10)', gate: 'probs', knn: 10 },
    { name: 'gate: probabilities + kNN(25)', gate: 'probs', knn: 25 },
    { name: 'gate: probabilities + kNN(15), narrative-bearing weight 1.5', gate: 'probs', knn: 15, gateNarrWeight: 1.5 },
    { name: 'gate: probabilities + kNN(15), tau 0.02', gate: 'probs', knn: 15, knnTau: 0.02 },
    { name: 'kNN(15) sims + relative, gate probs+kNN', narr: 'sims', rel: true, gate: 'probs', knn: 15 },
    { name: 'Stacker class of stack.ts (what stackLangs ships; same as row 10)', shipped: true },
    { name: 'gate: probabilities + technique density/kinds + length (other stages)', gate: 'probs', xstage: true },
    { name: 'gate: probabilities + kNN + other stages', gate: 'probs', knn: 15, xstage: true },
    { name: 'kNN sims + gate probs+kNN + other stages', narr: 'sims', gate: 'probs', knn: 15, xstage: true },
    { name: 'second model: its p(Other) as the gate', second: 'gate' },
    { name: 'second model: mean of the two p(Other)', second: 'avggate' },
    { name: 'second model: mean of all probabilities', second: 'avg' },
    { name: 'gate: probabilities + second model p(Other)', gate: 'probs', second: 'stackgate' },
    { name: 'relative narrative threshold', relative: 'narr' },
    { name: 'relative subnarrative threshold', relative: 'sub' },
    { name: 'relative narrative and subnarrative thresholds', relative: 'both' },
    { name: 'kNN(15) sims + gate probs+kNN, stacker l2 10', narr: 'sims', gate: 'probs', knn: 15, l2: 10 },
    { name: 'kNN(15) sims + gate probs+kNN, gate l2 30', narr: 'sims', gate: 'probs', knn: 15, gateL2: 30 },
    { name: 'kNN(15) label shares + gate probs+kNN (no label names)', narr: 'knn', gate: 'probs', knn: 15 },
    { name: 'kNN(15) sims + relative, gate probs+kNN, l2 10', narr: 'sims', rel: true, gate: 'probs', knn: 15, l2: 10 },
    // 35-: label descriptions from the subtask-3 explanations (session 4); 40-: expected-F1 set choice
    { name: 'explanation descriptions, shared model', narr: 'desc' },
    { name: 'label-name similarities + explanation descriptions', narr: 'sims', desc: true },
    { name: 'kNN(15) + label names + explanation descriptions', narr: 'sims', knn: 15, desc: true },
    { name: 'kNN(15) + label names + explanation descriptions + gate probs+kNN', narr: 'sims', knn: 15, desc: true, gate: 'probs' },
    { name: 'explanation descriptions, shared model, l2 10', narr: 'desc', l2: 10 },
    { name: 'expected-F1 narratives', ef1: 'narr' },
    { name: 'expected-F1 narratives and subnarratives', ef1: 'both' },
    { name: 'expected-F1 narratives and subnarratives, mass 0.7', ef1: 'both', ef1Mass: 0.7 },
    { name: 'expected-F1 narratives and subnarratives, mass 1.5', ef1: 'both', ef1Mass: 1.5 },
    { name: 'expected-F1 sets + expected-F1 gate', ef1: 'both', ef1Gate: true },
  ];
  const baseFile = arg('base');
  if (baseFile) {
    const keep = oof;
    oof = readOof(baseFile);
    evaluate({ name: `reference: ${baseFile}` });
    oof = keep;
  }
  const only = arg('only');
  for (const v of all) if (!only || only.split(',').includes(String(all.indexOf(v)))) evaluate(v);
}

if (process.argv[2] === 'stack') await runStack();

// oof-lang: out-of-fold probabilities of a model trained on one language's documents only, on the folds
// of the all-language run (same seed), for the `--oof2` gate variants of `stack`.
if (process.argv[2] === 'oof-lang') {
  const docs = loadDocs(arg('data'));
  const seed = Number(arg('seed') ?? DEFAULT_CONFIG.seed);
  const lang = arg('lang') ?? 'EN';
  const fold = assignFolds(docs.length, 5, seed);
  const ids: string[] = [], probs: number[][] = [];
  for (let f = 0; f < 5; f++) {
    const train = docs.filter((d, i) => d.lang === lang && fold[i] !== f);
    const model = shipped(fitModel(train, { ...DEFAULT_CONFIG, seed, stackLangs: [] }));
    docs.forEach((d, i) => {
      if (d.lang === lang && fold[i] === f) {
        ids.push(d.id);
        probs.push([...model.proba(d.text)].map((x) => +x.toPrecision(6)));
      }
    });
  }
  writeFileSync(arg('out') ?? '/tmp/narr-oof-lang.json', JSON.stringify({ ids, oof: probs }));
}

// xfeat: per English document, what the other stages see (technique spans per sentence, distinct
// techniques, sentences), for the `--xfeat` gate variants of `stack`.
if (process.argv[2] === 'xfeat') {
  const { analyzeText } = await import('../../pipeline.ts');
  const out: Record<string, unknown> = {};
  for (const d of loadDocs(arg('data')).filter((x) => x.lang === 'EN')) {
    const a = analyzeText(d.text, { language: 'en' });
    const sents = a.segments.sentences.length || 1;
    out[d.id] = {
      techAll: a.techniques.length / sents,
      techOutlet: a.techniques.filter((t) => t.voice === 'outlet').length / sents,
      techKinds: new Set(a.techniques.map((t) => t.technique)).size,
      sents,
    };
  }
  writeFileSync(arg('out') ?? '/tmp/narr-xfeat.json', JSON.stringify(out));
}

// errors: where a language's narrative-bearing documents lose F1 (thresholds tuned on the other folds):
// how many are gated Other, how many get the wrong domain, their F1 with the gate off, and their
// subnarrative F1 when the gold narratives are given.
if (process.argv[2] === 'errors') {
  const docs = loadDocs(arg('data'));
  const saved = JSON.parse(readFileSync(arg('oof') ?? '/tmp/narr/oof.json', 'utf8')) as { ids: string[]; oof: number[][] };
  const byId = new Map(saved.ids.map((id, i) => [id, saved.oof[i]]));
  const fold = assignFolds(docs.length, 5, Number(arg('seed') ?? DEFAULT_CONFIG.seed));
  const ix = new LabelIndex(modelLabels());
  const cc = new Set(SCORER_COARSE), fc = new Set(SCORER_FINE);
  const lang = arg('lang') ?? 'EN';
  const idx = docs.map((d, i) => (d.lang === lang && byId.has(d.id) ? i : -1)).filter((i) => i >= 0);
  const p = (i: number) => Float64Array.from(byId.get(docs[i].id)!);
  const r = { narrativeBearing: 0, gatedOther: 0, wrongDomain: 0, coarse: 0, fine: 0, coarseNoGate: 0, fineNoGate: 0, fineGoldNarratives: 0, otherDocs: 0, otherGivenNarratives: 0 };
  for (let f = 0; f < 5; f++) {
    const tune = idx.filter((i) => fold[i] !== f);
    const t = tuneDecoding(tune.map(p), tune.map((i) => docs[i]), ix, harnessWeight(), harnessDecoding());
    for (const i of idx.filter((j) => fold[j] === f)) {
      const d = docs[i];
      const row = toRow(d.id, decode(p(i), ix, t));
      if (isOther(d)) {
        r.otherDocs++;
        if (row.narratives[0] !== OTHER) r.otherGivenNarratives++;
        continue;
      }
      r.narrativeBearing++;
      r.coarse += setF1(d.narratives, row.narratives, cc);
      r.fine += setF1(d.subnarratives, row.subnarratives, fc);
      const open = toRow(d.id, decode(p(i), ix, { ...t, tOther: 2 }));
      r.coarseNoGate += setF1(d.narratives, open.narratives, cc);
      r.fineNoGate += setF1(d.subnarratives, open.subnarratives, fc);
      if (row.narratives[0] === OTHER) r.gatedOther++;
      else if (domainOf(row.narratives[0]) !== domainOf(d.narratives.find((l) => l !== OTHER)!)) r.wrongDomain++;
      const subs: string[] = [];
      for (const nl of d.narratives) {
        const def = NARRATIVES.find((x) => x.label === nl);
        if (!def) continue;
        const ps = def.subnarratives.map((s) => ({ s, p: p(i)[ix.get(s)] }));
        let pick = ps.filter((x) => x.p >= (t.ef1?.subThreshold ?? t.tSub));
        if (!pick.length) pick = [ps.reduce((a, b) => (b.p > a.p ? b : a))];
        subs.push(...pick.map((x) => x.s));
      }
      r.fineGoldNarratives += setF1(d.subnarratives, subs, fc);
    }
  }
  for (const k of ['coarse', 'fine', 'coarseNoGate', 'fineNoGate', 'fineGoldNarratives'] as const) r[k] = +(r[k] / r.narrativeBearing).toFixed(3);
  console.log(JSON.stringify(r));
}

// summary: every language's CV scores of saved out-of-fold probabilities (thresholds tuned on the other
// folds, as `unspin train narratives` does), with the paired per-fold differences to --base FILE.
// --decoding thresholds|ef1|ef1-sets: the decoding (train.ts Decoding); --weight W: narrative-bearing weight.
if (process.argv[2] === 'summary') {
  const { summarizeCv, SUB_ONE } = await import('./train.ts');
  const docs = loadDocs(arg('data'));
  const fold = assignFolds(docs.length, 5, Number(arg('seed') ?? DEFAULT_CONFIG.seed));
  const read = (file: string) => {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { ids: string[]; oof: number[][] };
    const byId = new Map(saved.ids.map((id, i) => [id, saved.oof[i]]));
    return docs.map((d) => Float64Array.from(byId.get(d.id)!));
  };
  const mode = harnessDecoding();
  const w = harnessWeight();
  // --x sentMax,sentTop3: the multi-feature calibration on the oof file's sentence features
  const xf = arg('x');
  let extra: { docs: Float64Array[]; features: ExtraFeature[] } | undefined;
  if (xf) {
    const saved = JSON.parse(readFileSync(arg('oof')!, 'utf8')) as { ids: string[]; extras: number[][] };
    const byId = new Map(saved.ids.map((id, i) => [id, saved.extras[i]]));
    extra = { docs: docs.map((d) => Float64Array.from(byId.get(d.id)!)), features: xf.split(',') as ExtraFeature[] };
  }
  if (process.argv.includes('--sub-one')) SUB_ONE.on = true;
  const cur = summarizeCv(docs, read(arg('oof')!), fold, 5, undefined, w, new Map(), mode, extra);
  SUB_ONE.on = false;
  const baseFile = arg('base');
  // the reference: the session-3 shipped decoding (thresholds, narrative-bearing weight 2) unless
  // --base-decoding / --base-weight say otherwise
  const baseMode = (arg('base-decoding') ?? 'thresholds') as Decoding;
  const base = baseFile ? summarizeCv(docs, read(baseFile), fold, 5, undefined, Number(arg('base-weight') ?? 2), new Map(), baseMode) : undefined;
  const f = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  for (const l of cur) {
    const b = base?.find((x) => x.lang === l.lang);
    const d = (k: keyof LangCvFolds) => { const m = sampleStd(l.folds[k].map((x, j) => x - b!.folds[k][j])); return `${f(m.mean)} ± ${m.std.toFixed(3)}`; };
    console.log(`| ${l.lang} | ${l.coarse.mean.toFixed(3)} | ${l.fine.mean.toFixed(3)} | ${l.coarseNarr.mean.toFixed(3)} | ${l.fineNarr.mean.toFixed(3)} |${b ? ` ${d('coarse')} | ${d('fine')} | ${d('coarseNarr')} | ${d('fineNarr')} |` : ''}`);
  }
}
type LangCvFolds = { coarse: number[]; fine: number[]; coarseNarr: number[]; fineNarr: number[] };
