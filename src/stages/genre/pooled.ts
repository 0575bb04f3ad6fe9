/**
 * Style-feature genre models evaluated by explore.ts: which articles train
 * them (English only, or every language pooled), how features are
 * standardised, and the decision rule (Platt + macro-F1-tuned class shifts,
 * fitted on inner out-of-fold scores of the English training part).
 */
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { decide } from '../frames/docmodel.ts';
import { DocModel } from '../frames/docmodel.ts';
import { fitPlattSafe, hashDocs, officialScore, perLabelF1, stratifiedFolds, trainDocModel, type DocTrainOptions, type TrainDoc } from '../frames/train.ts';
import { GENRE_FEATURES, genreFeatures } from './features.ts';
import { ngramOutOfFold, STACK_FEATURE_SETS, tuneLogShifts } from './train.ts';

/** Per outer fold: the n-gram model's raw scores of the test articles and out-of-fold scores of the training part. */
export type NgFold = Record<string, number[]>;
export type NgCache = Record<string, NgFold>;

/** Nested n-gram scores for repeated CV (key `rep/fold`), as crossValidateStack computes them. */
export function precomputeNgram(en: TrainDoc[], k: number, reps: number, ngOpts: DocTrainOptions, log: (s: string) => void): NgCache {
  const cache = hashDocs(en, ngOpts);
  const out: NgCache = {};
  const cheap = { ...ngOpts, innerFolds: 2 };
  for (let r = 0; r < reps; r++) {
    const assign = stratifiedFolds(en, k, r + 1, 'multiclass');
    for (let f = 0; f < k; f++) {
      const t0 = Date.now();
      const train = en.filter((_, i) => assign[i] !== f);
      const o = { ...ngOpts, seed: r + 1 };
      const fold: NgFold = Object.fromEntries(ngramOutOfFold(train, o, cache, 4, r + 11));
      const m = new DocModel(trainDocModel(train, { ...cheap, seed: r + 1 }, cache));
      en.forEach((d, i) => { if (assign[i] === f) fold[d.id] = Array.from(m.predict(d.text, 'en').scores); });
      out[`${r}/${f}`] = fold;
      log(`  n-gram scores rep ${r + 1} fold ${f + 1}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  return out;
}

export type Table = Map<string, number[]>;

export function featureTable(docs: TrainDoc[]): Table {
  return new Map(docs.map((d) => [d.id, genreFeatures(d.text, d.lang)]));
}

export interface Variant {
  features: readonly string[];
  /** Languages whose articles join every training part (besides the English training part). */
  pool: readonly string[];
  /** Weight of a pooled article relative to an English one. */
  poolWeight: number;
  l2: number;
  epochs: number;
  balanced: boolean;
  /** 'tuned': Platt + tuned shifts on inner OOF; 'raw': argmax of raw scores. */
  rule: 'tuned' | 'raw';
  /** Repetitions of the inner k-fold split whose out-of-fold scores fit the decision rule (default 1). */
  innerReps?: number;
  /** n-gram score caches whose three scores join the inputs (stacking). */
  ngram?: readonly string[];
}

const OTHERS = ['fr', 'de', 'it', 'pl', 'ru'];
const base: Variant = { features: STACK_FEATURE_SETS.robust, pool: [], poolWeight: 1, l2: 3e-2, epochs: 60, balanced: true, rule: 'tuned', innerReps: 1 };
const INDEP = ['log_words', 'log_paragraphs', 'words_per_sentence', 'words_per_paragraph', 'quoted_sentences', 'quote_marks', 'question_sentences', 'exclamation_sentences', 'title_question_or_exclamation', 'dateline', 'numbers', 'percentages', 'capitalised_inner_words', 'all_caps_words', 'parentheses', 'long_words', 'type_token_ratio', 'links_and_handles'];

export const VARIANTS: Record<string, Variant> = {
  'en-robust': base,
  'en-all': { ...base, features: GENRE_FEATURES },
  'en-indep': { ...base, features: INDEP },
  'en-robust-inner3': { ...base, innerReps: 3 },
  'en-robust-inner5': { ...base, innerReps: 5 },
  'en-cues': { ...base, features: STACK_FEATURE_SETS.cues },
  'en-all-l2-1e-2': { ...base, features: GENRE_FEATURES, l2: 1e-2 },
  'en-all-l2-1e-1': { ...base, features: GENRE_FEATURES, l2: 1e-1 },
  'en-robust-l2-1e-1': { ...base, l2: 1e-1 },
  'en-all-unbalanced': { ...base, features: GENRE_FEATURES, balanced: false },
  'pool-indep': { ...base, features: INDEP, pool: OTHERS },
  'pool-robust': { ...base, pool: OTHERS },
  'pool-all': { ...base, features: GENRE_FEATURES, pool: OTHERS },
  'pool-all-w05': { ...base, features: GENRE_FEATURES, pool: OTHERS, poolWeight: 0.5 },
  'stack-char-robust': { ...base, ngram: ['char'] },
  'stack-char-all': { ...base, features: GENRE_FEATURES, ngram: ['char'] },
  'stack-word-all': { ...base, features: GENRE_FEATURES, ngram: ['word'] },
  'stack-both-all': { ...base, features: GENRE_FEATURES, ngram: ['char', 'word'] },
  'ngram-char-only': { ...base, features: [], ngram: ['char'] },
  'ngram-word-only': { ...base, features: [], ngram: ['word'] },
  'ngram-both-only': { ...base, features: [], ngram: ['char', 'word'] },
};

interface Scaler { mean: Map<string, number[]>; sd: Map<string, number[]> }

function fitScaler(rows: { lang: string; x: number[] }[]): Scaler {
  const mean = new Map<string, number[]>();
  const sd = new Map<string, number[]>();
  for (const lang of new Set(rows.map((r) => r.lang))) {
    const xs = rows.filter((r) => r.lang === lang).map((r) => r.x);
    const D = xs[0].length;
    const m = new Array<number>(D).fill(0);
    const s = new Array<number>(D).fill(0);
    for (const x of xs) x.forEach((v, i) => (m[i] += v / xs.length));
    for (const x of xs) x.forEach((v, i) => (s[i] += (v - m[i]) ** 2 / xs.length));
    mean.set(lang, m);
    sd.set(lang, s.map((v) => Math.sqrt(v) || 1));
  }
  return { mean, sd };
}

const CLIP = 5;
function row(x: number[], lang: string, sc: Scaler) {
  const m = sc.mean.get(lang)!;
  const s = sc.sd.get(lang)!;
  const idx = new Int32Array(x.length);
  const val = new Float32Array(x.length);
  x.forEach((v, i) => {
    idx[i] = i;
    val[i] = Math.max(-CLIP, Math.min(CLIP, (v - m[i]) / s[i]));
  });
  return { idx, val };
}

type Scorer = (d: TrainDoc) => Float64Array;

function fit(v: Variant, train: TrainDoc[], table: Table, labels: string[], seed: number, ng: NgFold[]): Scorer {
  const cols = v.features.map((n) => GENRE_FEATURES.indexOf(n as (typeof GENRE_FEATURES)[number]));
  const pick = (d: TrainDoc) => [...cols.map((c) => table.get(d.id)![c]), ...ng.flatMap((n) => n[d.id])];
  const sc = fitScaler(train.map((d) => ({ lang: d.lang, x: pick(d) })));
  const w0 = train.map((d) => (d.lang === 'en' ? 1 : v.poolWeight));
  let weights = w0;
  if (v.balanced) {
    const tot = labels.map((_, l) => train.reduce((a, d, i) => a + (d.y[0] === l ? w0[i] : 0), 0));
    const present = tot.filter((t) => t > 0).length;
    const all = tot.reduce((a, b) => a + b, 0);
    weights = train.map((d, i) => (w0[i] * all) / (present * tot[d.y[0]]));
  }
  const model = MultiLabelLogReg.train(train.map((d) => row(pick(d), d.lang, sc)), train.map((d) => d.y), labels, cols.length + 3 * ng.length, { epochs: v.epochs, lr: 0.1, l2: v.l2, seed, sampleWeight: weights });
  return (d) => model.decision(row(pick(d), sc.mean.has(d.lang) ? d.lang : 'en', sc));
}

/** Fits the variant on the English training part (plus pooled languages) with its tuned decision rule. */
function fitWithRule(v: Variant, enTrain: TrainDoc[], pooled: TrainDoc[], table: Table, labels: string[], seed: number, ng: NgFold[]): (d: TrainDoc) => number {
  const full = fit(v, [...enTrain, ...pooled], table, labels, seed, ng);
  if (v.rule === 'raw') return (d) => { const s = full(d); let b = 0; for (let l = 1; l < s.length; l++) if (s[l] > s[b]) b = l; return b; };
  const oof: Float64Array[] = [];
  const gold: number[] = [];
  for (let rep = 0; rep < (v.innerReps ?? 1); rep++) {
    const inner = stratifiedFolds(enTrain, 4, seed + 6 + 100 * rep, 'multiclass');
    const part = new Array<Float64Array>(enTrain.length);
    for (let f = 0; f < 4; f++) {
      const m = fit(v, [...enTrain.filter((_, i) => inner[i] !== f), ...pooled], table, labels, seed + rep, ng);
      enTrain.forEach((d, i) => { if (inner[i] === f) part[i] = m(d); });
    }
    oof.push(...part);
    gold.push(...enTrain.map((d) => d.y[0]));
  }
  const platt = labels.map((_, l) => fitPlattSafe(oof.map((s) => s[l]), gold.map((y) => (y === l ? 1 : 0))));
  const logPriorShift = tuneLogShifts(gold, oof, platt, labels);
  const cal = { submodel: 'x', platt, logPriorShift };
  return (d) => decide('multiclass', full(d), cal).chosen[0];
}

export function evaluateVariant(v: Variant, docs: TrainDoc[], en: TrainDoc[], assign: number[], k: number, table: Table, labels: string[], seed: number, ngCaches: Record<string, NgCache> = {}) {
  const pooled = docs.filter((d) => v.pool.includes(d.lang));
  const pred = new Array<number>(en.length);
  for (let f = 0; f < k; f++) {
    const ng = (v.ngram ?? []).map((kind) => {
      const c = ngCaches[kind]?.[`${seed - 1}/${f}`];
      if (!c) throw new Error(`no ${kind} n-gram scores for rep ${seed} fold ${f + 1}: run explore.ts --ngram ${kind} first`);
      return c;
    });
    const decideFn = fitWithRule(v, en.filter((_, i) => assign[i] !== f), pooled, table, labels, seed, ng);
    en.forEach((d, i) => { if (assign[i] === f) pred[i] = decideFn(d); });
  }
  const names = (idx: number[]) => ({ gold: idx.map((i) => [labels[en[i].y[0]]]), pred: idx.map((i) => [labels[pred[i]]]) });
  const folds: number[] = [];
  for (let f = 0; f < k; f++) {
    const n = names(en.map((_, i) => i).filter((i) => assign[i] === f));
    folds.push(officialScore('multiclass', labels, n.gold, n.pred));
  }
  const all = names(en.map((_, i) => i));
  return { folds, pooled: officialScore('multiclass', labels, all.gold, all.pred), perClass: perLabelF1('multiclass', labels, all.gold, all.pred), pred };
}

/** Trains the variant on every English article (plus pooled languages) and labels `texts` (the wire check). */
export function labelTexts(v: Variant, docs: TrainDoc[], table: Table, labels: string[], texts: string[]): Record<string, number> {
  const en = docs.filter((d) => d.lang === 'en');
  const pooled = docs.filter((d) => v.pool.includes(d.lang));
  const fn = fitWithRule(v, en, pooled, table, labels, 1, []);
  const counts: Record<string, number> = {};
  texts.forEach((text, i) => {
    const id = `wire:${i}`;
    table.set(id, genreFeatures(text));
    const l = labels[fn({ id, lang: 'en', text, y: [0] })];
    counts[l] = (counts[l] ?? 0) + 1;
  });
  return counts;
}
