/**
 * Training and cross-validation for the article-level models (frames, genre).
 * Not loaded at analysis time.
 *
 * Every article is hashed once; a fold's vectorizer (document frequencies,
 * idf, kept buckets) is then built from the cached counts of that fold's
 * training articles only, so no statistic leaks from the held-out articles.
 * Calibration (Platt per label and language) and the decision rule
 * (thresholds or prior shift) come from an inner group k-fold inside the
 * training articles, so cross-validated scores are honest nested estimates.
 */
import { hashFeatures, type HashSpec } from '../../ml/hashing.ts';
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { applyPlatt, coordinateSearch, tuneThresholds, type Platt } from '../../ml/calibrate.ts';
import { groupKFold, meanStd } from '../../ml/cv.ts';
import { rng, shuffle } from '../../ml/rng.ts';
import { scoreTask1, scoreTask2 } from '../../eval/semeval2023/index.ts';
import type { SparseVec } from '../../ml/sparse.ts';
import { wordTokens } from '../../ml/tokenize.ts';
import { HashedTfidf } from '../../ml/vectorizer.ts';
import { decide, styleRow, withStyle, type DocModelJSON, type LanguageCalibration, type StyleScaler, type TaskKind } from './docmodel.ts';
import { styleFeatures } from './style.ts';

export interface TrainDoc {
  id: string;
  /** ISO 639-1 language. */
  lang: string;
  text: string;
  /** Gold label indices (exactly one for multiclass). */
  y: number[];
  /**
   * Extra (silver) training material: used in every training part with
   * `weight`, never scored and never used for calibration.
   */
  extra?: boolean;
  /** Example weight in training (default 1). */
  weight?: number;
}

export interface DocTrainOptions {
  name: string;
  version: string;
  task: TaskKind;
  labels: string[];
  /** 'per-language': one vectorizer + model per language; 'multilingual': one for all, calibrated per language. */
  mode: 'per-language' | 'multilingual';
  spec: HashSpec;
  minDf: number;
  maxFeatures: number;
  epochs: number;
  lr: number;
  l2: number;
  seed: number;
  /** multiclass: weight examples so that each class carries the same total weight. */
  balanced: boolean;
  /** multilabel: weight of positive examples (1 = none). */
  posWeight: number;
  /**
   * multiclass decision: 'balanced' divides out the training prior (uniform
   * prior); 'train' keeps it; 'tuned' picks per-class log shifts that maximise
   * macro-F1 on the inner out-of-fold predictions.
   */
  prior: 'balanced' | 'train' | 'tuned' | 'raw';
  /** Folds for the inner out-of-fold scores used to calibrate. */
  innerFolds: number;
  /** Append the standardised style features (style.ts) times this scale; 0 = off. */
  style: number;
  /**
   * Per-language changes to the feature options (per-language mode only),
   * e.g. `{ en: { spec: …, style: 0.3 } }`.
   */
  overrides?: Record<string, Partial<Pick<DocTrainOptions, 'spec' | 'style' | 'minDf' | 'maxFeatures' | 'l2'>>>;
  /** Progress lines (fold timings). */
  log?: (line: string) => void;
}

/** Bucket counts (and raw style features) per article, computed once. */
export interface CountCache {
  counts: Map<string, Map<number, number>>;
  style: Map<string, number[]>;
}

/** The options that apply to one submodel group (a language, or 'all'). */
export function optsFor(opts: DocTrainOptions, key: string): DocTrainOptions {
  const o = opts.mode === 'per-language' ? opts.overrides?.[key] : undefined;
  return o ? { ...opts, ...o } : opts;
}

export function hashDocs(docs: TrainDoc[], opts: DocTrainOptions): CountCache {
  const cache: CountCache = { counts: new Map(), style: new Map() };
  for (const d of docs) {
    const spec = optsFor(opts, opts.mode === 'per-language' ? d.lang : 'all').spec;
    const m = new Map<number, number>();
    hashFeatures(d.text, wordTokens(d.text), spec, (b) => m.set(b, (m.get(b) ?? 0) + 1));
    cache.counts.set(d.id, m);
    cache.style.set(d.id, styleFeatures(d.text, d.lang));
  }
  return cache;
}

