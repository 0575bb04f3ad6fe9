/**
 * Style-feature genre models evaluated by explore.ts: which articles train
 * them (English only, or every language pooled), how features are
 * standardised, and the decision rule (Platt + macro-F1-tuned class shifts,
 * fitted on inner out-of-fold scores of the English training part).
 */
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { rng } from '../../ml/rng.ts';
import { decide } from '../frames/docmodel.ts';
import { DocModel } from '../frames/docmodel.ts';
import { fitPlattSafe, hashDocs, officialScore, perLabelF1, stratifiedFolds, trainDocModel, type DocTrainOptions, type TrainDoc } from '../frames/train.ts';
import { GENRE_FEATURES, genreFeatures } from './features.ts';
import { QUOTE_FEATURES } from './quote-features.ts';
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

/** Column names of the feature table: the style features, then any extra columns added by addColumns. */
export const COLUMNS: string[] = [...GENRE_FEATURES];
/** Computes the extra columns for a text outside the table (the wire check), in COLUMNS order. */
const extraFns: ((text: string) => number[])[] = [];

export function featureTable(docs: TrainDoc[]): Table {
  return new Map(docs.map((d) => [d.id, genreFeatures(d.text, d.lang)]));
}

/**
 * Appends named columns to every row of `table` (`rows[id]`; articles without
 * a row get zeros) and registers how to compute them for a new text.
 */
export function addColumns(table: Table, names: readonly string[], rows: Record<string, number[]>, forText: (text: string) => number[]): void {
  for (const [id, x] of table) x.push(...(rows[id] ?? new Array<number>(names.length).fill(0)));
  COLUMNS.push(...names);
  extraFns.push(forText);
}

/** The table row of a new text: style features, then every registered extra column. */
export function rowFor(text: string): number[] {
  return [...genreFeatures(text), ...extraFns.flatMap((f) => f(text))];
}

/**
 * Inputs fitted on a training part (e.g. class-centroid similarities of
 * document vectors): `train` holds the rows of the training articles, computed
 * without each article's own label (leave-one-out), and `apply` the row of any
 * other article.
 */
export interface Derived {
  width: number;
  fit(train: TrainDoc[]): { train: Map<string, number[]>; apply: (d: TrainDoc) => number[] };
}
export const DERIVED: Record<string, Derived> = {};

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
  /** Fold-fitted inputs (names in DERIVED). */
  derived?: readonly string[];
  /** Scale of the standardised derived inputs (default 1). */
  derivedScale?: number;
  /** Bootstrap models averaged (default: one model on the whole training part). */
  bags?: number;
  /** Scale of the standardised inputs whose column name starts with a given prefix (default 1). */
  shrink?: Record<string, number>;
}

/** Column names prefix0 … prefix(n-1). */
const cols = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const OTHERS = ['fr', 'de', 'it', 'pl', 'ru'];
const base: Variant = { features: STACK_FEATURE_SETS.robust, pool: [], poolWeight: 1, l2: 3e-2, epochs: 60, balanced: true, rule: 'tuned', innerReps: 1 };
const INDEP = ['log_words', 'log_paragraphs', 'words_per_sentence', 'words_per_paragraph', 'quoted_sentences', 'quote_marks', 'question_sentences', 'exclamation_sentences', 'title_question_or_exclamation', 'dateline', 'numbers', 'percentages', 'capitalised_inner_words', 'all_caps_words', 'parentheses', 'long_words', 'type_token_ratio', 'links_and_handles'];