function buildVectorizer(docs: TrainDoc[], cache: CountCache, opts: DocTrainOptions): HashedTfidf {
  const df = new Map<number, number>();
  for (const d of docs) for (const b of cache.counts.get(d.id)!.keys()) df.set(b, (df.get(b) ?? 0) + 1);
  let kept: number[] = [];
  for (const [b, n] of df) if (n >= opts.minDf) kept.push(b);
  if (kept.length > opts.maxFeatures) {
    kept.sort((a, b) => df.get(b)! - df.get(a)! || a - b);
    kept = kept.slice(0, opts.maxFeatures);
  }
  kept.sort((a, b) => a - b);
  const n = docs.length;
  const idf = new Float32Array(kept.length);
  kept.forEach((b, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(b)!)) + 1));
  return new HashedTfidf(opts.spec, Int32Array.from(kept), idf);
}

function rowFor(cache: CountCache, id: string, f: Fitted): SparseVec {
  const { vec, colOf } = f;
  const counts = cache.counts.get(id)!;
  const pairs: [number, number][] = [];
  for (const [b, c] of counts) {
    const col = colOf.get(b);
    if (col !== undefined) pairs.push([col, c]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const idx = new Int32Array(pairs.length);
  const val = new Float32Array(pairs.length);
  let s = 0;
  pairs.forEach(([col, c], i) => {
    const v = (1 + Math.log(c)) * vec.idf[col];
    idx[i] = col;
    val[i] = v;
    s += v * v;
  });
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < val.length; i++) val[i] *= inv;
  }
  return withStyle({ idx, val }, f.style ? styleRow(cache.style.get(id)!, f.style) : null, vec.size);
}

interface Fitted {
  vec: HashedTfidf;
  model: MultiLabelLogReg;
  colOf: Map<number, number>;
  style?: StyleScaler;
}

function fitScaler(docs: TrainDoc[], cache: CountCache, scale: number): StyleScaler {
  const rows = docs.map((d) => cache.style.get(d.id)!);
  const S = rows[0]?.length ?? 0;
  const mean = new Array<number>(S).fill(0);
  const sd = new Array<number>(S).fill(0);
  for (const r of rows) r.forEach((v, i) => (mean[i] += v / rows.length));
  for (const r of rows) r.forEach((v, i) => (sd[i] += (v - mean[i]) ** 2 / rows.length));
  return { mean: mean.map(round4), sd: sd.map((v) => round4(Math.sqrt(v)) || 1), scale };
}

function fitOne(docs: TrainDoc[], cache: CountCache, opts: DocTrainOptions): Fitted {
  const vec = buildVectorizer(docs, cache, opts);
  const colOf = new Map<number, number>();
  vec.buckets.forEach((b, i) => colOf.set(b, i));
  const style = opts.style ? fitScaler(docs, cache, opts.style) : undefined;
  const shell: Fitted = { vec, model: null as unknown as MultiLabelLogReg, colOf, style };
  const rows = docs.map((d) => rowFor(cache, d.id, shell));
  let sampleWeight: number[] | undefined;
  if (opts.task === 'multiclass' && opts.balanced) {
    // each (language, class) cell carries the same total weight within its language
    const cell = new Map<string, number>();
    const perLang = new Map<string, number>();
    for (const d of docs) {
      cell.set(`${d.lang}/${d.y[0]}`, (cell.get(`${d.lang}/${d.y[0]}`) ?? 0) + 1);
      perLang.set(d.lang, (perLang.get(d.lang) ?? 0) + 1);
    }
    const classesIn = new Map<string, number>();
    for (const k of cell.keys()) {
      const lang = k.slice(0, k.indexOf('/'));
      classesIn.set(lang, (classesIn.get(lang) ?? 0) + 1);
    }
    sampleWeight = docs.map((d) => (d.weight ?? 1) * (perLang.get(d.lang)! / (classesIn.get(d.lang)! * cell.get(`${d.lang}/${d.y[0]}`)!)));
  } else if (docs.some((d) => d.weight !== undefined && d.weight !== 1)) {
    sampleWeight = docs.map((d) => d.weight ?? 1);
  }
  const model = MultiLabelLogReg.train(rows, docs.map((d) => d.y), opts.labels, vec.size + (style ? style.mean.length : 0), {
    epochs: opts.epochs,
    lr: opts.lr,
    l2: opts.l2,
    seed: opts.seed,
    posWeight: opts.posWeight,
    sampleWeight,
  });
  return { vec, model, colOf, style };
}

function scoreWith(f: Fitted, cache: CountCache, d: TrainDoc): Float64Array {
  return f.model.decision(rowFor(cache, d.id, f));
}

/** Groups of docs that share one submodel, by mode. */
function groupsByMode(docs: TrainDoc[], mode: DocTrainOptions['mode']): Map<string, TrainDoc[]> {
  const g = new Map<string, TrainDoc[]>();
  for (const d of docs) {
    const key = mode === 'multilingual' ? 'all' : d.lang;
    if (!g.has(key)) g.set(key, []);
    g.get(key)!.push(d);
  }
  return g;
}

/** Out-of-fold raw scores for every doc (k-fold inside each submodel group). */
function outOfFold(docs: TrainDoc[], cache: CountCache, opts: DocTrainOptions, k: number, seed: number): Map<string, Float64Array> {
  const oof = new Map<string, Float64Array>();
  for (const [key, all] of groupsByMode(docs, opts.mode)) {
    const gopts = optsFor(opts, key);
    const group = all.filter((d) => !d.extra);
    const extras = all.filter((d) => d.extra);
    const folds = stratifiedFolds(group, k, seed, opts.task);
    for (let f = 0; f < k; f++) {
      const train = [...group.filter((_, i) => folds[i] !== f), ...extras];
      const test = group.filter((_, i) => folds[i] === f);
      if (!test.length) continue;
      const fitted = fitOne(train, cache, gopts);
      for (const d of test) oof.set(d.id, scoreWith(fitted, cache, d));
    }
  }
  return oof;
}

/**
 * Folds over articles. For multiclass problems the articles of each
 * (language, class) cell are dealt round-robin after a seeded shuffle, so the
 * rare classes (10 satire pieces in English) reach every fold.
 */