export const VARIANTS: Record<string, Variant> = {
  'en-robust': base,
  'en-all': { ...base, features: GENRE_FEATURES },
  'en-indep': { ...base, features: INDEP },
  'en-robust-inner3': { ...base, innerReps: 3 },
  'en-robust-inner5': { ...base, innerReps: 5 },
  'vec-body': { ...base, innerReps: 5, features: cols('v_body_', 100) },
  'vec-body+title': { ...base, innerReps: 5, features: [...cols('v_body_', 100), ...cols('v_title_', 100)] },
  'robust+vecbody': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...cols('v_body_', 100)] },
  'robust+vecbody-s03': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...cols('v_body_', 100)], shrink: { v_body_: 0.3 } },
  'robust+cos': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, 'v_title_body_cos', 'v_lede_body_cos', 'v_title_lede_cos', 'v_known_share'] },
  'robust+clusters': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...cols('v_cluster_', 64)] },
  'robust+clusters-s03': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...cols('v_cluster_', 64)], shrink: { v_cluster_: 0.3 } },
  'robust+centroid': { ...base, innerReps: 5, derived: ['centroid-body'] },
  'robust+centroid2': { ...base, innerReps: 5, derived: ['centroid-body', 'centroid-title'] },
  'robust+knn': { ...base, innerReps: 5, derived: ['knn3-body'] },
  'robust+knn2': { ...base, innerReps: 5, derived: ['knn3-body', 'knn3-title'] },
  'robust+centroid+knn': { ...base, innerReps: 5, derived: ['centroid-body', 'knn3-body'] },
  'robust+lex': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, 'lex_attribution_rate', 'lex_evaluative_rate', 'lex_intensifier_rate', 'lex_hedge_rate', 'lex_institution_rate'] },
  'robust-lexswap': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust.filter((n) => !['attribution_rate', 'evaluative_rate', 'intensifier_rate', 'hedge_rate', 'institution_rate'].includes(n)), 'lex_attribution_rate', 'lex_evaluative_rate', 'lex_intensifier_rate', 'lex_hedge_rate', 'lex_institution_rate'] },
  'robust+vecmodel': { ...base, innerReps: 5, derived: ['vecmodel-body'] },
  'robust+vecmodel-l2-1e-1': { ...base, innerReps: 5, derived: ['vecmodel-body-l2-1e-1'] },
  'robust+knn-s03': { ...base, innerReps: 5, derived: ['knn3-body'], derivedScale: 0.3 },
  'robust+centroid-s03': { ...base, innerReps: 5, derived: ['centroid-body'], derivedScale: 0.3 },
  'c256-only': { ...base, innerReps: 5, features: cols('c256_', 256) },
  'robust+c256-s03': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...cols('c256_', 256)], shrink: { c256_: 0.3 } },
  'robust-bag8': { ...base, innerReps: 5, bags: 8 },
  'robust+lede': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...['attributed_sentences', 'quoted_sentences', 'first_singular_rate', 'first_plural_rate', 'second_rate', 'evaluative_rate', 'time_rate', 'question_sentences', 'numbers', 'capitalised_inner_words'].map((n) => `lede_${n}`)] },
  'robust+lede4': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, 'lede_attributed_sentences', 'lede_first_singular_rate', 'lede_evaluative_rate', 'lede_time_rate'] },
  'quotes-only': { ...base, innerReps: 5, features: QUOTE_FEATURES },
  'robust+quotes': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, ...QUOTE_FEATURES] },
  'robust+quotes3': { ...base, innerReps: 5, features: [...STACK_FEATURE_SETS.robust, 'q_quoted_char_share', 'q_log_speakers', 'q_person_per100'] },
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
  'stack-char-robust-inner5': { ...base, ngram: ['char'], innerReps: 5 },
  'stack-word-robust': { ...base, ngram: ['word'] },
  'stack-word-robust-inner5': { ...base, ngram: ['word'], innerReps: 5 },
  'stack-both-robust-inner5': { ...base, ngram: ['char', 'word'], innerReps: 5 },
  'stack-char+knn-s03': { ...base, ngram: ['char'], derived: ['knn3-body'], derivedScale: 0.3 },
  'stack-char+knn-s03-inner5': { ...base, ngram: ['char'], derived: ['knn3-body'], derivedScale: 0.3, innerReps: 5 },
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
  const cols = v.features.map((n) => {
    const c = COLUMNS.indexOf(n);
    if (c < 0) throw new Error(`unknown feature column ${n}`);
    return c;
  });
  const der = (v.derived ?? []).map((n) => {
    if (!DERIVED[n]) throw new Error(`unknown derived input ${n}`);
    return DERIVED[n].fit(train);
  });
  const derWidth = (v.derived ?? []).reduce((a, n) => a + DERIVED[n].width, 0);
  const inTrain = new Set(train.map((d) => d.id));
  const derOf = (d: TrainDoc) => der.flatMap((f) => (inTrain.has(d.id) ? f.train.get(d.id)! : f.apply(d)));
  const pick = (d: TrainDoc) => [...cols.map((c) => table.get(d.id)![c]), ...ng.flatMap((n) => n[d.id]), ...derOf(d)];
  const sc = fitScaler(train.map((d) => ({ lang: d.lang, x: pick(d) })));
  if (v.shrink) {
    const f = v.features.map((n) => Object.entries(v.shrink!).find(([p]) => n.startsWith(p))?.[1] ?? 1);
    for (const sd of sc.sd.values()) f.forEach((x, i) => (sd[i] /= x));
  }
  if (derWidth && v.derivedScale !== undefined) {
    // shrink the derived inputs' z-scores: the scaler's sd grows by 1/derivedScale on those columns
    for (const sd of sc.sd.values()) for (let i = sd.length - derWidth; i < sd.length; i++) sd[i] /= v.derivedScale;
  }
  const w0 = train.map((d) => (d.lang === 'en' ? 1 : v.poolWeight));
  let weights = w0;
  if (v.balanced) {
    const tot = labels.map((_, l) => train.reduce((a, d, i) => a + (d.y[0] === l ? w0[i] : 0), 0));
    const present = tot.filter((t) => t > 0).length;
    const all = tot.reduce((a, b) => a + b, 0);
    weights = train.map((d, i) => (w0[i] * all) / (present * tot[d.y[0]]));
  }
  const rows = train.map((d) => row(pick(d), d.lang, sc));
  const width = cols.length + 3 * ng.length + derWidth;
  const models: MultiLabelLogReg[] = [];
  if (!v.bags) models.push(MultiLabelLogReg.train(rows, train.map((d) => d.y), labels, width, { epochs: v.epochs, lr: 0.1, l2: v.l2, seed, sampleWeight: weights }));
  else {
    // bagging: each model sees a bootstrap sample drawn within each class (class sizes kept)
    const rand = rng(seed * 7919 + 17);
    for (let b = 0; b < v.bags; b++) {
      const pickIdx: number[] = [];
      for (let l = 0; l < labels.length; l++) {
        const members = train.map((d, i) => (d.y[0] === l ? i : -1)).filter((i) => i >= 0);
        for (let j = 0; j < members.length; j++) pickIdx.push(members[Math.floor(rand() * members.length)]);
      }
      models.push(MultiLabelLogReg.train(pickIdx.map((i) => rows[i]), pickIdx.map((i) => train[i].y), labels, width, { epochs: v.epochs, lr: 0.1, l2: v.l2, seed: seed + b, sampleWeight: pickIdx.map((i) => weights[i]) }));
    }
  }
  return (d) => {
    const r = row(pick(d), sc.mean.has(d.lang) ? d.lang : 'en', sc);
    const out = models[0].decision(r);
    for (let b = 1; b < models.length; b++) {
      const s = models[b].decision(r);
      for (let l = 0; l < out.length; l++) out[l] += s[l];
    }
    if (models.length > 1) for (let l = 0; l < out.length; l++) out[l] /= models.length;
    return out;
  };
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
    table.set(id, rowFor(text));
    const l = labels[fn({ id, lang: 'en', text, y: [0] })];
    counts[l] = (counts[l] ?? 0) + 1;
  });
  return counts;
}