export function stratifiedFolds(docs: TrainDoc[], k: number, seed: number, task: TaskKind): number[] {
  if (task === 'multilabel') return groupKFold(docs.map((d) => d.id), k, seed);
  const folds = new Array<number>(docs.length).fill(0);
  const cells = new Map<string, number[]>();
  docs.forEach((d, i) => {
    const key = `${d.lang}/${d.y[0]}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(i);
  });
  let offset = 0;
  for (const key of [...cells.keys()].sort()) {
    const idx = shuffle([...cells.get(key)!].sort((a, b) => (docs[a].id < docs[b].id ? -1 : 1)), rng(seed + offset));
    idx.forEach((i, j) => (folds[i] = (j + offset) % k));
    offset += idx.length;
  }
  return folds;
}

/** Per-language calibration and decision rule from out-of-fold scores. */
function calibrate(docs: TrainDoc[], oof: Map<string, Float64Array>, opts: DocTrainOptions): Record<string, Omit<LanguageCalibration, 'submodel'>> {
  const L = opts.labels.length;
  const out: Record<string, Omit<LanguageCalibration, 'submodel'>> = {};
  const byLang = new Map<string, TrainDoc[]>();
  for (const d of docs) {
    if (d.extra) continue;
    if (!byLang.has(d.lang)) byLang.set(d.lang, []);
    byLang.get(d.lang)!.push(d);
  }
  for (const [lang, ds] of byLang) {
    const platt: Platt[] = [];
    for (let l = 0; l < L; l++) {
      const s = ds.map((d) => oof.get(d.id)![l]);
      const y = ds.map((d) => (d.y.includes(l) ? 1 : 0));
      platt.push(fitPlattSafe(s, y));
    }
    if (opts.task === 'multilabel') {
      const probs = ds.map((d) => Array.from(oof.get(d.id)!, (s, l) => applyPlatt(platt[l], s)));
      const gold = ds.map((d) => opts.labels.map((_, l) => (d.y.includes(l) ? 1 : 0)));
      const t = tuneThresholds(probs, gold, { minPositives: 25, shrink: 50, rounds: 2 });
      out[lang] = { platt, thresholds: t.thresholds.map((x) => (Number.isFinite(x) ? round4(x) : null)) };
    } else {
      const trainPrior = opts.labels.map((_, l) => ds.filter((d) => d.y[0] === l).length / ds.length);
      // Platt calibration on this language's out-of-fold scores reproduces its
      // training prior; 'balanced' divides it out so no class wins by its share alone.
      let logPriorShift = opts.prior === 'balanced' ? trainPrior.map((p) => round4(-Math.log(Math.max(p, 1 / (ds.length + 1))))) : trainPrior.map(() => 0);
      if (opts.prior === 'tuned') logPriorShift = tuneShifts(ds, oof, platt, opts);
      if (opts.prior === 'raw') {
        out[lang] = { platt, trainPrior: trainPrior.map(round4), rule: 'raw' };
        continue;
      }
      out[lang] = { platt, logPriorShift, trainPrior: trainPrior.map(round4) };
    }
  }
  return out;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Per-class log shifts (first class with the largest prior fixed at 0) maximising macro-F1 by coordinate search. */
function tuneShifts(ds: TrainDoc[], oof: Map<string, Float64Array>, platt: Platt[], opts: DocTrainOptions): number[] {
  const L = opts.labels.length;
  const cal = { submodel: '', platt, logPriorShift: new Array<number>(L).fill(0) };
  const gold = ds.map((d) => [opts.labels[d.y[0]]]);
  const score = (shift: number[]) => {
    cal.logPriorShift = shift;
    const pred = ds.map((d) => [opts.labels[decide('multiclass', oof.get(d.id)!, cal).chosen[0]]]);
    return officialScore('multiclass', opts.labels, gold, pred);
  };
  const counts = opts.labels.map((_, l) => ds.filter((d) => d.y[0] === l).length);
  const anchor = counts.indexOf(Math.max(...counts));
  const grid = Array.from({ length: 25 }, (_, i) => -1 + i * 0.25);
  return coordinateSearch(L, anchor, grid, score).map(round4);
}

/**
 * Platt scaling p = sigmoid(a·s + b) with Platt's smoothed targets, by Newton's
 * method with a backtracking line search on the log-loss (a plain Newton step
 * can overshoot and diverge when the scores separate the classes well).
 */
export function fitPlattSafe(scores: ArrayLike<number>, y: ArrayLike<number>): Platt {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  const neg = y.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const loss = (a: number, b: number) => {
    let f = 0;
    for (let i = 0; i < scores.length; i++) {
      const z = a * scores[i] + b;
      const t = y[i] ? hi : lo;
      // t·log(1+e^-z) + (1−t)·log(1+e^z), computed stably
      const lp = z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
      f += t * lp + (1 - t) * (lp + z);
    }
    return f;
  };
  let a = 1;
  let b = Math.log((pos + 1) / (neg + 1));
  let f = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let g1 = 0, g2 = 0, h11 = 1e-12, h12 = 0, h22 = 1e-12;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - (y[i] ? hi : lo);
      const w = p * (1 - p);
      g1 += d * s;
      g2 += d;
      h11 += w * s * s;
      h12 += w * s;
      h22 += w;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(det > 1e-18)) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    let step = 1;
    let nf = loss(a - da, b - db);
    while (nf > f + 1e-12 && step > 1e-6) {
      step /= 2;
      nf = loss(a - step * da, b - step * db);
    }
    if (nf > f + 1e-12) break;
    a -= step * da;
    b -= step * db;
    const done = f - nf < 1e-10 * Math.max(1, f);
    f = nf;
    if (done) break;
  }
  return { a, b };
}

/** Trains the full model: submodels on all docs, calibration from inner out-of-fold scores. */
export function trainDocModel(docs: TrainDoc[], opts: DocTrainOptions, cache = hashDocs(docs, opts)): DocModelJSON {
  const oof = outOfFold(docs, cache, opts, opts.innerFolds, opts.seed + 7);
  const cal = calibrate(docs, oof, opts);
  const submodels: DocModelJSON['submodels'] = {};
  const languages: DocModelJSON['languages'] = {};
  for (const [key, group] of groupsByMode(docs, opts.mode)) {
    const f = fitOne(group, cache, optsFor(opts, key));
    submodels[key] = { vectorizer: f.vec.toJSON(), logreg: f.model.toJSON(true), ...(f.style ? { style: f.style } : {}) };
    for (const lang of new Set(group.map((d) => d.lang))) languages[lang] = { submodel: key, ...cal[lang] };
  }
  return {
    schema: 'unspin/docmodel@1',
    name: opts.name,
    version: opts.version,
    task: opts.task,
    labels: opts.labels,
    submodels,
    languages,
  };
}

export interface CvResult {
  /** Per language: the official score per outer fold. */
  perLang: Record<string, { folds: number[]; mean: number; std: number; n: number; pooled: number; perLabel: Record<string, number> }>;
  /** Pooled out-of-fold predictions per doc id (label names), for inspection. */
  predictions: Map<string, string[]>;
}

/**
 * Official metric of each task, computed by the project's reimplementation of
 * the organisers' scorers: macro-F1 (task 1, genre), micro-F1 (task 2, frames).
 */
export function officialScore(task: TaskKind, labels: string[], gold: string[][], pred: string[][]): number {
  const g = gold.map((l, i) => ({ article: String(i), labels: l }));
  const p = pred.map((l, i) => ({ article: String(i), labels: l }));
  return task === 'multilabel' ? scoreTask2(g, p, labels).microF1 : scoreTask1(g, p, labels).macroF1;
}

/** Pooled F1 of each label (classes absent from gold and predictions are left out for multiclass). */
export function perLabelF1(task: TaskKind, labels: string[], gold: string[][], pred: string[][]): Record<string, number> {
  const g = gold.map((l, i) => ({ article: String(i), labels: l }));
  const p = pred.map((l, i) => ({ article: String(i), labels: l }));
  const per = task === 'multilabel' ? scoreTask2(g, p, labels).perLabel : scoreTask1(g, p, labels).perClass;
  return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, Math.round(v.f1 * 1000) / 1000]));
}

/** Nested cross-validation: outer k folds; each training part is calibrated by its own inner folds. */
export function crossValidate(docs: TrainDoc[], opts: DocTrainOptions, k: number, cache = hashDocs(docs, opts)): CvResult {
  const folds = new Map<string, number>();
  const extras = docs.filter((d) => d.extra);
  docs = docs.filter((d) => !d.extra);
  for (const group of groupsByMode(docs, 'per-language').values()) {
    const f = stratifiedFolds(group, k, opts.seed, opts.task);
    group.forEach((d, i) => folds.set(d.id, f[i]));
  }
  const predictions = new Map<string, string[]>();
  const foldOf = new Map<string, number>();
  for (let f = 0; f < k; f++) {
    const train = [...docs.filter((d) => folds.get(d.id) !== f), ...extras];
    const test = docs.filter((d) => folds.get(d.id) === f);
    const t0 = Date.now();
    const model = trainDocModel(train, opts, cache);
    const fitted = new Map<string, Fitted>();
    for (const [key, j] of Object.entries(model.submodels)) {
      const vec = HashedTfidf.fromJSON(j.vectorizer);
      const colOf = new Map<number, number>();
      vec.buckets.forEach((b, i) => colOf.set(b, i));
      fitted.set(key, { vec, model: MultiLabelLogReg.fromJSON(j.logreg), colOf, style: j.style });
    }
    for (const d of test) {
      const cal = model.languages[d.lang];
      const p = decide(opts.task, scoreWith(fitted.get(cal.submodel)!, cache, d), cal);
      predictions.set(d.id, p.chosen.map((l) => opts.labels[l]));
      foldOf.set(d.id, f);
    }
    opts.log?.(`  fold ${f + 1}/${k}: trained on ${train.length} articles in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const perLang: CvResult['perLang'] = {};
  for (const lang of [...new Set(docs.map((d) => d.lang))].sort()) {
    const ds = docs.filter((d) => d.lang === lang);
    const scores: number[] = [];
    for (let f = 0; f < k; f++) {
      const fd = ds.filter((d) => foldOf.get(d.id) === f);
      if (!fd.length) continue;
      scores.push(officialScore(opts.task, opts.labels, fd.map((d) => d.y.map((l) => opts.labels[l])), fd.map((d) => predictions.get(d.id)!)));
    }
    const gold = ds.map((d) => d.y.map((l) => opts.labels[l]));
    const pred = ds.map((d) => predictions.get(d.id)!);
    const pooled = officialScore(opts.task, opts.labels, gold, pred);
    perLang[lang] = { folds: scores, ...meanStd(scores), n: ds.length, pooled, perLabel: perLabelF1(opts.task, opts.labels, gold, pred) };
  }
  return { perLang, predictions };
}