/** The unit vector stored in `table` under columns `${prefix}0…`, for each article. */
function vectorOf(table: Table, prefix: string): (id: string) => Float32Array {
  const first = COLUMNS.indexOf(`${prefix}0`);
  if (first < 0) throw new Error(`no ${prefix}* columns: run with --extra vec`);
  let dim = 0;
  while (COLUMNS[first + dim] === `${prefix}${dim}`) dim++;
  const memo = new Map<string, Float32Array>();
  return (id) => {
    let v = memo.get(id);
    if (!v) memo.set(id, (v = Float32Array.from(table.get(id)!.slice(first, first + dim))));
    return v;
  };
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Cosine of an article's vector with each class centroid of the training
 * part (a training article's own vector is left out of its class centroid).
 */
export function centroidDerived(table: Table, prefix: string, labels: string[]): Derived {
  const vec = vectorOf(table, prefix);
  return {
    width: labels.length,
    fit(train) {
      const L = labels.length;
      const dim = vec(train[0].id).length;
      const sums = labels.map(() => new Float64Array(dim));
      const n = new Array<number>(L).fill(0);
      for (const d of train) {
        const v = vec(d.id);
        const s = sums[d.y[0]];
        for (let i = 0; i < dim; i++) s[i] += v[i];
        n[d.y[0]]++;
      }
      const cos = (v: Float32Array, s: Float64Array, minus: boolean) => {
        let dp = 0, nn = 0;
        for (let i = 0; i < dim; i++) {
          const c = minus ? s[i] - v[i] : s[i];
          dp += v[i] * c;
          nn += c * c;
        }
        return nn > 0 ? dp / Math.sqrt(nn) : 0;
      };
      const trainRows = new Map(train.map((d) => [d.id, labels.map((_, l) => cos(vec(d.id), sums[l], l === d.y[0]))]));
      return { train: trainRows, apply: (d) => labels.map((_, l) => cos(vec(d.id), sums[l], false)) };
    },
  };
}

/**
 * Per class, the mean cosine of an article's vector with its k most similar
 * training articles of that class (itself excluded): a class-balanced
 * nearest-neighbour score.
 */
export function knnDerived(table: Table, prefix: string, labels: string[], k: number): Derived {
  const vec = vectorOf(table, prefix);
  return {
    width: labels.length,
    fit(train) {
      const byClass = labels.map((_, l) => train.filter((d) => d.y[0] === l).map((d) => ({ id: d.id, v: vec(d.id) })));
      const score = (id: string) => {
        const v = vec(id);
        return byClass.map((members) => {
          const sims = members.filter((m) => m.id !== id).map((m) => dot(v, m.v)).sort((a, b) => b - a).slice(0, k);
          return sims.length ? sims.reduce((a, b) => a + b, 0) / sims.length : 0;
        });
      };
      return { train: new Map(train.map((d) => [d.id, score(d.id)])), apply: (d) => score(d.id) };
    },
  };
}

/**
 * A separate balanced logistic regression over the document-vector columns
 * (`prefixes`), whose three scores join the style inputs: training articles
 * get their out-of-fold scores (an inner `folds`-fold split of the training
 * part), other articles the scores of the model fitted on the whole part.
 */
export function vectorModelDerived(table: Table, prefixes: readonly string[], labels: string[], o: { l2: number; epochs: number; folds: number; seed: number }): Derived {
  const idx = COLUMNS.map((n, i) => (prefixes.some((p) => n.startsWith(p)) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) throw new Error(`no columns ${prefixes.join(', ')}: run with --extra vec`);
  const x = (id: string) => idx.map((i) => table.get(id)![i]);
  const fitLr = (train: TrainDoc[]) => {
    const rows = train.map((d) => ({ lang: 'en', x: x(d.id) }));
    const sc = fitScaler(rows);
    const count = labels.map((_, l) => train.filter((d) => d.y[0] === l).length);
    const present = count.filter((c) => c > 0).length;
    const sampleWeight = train.map((d) => train.length / (present * count[d.y[0]]));
    const m = MultiLabelLogReg.train(rows.map((r) => row(r.x, 'en', sc)), train.map((d) => d.y), labels, idx.length, { epochs: o.epochs, lr: 0.1, l2: o.l2, seed: o.seed, sampleWeight });
    return (id: string) => Array.from(m.decision(row(x(id), 'en', sc)));
  };
  return {
    width: labels.length,
    fit(train) {
      const full = fitLr(train);
      const folds = stratifiedFolds(train, o.folds, o.seed + 3, 'multiclass');
      const oof = new Map<string, number[]>();
      for (let f = 0; f < o.folds; f++) {
        const m = fitLr(train.filter((_, i) => folds[i] !== f));
        train.forEach((d, i) => { if (folds[i] === f) oof.set(d.id, m(d.id)); });
      }
      return { train: oof, apply: (d) => full(d.id) };
    },
  };
}
