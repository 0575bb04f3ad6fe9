/**
 * Token features for the attribution tagger. Each token of a unit (a
 * quote-aware sentence) gets a list of hashed feature ids; the rule
 * extractor's own reading of the unit (source / cue / content / none) is one
 * of the features, so the tagger learns when to trust the rules and where to
 * go beyond them (cues outside the word lists, other boundaries).
 */
import type { Span } from '../../../document/types.ts';
import type { Draft, Tok, Unit } from '../extract.ts';
import { LEXICON } from '../lexicon.ts';
import { fmix as fmixExt, hashString } from '../../../models/ner/hash.ts';
import type { Weights } from './model.ts';
import { cosine, loadWordVectors, unitLength } from './vectors.ts';
import { clauseAnchor, loadPropensity, SIGNALS, type PropensityTable } from './propensity.ts';

/** Number of labels (model.ts LABELS; not imported, model.ts imports this module). */
const L = 7;

export const FEATURE_VERSION = 3;
export const HASH_BITS = 19;
/** Room for the features of one token. */
const STRIDE = 64;
const MASK = (1 << HASH_BITS) - 1;

/**
 * Features read from the pretrained word vectors (MEANING_IN_USE until a model is loaded; a model
 * file's header says which it was trained with, and loading it turns those on).
 */
export interface MeaningFeatures {
  /** Word-cluster features: [relative position, cluster level] pairs (level indexes wv.levels). */
  clusters: [number, number][];
  /** Cue-likeness of a word: cosine to the centroid of the cue words, or the best cosine to any of them. */
  cueLike: 'none' | 'centroid' | 'max';
  /** Relative positions that see a word's cue-likeness bucket. */
  cueLikeAt: number[];
  /** Cue words (forms that head gold cues in training data) that define cue-likeness. */
  cueWords: string[];
  /** A word with cue-likeness bucket ≥ this counts as cue-like: it makes a unit worth tagging and
   *  anchors the distance-to-cue features (0: off). */
  prefilter: number;
  /** Also the cue-likeness bucket joined with the word's PolNeAR cue-ratio bucket (at position 0). */
  cueLikeConj?: boolean;
  /** Context conjunctions of the word's cluster at this level (with the rule reading, the quotation
   *  state, the neighbours' clusters, the distance to the nearest cue-like word); -1 or absent: off. */
  clusterConj?: number;
  /** Dense features: the word's vector times this factor, one weight per label and dimension (0 or absent: off). */
  dense?: number;
  /** Relative positions whose word vector each token sees (absent: [0], the token's own word). */
  denseAt?: number[];
  /** Separate dense weights by the token's rule reading (4 groups) or quotation state (2); absent: one set. */
  denseBy?: 'rule' | 'quote';
  /**
   * Complement-taking propensity of the word (propensity.ts): its lift bucket for each of the seven
   * signals, and the largest of the four clause signals, as word-only features (0 or absent: off).
   */
  ctp?: number;
  /** Relative positions that see a word's propensity buckets (absent: [0]). */
  ctpAt?: number[];
}

export const NO_MEANING: MeaningFeatures = { clusters: [], cueLike: 'none', cueLikeAt: [], cueWords: [], prefilter: 0 };
/**
 * The set in use (what `unspin train quotes` trains with): the dense vector of the token's own
 * word, times 3. Chosen on held-out tenths of PolNeAR train (README, "What was tried").
 */
export const MEANING_IN_USE: MeaningFeatures = { ...NO_MEANING, dense: 3 };
let meaning: MeaningFeatures = MEANING_IN_USE;
let cueProto: Float32Array[] = [];

/** True when a set reads nothing from the word vectors. */
export function meaningOff(m: MeaningFeatures): boolean {
  return m.clusters.length === 0 && m.cueLike === 'none' && !m.dense && !m.ctp && (m.clusterConj ?? -1) < 0 && !(m.prefilter > 0 && m.cueLike !== 'none');
}

let ctpTable: PropensityTable | null = null;
/** Word infos of the words that anchor the cue distances (ctp 2; kept apart so that word infos keep one shape). */
const anchorWords = new Set<WordInfo>();
const CTP_DEFAULT = new Uint8Array(SIGNALS).fill(3);
/**
 * The propensity table the ctp features read (null: the file `propensity.ts --build` writes, read
 * when first needed); experiments set one counted without the held-out texts. Clears the per-word caches.
 */
export function setPropensityTable(t: PropensityTable | null): void {
  ctpTable = t;
  infoCache.clear();
  anchorWords.clear();
}

/** Turns the vector features on or off (clears the per-word caches). */
export function setMeaningFeatures(m: MeaningFeatures | undefined): void {
  meaning = m ?? NO_MEANING;
  infoCache.clear();
  anchorWords.clear();
  cueProto = [];
  if (meaningOff(meaning)) return;
  const wv = loadWordVectors();
  const vecs = meaning.cueWords.map((w) => wv.id(w)).filter((id) => id >= 0).map((id) => wv.vector(id));
  if (meaning.cueLike === 'centroid' && vecs.length > 0) {
    const c = new Float32Array(wv.dim);
    for (const v of vecs) for (let d = 0; d < c.length; d++) c[d] += v[d];
    cueProto = [unitLength(c)];
  } else cueProto = vecs;
}

/** Cue words for cue-likeness: forms heading at least `minCue` gold cues and a gold cue in ≥ `minRatio` of their occurrences. */
export function cueWordsFrom(rows: Iterable<{ form: string; cue: number; occ: number }>, minCue = 3, minRatio = 0.25): string[] {
  const out: string[] = [];
  for (const r of rows) if (r.cue >= minCue && r.cue / Math.max(1, r.occ) >= minRatio) out.push(r.form);
  return out.sort();
}

export function getMeaningFeatures(): MeaningFeatures {
  return meaning;
}

/** Cue-likeness bucket: 0 unknown word, 1 … 7 by cosine (< .3, .3, .4, .5, .6, .7, ≥ .8). */
function cueLikeBucket(id: number): number {
  if (id < 0 || cueProto.length === 0) return 0;
  const wv = loadWordVectors();
  const v = wv.vector(id);
  let best = -1;
  for (const p of cueProto) best = Math.max(best, cosine(v, p));
  return best < 0.3 ? 1 : Math.min(7, 2 + Math.floor((best - 0.3) * 10));
}

// FNV-1a, the same string hash the NER tagger uses.
export { hashString };

const fmix = fmixExt;
function mix(a: number, b: number): number {
  return fmix((a ^ Math.imul(b + 0x9e3779b1, 0x85ebca6b)) >>> 0);
}

const f1 = (t: number, a: number) => mix(t, a) & MASK;
const f2 = (t: number, a: number, b: number) => mix(mix(t, a), b) & MASK;
const f3 = (t: number, a: number, b: number, c: number) => mix(mix(mix(t, a), b), c) & MASK;
/** The same ids from a prefix P = mix(t, a) computed beforehand: g1(P, b) = f2(t, a, b), g2(P, b, c) = f3(t, a, b, c). */
const g1 = (P: number, b: number) => mix(P, b) & MASK;
const g2 = (P: number, b: number, c: number) => mix(mix(P, b), c) & MASK;

/**
 * Ids of the templates over small integer arguments, computed once: tabN(t, A, B, C)[(a·B + b)·C + c]
 * is fN(t, a, b, c) for a < A, b < B, c < C (the same ids, without hashing per token).
 */
function tab1(t: number, A: number): Int32Array {
  return Int32Array.from({ length: A }, (_, a) => f1(t, a));
}
function tab2(t: number, A: number, B: number): Int32Array {
  const out = new Int32Array(A * B);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) out[a * B + b] = f2(t, a, b);
  return out;
}
function tab3(t: number, A: number, B: number, C: number): Int32Array {
  const out = new Int32Array(A * B * C);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) out[(a * B + b) * C + c] = f3(t, a, b, c);
  return out;
}
/** Prefixes mix(t, a) for a < A (for g1 / g2). */
function pre1(t: number, A: number): Uint32Array {
  return Uint32Array.from({ length: A }, (_, a) => mix(t, a));
}

/** Rule reading of a token: 0 none, 1 source, 2 cue, 3 content. */
export function ruleTags(unit: Unit, drafts: readonly Draft[]): Uint8Array {
  const tags = new Uint8Array(unit.toks.length);
  const mark = (s: Span | null, v: number) => {
    if (!s) return;
    for (let k = 0; k < unit.toks.length; k++) {
      const t = unit.toks[k];
      if (t.start >= s.start && t.end <= s.end && (tags[k] === 0 || v === 2 || (v === 1 && tags[k] === 3))) tags[k] = v;
    }
  };
  for (const d of drafts) {
    for (const p of d.parts) if (p.end > unit.start && p.start < unit.end) mark(p, 3);
    if (d.source && d.source.end > unit.start && d.source.start < unit.end) mark(d.source, 1);
    if (d.cue && d.cue.end > unit.start && d.cue.start < unit.end) mark(d.cue, 2);
  }
  return tags;
}

const wordHash = new Map<string, number>();
function wh(s: string): number {
  let h = wordHash.get(s);
  if (h === undefined) {
    h = hashString(s);
    if (wordHash.size < 200_000) wordHash.set(s, h);
  }
  return h;
}

/**
 * Word-only templates: each is (template id, relative position o, which hash of the word).
 * A word at position j gives the token at j + o that feature ("word -1" is o = +1: the token
 * after the word sees it as its left neighbour). Their ids are computed once per word form.
 */
type WordField = 'h' | 'suffix' | 'lemma';
const WORD_TEMPLATES: [number, number, WordField][] = [
  [2, 0, 'h'],
  [3, 1, 'h'],
  [4, -1, 'h'],
  [5, 2, 'h'],
  [6, -2, 'h'],
  [22, 0, 'suffix'],
  [29, 3, 'h'],
  [30, -3, 'h'],
  [31, 0, 'lemma'],
];
/** Relative positions run from -REACH to +REACH. */
const REACH = 3;
const SPAN = 2 * REACH + 1;

interface WordInfo {
  h: number;
  suffix: number;
  /** 0 when the word is no listed verb form (then template 31 is absent). */
  lemma: number;
  cue: number;
  pronoun: number;
  /** Cue-likeness bucket from the word vectors (0 when off or unknown). */
  cueLike: number;
  /** Cluster at the conjunction level (hashed; 0 when off). */
  cc: number;
  /** The word's vector times the dense factor (dense features on and the word known), else null. */
  vec?: Float32Array | null;
  /** Dense emission scores of the word per label (model units) for the weights in `denseOf`. */
  denseScores?: Float64Array;
  denseOf?: Weights;
  /** Per relative position o (index o + REACH), the summed emission rows of `ids` for the weights `sumsOf`. */
  sums?: Float64Array;
  sumsOf?: Int16Array | Float32Array;
  /** The same two caches for a second weight set (the second pass of a two-pass model). */
  denseScores2?: Float64Array;
  denseOf2?: Weights;
  sums2?: Float64Array;
  sums2Of?: Int16Array | Float32Array;
  /** Which of the two (1 or 2) was used last (0: neither yet). */
  sumsRecent: number;
  /** Feature ids of the word-only templates, grouped by relative position o (index o + REACH). */
  ids: Int32Array[];
  /** Hash prefixes mix(t, h) of the context templates that start with this word (see g1 / g2). */
  p7: number;
  p8: number;
  p23: number;
  p25: number;
  p26: number;
  p36: number;
  p40: number;
  /** f2(39, h, q) for q = 0 and 1. */
  x39a: number;
  x39b: number;
  /** The same for the second pass's word-bearing templates (209 … 212). */
  s209: number;
  s210: number;
  s211: number;
  s212: number;
}

type WordPrefixes = 'sumsRecent' | 'p7' | 'p8' | 'p23' | 'p25' | 'p26' | 'p36' | 'p40' | 'x39a' | 'x39b' | 's209' | 's210' | 's211' | 's212';

function withIds(wi: Omit<WordInfo, 'ids' | WordPrefixes>, clusters: number[] = [], ctp: Uint8Array | null = null): WordInfo {
  const lists: number[][] = Array.from({ length: SPAN }, () => []);
  for (const [t, o, field] of WORD_TEMPLATES) {
    const v = wi[field];
    if (field === 'lemma' && !v) continue;
    lists[o + REACH].push(f1(t, v));
  }
  // Vector features: cluster of the word at a level (template 50 + 10·level + o), cue-likeness (80 + o).
  meaning.clusters.forEach(([o, level], i) => lists[o + REACH].push(f1(50 + 10 * level + o + REACH, clusters[i])));
  if (wi.cueLike) for (const o of meaning.cueLikeAt) lists[o + REACH].push(f1(80 + o + REACH, wi.cueLike));
  if (wi.cueLike && meaning.cueLikeConj) lists[REACH].push(f2(90, wi.cueLike, wi.cue));
  // Propensity: one bucket per signal (templates 120 + 10·s + o), the largest clause bucket (190 + o).
  if (ctp) {
    const b = ctp;
    const clause = Math.max(b[0], b[1], b[2], b[3]);
    for (const o of meaning.ctpAt ?? [0]) {
      for (let s = 0; s < b.length; s++) lists[o + REACH].push(f1(120 + 10 * s + o + REACH, b[s]));
      lists[o + REACH].push(f1(190 + o + REACH, clause));
    }
  }
  // Every field written here, in one order, so that all word infos share one object shape (the
  // per-weights caches below are filled in later without changing it).
  return {
    h: wi.h,
    suffix: wi.suffix,
    lemma: wi.lemma,
    cue: wi.cue,
    pronoun: wi.pronoun,
    cueLike: wi.cueLike,
    cc: wi.cc,
    vec: wi.vec ?? null,
    ids: lists.map((l) => Int32Array.from(l)),
    denseScores: undefined,
    denseOf: undefined,
    sums: undefined,
    sumsOf: undefined,
    denseScores2: undefined,
    denseOf2: undefined,
    sums2: undefined,
    sums2Of: undefined,
    sumsRecent: 0,
    p7: mix(7, wi.h),
    p8: mix(8, wi.h),
    p23: mix(23, wi.h),
    p25: mix(25, wi.h),
    p26: mix(26, wi.h),
    p36: mix(36, wi.h),
    p40: mix(40, wi.h),
    x39a: f2(39, wi.h, 0),
    x39b: f2(39, wi.h, 1),
    s209: mix(209, wi.h),
    s210: mix(210, wi.h),
    s211: mix(211, wi.h),
    s212: mix(212, wi.h),
  };
}

const BOS = 0x1234567;
const EOS = 0x7654321;
/** The virtual words before and after a unit. */
// Only the word-hash neighbour templates apply to the virtual words.
const BOS_INFO = withIds({ h: BOS, suffix: 0, lemma: 0, cue: 99, pronoun: 0, cueLike: 0, cc: BOS });
const EOS_INFO = withIds({ h: EOS, suffix: 0, lemma: 0, cue: 99, pronoun: 0, cueLike: 0, cc: EOS });
for (const [v, keep] of [
  [BOS_INFO, (o: number) => o > 0],
  [EOS_INFO, (o: number) => o < 0],
] as const) {
  for (let o = -REACH; o <= REACH; o++) if (!keep(o)) v.ids[o + REACH] = new Int32Array(0);
}

const infoCache = new Map<string, WordInfo>();
function wordInfo(norm: string): WordInfo {
  let wi = infoCache.get(norm);
  if (!wi) {
    const lemma = LEXICON.verbForms.get(norm);
    let cueLike = 0;
    let clusters: number[] = [];
    let vec: Float32Array | null = null;
    let cc = 0;
    let ctp: Uint8Array | null = null;
    if (meaning.ctp && !/^[^a-z]*$/.test(norm)) ctp = (ctpTable ?? loadPropensity()).get(norm) ?? CTP_DEFAULT;
    if (!meaningOff(meaning)) {
      const wv = loadWordVectors();
      const id = wv.id(norm);
      const cl = meaning.clusterConj ?? -1;
      if (cl >= 0) cc = id < 0 ? wh(norm) : 0x5000 + wv.cluster(id, cl);
      if (meaning.dense && id >= 0) {
        vec = wv.vector(id);
        for (let d = 0; d < vec.length; d++) vec[d] *= meaning.dense;
      }
      cueLike = meaning.cueLike === 'none' ? 0 : cueLikeBucket(id);
      clusters = meaning.clusters.map(([, level]) => (id < 0 ? 0xffff : wv.cluster(id, level)));
    }
    wi = withIds(
      {
        h: wh(norm),
        suffix: wh('~' + (norm.length > 3 ? norm.slice(-3) : norm)),
        lemma: lemma ? wh('L:' + lemma) : 0,
        cue: cueBucket(norm),
        pronoun: LEXICON.pronouns.has(norm) ? 1 : 0,
        cueLike,
        cc,
        vec,
      },
      clusters,
      ctp,
    );
    if (meaning.ctp === 2 && ctp && clauseAnchor(ctp)) anchorWords.add(wi);
    if (infoCache.size < 200_000) infoCache.set(norm, wi);
  }
  return wi;
}

export function cueBucket(norm: string): number {
  const d = LEXICON.derived.get(norm);
  let b = 0;
  if (d) {
    const r = d.cue / Math.max(1, d.occ);
    b = r >= 0.7 ? 5 : r >= 0.45 ? 4 : r >= 0.25 ? 3 : r >= 0.1 ? 2 : 1;
  }
  if (LEXICON.verbForms.has(norm)) b += 8;
  return b;
}

function shape(text: string, t: Tok): number {
  if (!t.word) return 1;
  const c = text.charCodeAt(t.start);
  if (c >= 48 && c <= 57) return 2;
  if (t.cap) {
    const c2 = text.charCodeAt(t.start + 1);
    return c2 >= 65 && c2 <= 90 ? 3 : 4;
  }
  return 5;
}

/**
 * Can the tagger find a cue in this unit at all? Units without a cue-like word (a listed
 * verb, a form that heads a PolNeAR cue at least 10% of the time), a rule reading, a colon
 * or a dash are skipped: the tagger has nothing to attach content to there.
 */
export function worthTagging(unit: Unit, rules: Uint8Array): boolean {
  for (let k = 0; k < unit.toks.length; k++) {
    const t = unit.toks[k];
    // Rule content alone is no reason: without a cue in the unit the tagger's content is dropped.
    if (rules[k] === 1 || rules[k] === 2) return true;
    if (!t.word) {
      if (t.norm === ':' || t.norm === '—' || t.norm === '―') return true;
      continue;
    }
    if (t.region >= 0) continue;
    const b = cueBucket(t.norm);
    if (b >= 8 || (b & 7) >= 3) return true;
    if (meaning.prefilter > 0 && wordInfo(t.norm).cueLike >= meaning.prefilter) return true;
  }
  return false;
}

/** Receives the context features of one token: `buf[0..len)` are its feature ids. */
type Sink = (k: number, buf: Int32Array, len: number) => void;

const scratch = new Int32Array(STRIDE);
let wPool = new Uint32Array(512);
let iPool = new Int32Array(6 * 512);

/** Distance bucket (-1: none). */
function dist(d: number): number {
  return d < 0 ? 0 : d <= 1 ? 1 : d <= 3 ? 2 : d <= 6 ? 3 : d <= 12 ? 4 : 5;
}

/**
 * Precomputed ids of the context templates over small arguments (see tab1 … pre1). Bounds: shape
 * 1 … 5, cue bucket < 32 (99 beyond the unit's edge), rule reading < 4 (9 beyond the edge),
 * distance bucket < 6, length bucket < 9.
 */
const T = {
  t9: tab1(9, 6),
  t10: tab2(10, 32, 2),
  t11: tab1(11, 100),
  t12: tab1(12, 100),
  t13: tab2(13, 2, 3),
  t14: tab1(14, 4),
  t15: tab3(15, 10, 4, 10),
  t16: tab2(16, 4, 2),
  p17: pre1(17, 4),
  t18: tab2(18, 6, 6),
  t19: tab3(19, 6, 6, 2),
  t20: tab1(20, 6),
  t21: tab2(21, 2, 2),
  p24: pre1(24, 32),
  t27: tab2(27, 2, 2),
  t28: tab2(28, 2, 10),
  t32: tab3(32, 6, 6, 3),
  t33: tab3(33, 6, 6, 4),
  t34: tab2(34, 2, 2),
  t35: tab3(35, 2, 2, 2),
  t37: tab3(37, 100, 32, 2),
  t38: tab2(38, 9, 2),
  t41: tab2(41, 4, 6),
  p42: pre1(42, 4),
};

/** A word that takes clauses in unlabeled news (ctp 2) anchors the cue distances like a cue-like word. */
function markAnchors(toks: Tok[], info: WordInfo[], cb: Int32Array): void {
  for (let k = 0; k < toks.length; k++) {
    if (anchorWords.has(info[k]) && toks[k].word && toks[k].region < 0 && (cb[k] & 7) < 3 && cb[k] < 8 && cb[k] < 16) cb[k] = (cb[k] & 8) | 3 | 16;
  }
}

/**
 * The context templates (everything but the word-only templates): computes the ids of every
 * token in turn into one scratch buffer and hands them to `sink`.
 */
function contextFeatures(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean, info: WordInfo[], sink: Sink): void {
  const toks = unit.toks;
  const n = toks.length;
  // Per-token arrays live in reused scratch memory; every element is written before it is read.
  if (wPool.length < n) {
    wPool = new Uint32Array(2 * n);
    iPool = new Int32Array(6 * 2 * n);
  }
  const w = wPool.subarray(0, n);
  const cb = iPool.subarray(0, n);
  const pre = meaning.prefilter;
  for (let k = 0; k < n; k++) {
    w[k] = info[k].h;
    cb[k] = toks[k].word ? info[k].cue : 0;
    // A word the vectors place near the cue words anchors the distance features like a listed cue.
    if (pre > 0 && toks[k].word && toks[k].region < 0 && info[k].cueLike >= pre && (cb[k] & 7) < 3 && cb[k] < 8) cb[k] = (cb[k] & 8) | 3 | 16;
  }
  if (meaning.ctp === 2) markAnchors(toks, info, cb);
  // Nearest strong cue-like word to the left / right (distance bucket).
  const leftCue = iPool.subarray(n, 2 * n);
  const rightCue = iPool.subarray(2 * n, 3 * n);
  let last = -1;
  for (let k = 0; k < n; k++) {
    leftCue[k] = last;
    if ((cb[k] & 7) >= 3 || cb[k] >= 8) last = k;
  }
  last = -1;
  for (let k = n - 1; k >= 0; k--) {
    rightCue[k] = last;
    if ((cb[k] & 7) >= 3 || cb[k] >= 8) last = k;
  }
  // Nearest rule cue to the left / right, commas and "that" between.
  const ruleLeft = iPool.subarray(3 * n, 4 * n);
  const ruleRight = iPool.subarray(4 * n, 5 * n);
  const commasLeft = iPool.subarray(5 * n, 6 * n);
  last = -1;
  let commas = 0;
  for (let k = 0; k < n; k++) {
    ruleLeft[k] = last;
    commasLeft[k] = commas;
    if (rules[k] === 2) {
      last = k;
      commas = 0;
    }
    if (!toks[k].word && toks[k].norm === ',' && toks[k].region < 0) commas++;
  }
  last = -1;
  for (let k = n - 1; k >= 0; k--) {
    ruleRight[k] = last;
    if (rules[k] === 2) last = k;
  }
  const startsWithQuote = n > 0 && toks[0].open ? 1 : 0;
  const buf = scratch;
  const bias = f1(1, 0);
  const lenBucket = n < 6 ? n : n < 12 ? 6 : n < 25 ? 7 : 8;
  const conj = (meaning.clusterConj ?? -1) >= 0;
  for (let k = 0; k < n; k++) {
    const t = toks[k];
    let p = 0;
    const wk = w[k];
    const wm1 = k > 0 ? w[k - 1] : BOS;
    const wp1 = k + 1 < n ? w[k + 1] : EOS;
    const q = t.region >= 0 ? 1 : 0;
    const r = rules[k];
    const rm1 = k > 0 ? rules[k - 1] : 9;
    const rp1 = k + 1 < n ? rules[k + 1] : 9;
    const sh = shape(text, t);
    const cbk = cb[k];
    const cbm1 = k > 0 ? cb[k - 1] : 99;
    const cbp1 = k + 1 < n ? cb[k + 1] : 99;
    const dl = dist(leftCue[k] < 0 ? -1 : k - leftCue[k]);
    const dr = dist(rightCue[k] < 0 ? -1 : rightCue[k] - k);
    const rl = dist(ruleLeft[k] < 0 ? -1 : k - ruleLeft[k]);
    const rr = dist(ruleRight[k] < 0 ? -1 : ruleRight[k] - k);
    // The same ids as f1 / f2 / f3 of each template (noted on the right), from precomputed tables
    // (small arguments) and per-word prefixes (word arguments).
    const ik = info[k];
    const im1 = k > 0 ? info[k - 1] : BOS_INFO;
    buf[p++] = bias; // 1
    buf[p++] = g1(im1.p7, wk); // f2(7, wm1, wk)
    buf[p++] = g1(ik.p8, wp1); // f2(8, wk, wp1)
    buf[p++] = T.t9[sh]; // f1(9, sh)
    buf[p++] = T.t10[cbk * 2 + q]; // f2(10, cbk, q)
    buf[p++] = T.t11[cbm1]; // f1(11, cbm1)
    buf[p++] = T.t12[cbp1]; // f1(12, cbp1)
    buf[p++] = T.t13[q * 3 + (t.open ? 1 : t.close ? 2 : 0)]; // f2(13, q, open/close)
    buf[p++] = T.t14[r]; // f1(14, r)
    buf[p++] = T.t15[(rm1 * 4 + r) * 10 + rp1]; // f3(15, rm1, r, rp1)
    buf[p++] = T.t16[r * 2 + q]; // f2(16, r, q)
    buf[p++] = g1(T.p17[r], wk); // f2(17, r, wk)
    buf[p++] = T.t18[dl * 6 + dr]; // f2(18, dl, dr)
    buf[p++] = T.t19[(dl * 6 + dr) * 2 + q]; // f3(19, dl, dr, q)
    buf[p++] = T.t20[k === 0 ? 1 : k === n - 1 ? 2 : k < 3 ? 3 : n - k < 4 ? 4 : 5]; // f1(20, position)
    buf[p++] = T.t21[(paragraphStart ? 2 : 0) + (k === 0 ? 1 : 0)]; // f2(21, paragraph start, first)
    buf[p++] = g1(im1.p23, cbk); // f2(23, wm1, cbk)
    buf[p++] = g1(T.p24[cbk], wp1); // f2(24, cbk, wp1)
    if (leftCue[k] >= 0) buf[p++] = g1(info[leftCue[k]].p25, dist(k - leftCue[k])); // f2(25, w[leftCue], d)
    if (rightCue[k] >= 0) buf[p++] = g1(info[rightCue[k]].p26, dist(rightCue[k] - k)); // f2(26, w[rightCue], d)
    buf[p++] = T.t27[(k > 0 && toks[k - 1].region >= 0 ? 2 : 0) + q]; // f2(27, after a quotation, q)
    buf[p++] = T.t28[ik.pronoun * 10 + rp1]; // f2(28, pronoun, rp1)
    buf[p++] = T.t32[(rl * 6 + rr) * 3 + Math.min(commasLeft[k], 2)]; // f3(32, rl, rr, commas)
    buf[p++] = T.t33[(rl * 6 + rr) * 4 + r]; // f3(33, rl, rr, r)
    buf[p++] = T.t34[startsWithQuote * 2 + q]; // f2(34, starts with a quotation mark, q)
    buf[p++] = T.t35[((t.cap ? 2 : 0) + (k > 0 && toks[k - 1].cap ? 1 : 0)) * 2 + (k + 1 < n && toks[k + 1].cap ? 1 : 0)]; // f3(35, caps)
    buf[p++] = g1(ik.p36, cbp1); // f2(36, wk, cbp1)
    buf[p++] = T.t37[(cbm1 * 32 + cbk) * 2 + q]; // f3(37, cbm1, cbk, q)
    buf[p++] = T.t38[lenBucket * 2 + q]; // f2(38, lenBucket, q)
    buf[p++] = q ? ik.x39b : ik.x39a; // f2(39, wk, q)
    buf[p++] = g2((k > 1 ? info[k - 2] : BOS_INFO).p40, wm1, 0); // f3(40, wm2, wm1, 0)
    buf[p++] = T.t41[r * 6 + sh]; // f2(41, r, sh)
    buf[p++] = g1(T.p42[r], wm1); // f2(42, r, wm1)
    if (conj) {
      // The word's cluster (its own form when unknown to the vectors) in context.
      const c = info[k].cc;
      const cm1 = k > 0 ? info[k - 1].cc : BOS;
      const cp1 = k + 1 < n ? info[k + 1].cc : EOS;
      buf[p++] = f2(91, c, r);
      buf[p++] = f2(92, c, q);
      buf[p++] = f2(93, cm1, c);
      buf[p++] = f2(94, c, cp1);
      buf[p++] = f3(95, c, dl, dr);
      buf[p++] = f3(96, c, rl, rr);
    }
    sink(k, buf, p);
  }
}

/** The word-only templates' source for token k at relative position o: a word of the unit or a virtual one. */
const around = (info: WordInfo[], j: number): WordInfo => (j < 0 ? BOS_INFO : j >= info.length ? EOS_INFO : info[j]);

function infos(unit: Unit): WordInfo[] {
  const info = new Array<WordInfo>(unit.toks.length);
  for (let k = 0; k < info.length; k++) info[k] = wordInfo(unit.toks[k].norm);
  return info;
}

/** The dense vectors of a unit's tokens (null where the dense features are off or the word unknown); for training. */
export function unitVectors(unit: Unit): (Float32Array | null)[] {
  return unit.toks.map((t) => (t.word ? (wordInfo(t.norm).vec ?? null) : null));
}

/** Relative positions of the dense features: token k sees the vectors of words k + o. */
export function denseOffsets(): number[] {
  return meaning.denseAt ?? [0];
}

/** Number of dense weight groups (see MeaningFeatures.denseBy). */
export function denseGroupCount(): number {
  return meaning.denseBy === 'rule' ? 4 : meaning.denseBy === 'quote' ? 2 : 1;
}

/** The dense weight group of each token of a unit. */
export function denseGroups(unit: Unit, rules: Uint8Array): Uint8Array {
  const g = new Uint8Array(unit.toks.length);
  if (meaning.denseBy === 'rule') g.set(rules);
  else if (meaning.denseBy === 'quote') for (let k = 0; k < g.length; k++) g[k] = unit.toks[k].region >= 0 ? 1 : 0;
  return g;
}

/** Adds the dense scores (model units: divided by the emission scale) of every token to `em`. */
function addDense(info: WordInfo[], unit: Unit, rules: Uint8Array, w: Weights, em: Float64Array): void {
  const dw = w.dense!;
  const k = w.emitScale ?? 1;
  const offs = denseOffsets();
  const G = denseGroupCount();
  const J = offs.length * G;
  const groups = G > 1 ? denseGroups(unit, rules) : null;
  const n = info.length;
  for (let i = 0; i < n; i++) {
    const wi = info[i];
    if (!wi.vec || !unit.toks[i].word) continue;
    // Per word form: its scores for every offset block (dw is offsets × L × dim).
    let s: Float64Array;
    if (wi.denseOf === w) s = wi.denseScores!;
    else if (wi.denseOf2 === w) s = wi.denseScores2!;
    else {
      // Per word form: its scores for every offset block (dw is offsets × L × dim); two weight sets kept.
      const v = wi.vec;
      const dim = v.length;
      s = new Float64Array(J * L);
      for (let r = 0; r < J * L; r++) {
        let x = 0;
        for (let d = 0; d < dim; d++) x += dw[r * dim + d] * v[d];
        s[r] = x / k;
      }
      if (wi.denseOf === undefined || wi.denseOf2 !== undefined) {
        wi.denseScores = s;
        wi.denseOf = w;
      } else {
        wi.denseScores2 = s;
        wi.denseOf2 = w;
      }
    }
    for (let j = 0; j < offs.length; j++) {
      const t = i - offs[j];
      if (t < 0 || t >= n) continue;
      const b = (j * G + (groups ? groups[t] : 0)) * L;
      for (let l = 0; l < L; l++) em[t * L + l] += s[b + l];
    }
  }
}

/** Feature ids of every token of a unit (same order as unit.toks); used for training. */
export function unitFeatures(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean): Int32Array[] {
  const info = infos(unit);
  const out: Int32Array[] = [];
  contextFeatures(text, unit, rules, paragraphStart, info, (k, buf, len) => {
    let m = len;
    for (let o = -REACH; o <= REACH; o++) m += around(info, k - o).ids[o + REACH].length;
    const f = new Int32Array(m);
    f.set(buf.subarray(0, len));
    let p = len;
    for (let o = -REACH; o <= REACH; o++) {
      const ids = around(info, k - o).ids[o + REACH];
      f.set(ids, p);
      p += ids.length;
    }
    out.push(f);
  });
  return out;
}

// --- inference: emission sums without materialising feature lists.

/** Adds the emission rows of the first `len` feature ids to out[at … at+L). */
export function rowSums(emit: Int16Array | Float32Array, ids: Int32Array, len: number, out: Float64Array, at: number): void {
  rowSumsFrom(emit, ids, 0, len, out, at);
}

/** rowSums over ids[from … from+len). */
function rowSumsFrom(emit: Int16Array | Float32Array, ids: Int32Array, from: number, len: number, out: Float64Array, at: number): void {
  let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0;
  for (let j = from, end = from + len; j < end; j++) {
    const b = ids[j] * L;
    e0 += emit[b];
    e1 += emit[b + 1];
    e2 += emit[b + 2];
    e3 += emit[b + 3];
    e4 += emit[b + 4];
    e5 += emit[b + 5];
    e6 += emit[b + 6];
  }
  out[at] += e0;
  out[at + 1] += e1;
  out[at + 2] += e2;
  out[at + 3] += e3;
  out[at + 4] += e4;
  out[at + 5] += e5;
  out[at + 6] += e6;
}

let emPool = new Float64Array(512 * L);
let emPool2 = new Float64Array(512 * L);

/**
 * Unscaled emission scores (n × L) of a unit's tokens (a view into memory that the next call
 * reuses): the sums of the weight rows of
 * `unitFeatures`' ids (exactly the same for the integer weights of a model file), without
 * building the feature lists.
 */
export function unitEmissions(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean, w: Weights, pool: 1 | 2 = 1, keep = false): Float64Array {
  const emit = w.emit;
  const info = infos(unit);
  const n = info.length;
  // Reused between calls: the caller decodes it before the next unit is scored. Pool 2 (the
  // second pass's scores when it runs apart) leaves the first pass's scores in pool 1 intact.
  if (pool === 1 && emPool.length < n * L) emPool = new Float64Array(2 * n * L);
  if (pool === 2 && emPool2.length < n * L) emPool2 = new Float64Array(2 * n * L);
  const em = (pool === 1 ? emPool : emPool2).subarray(0, n * L);
  em.fill(0);
  if (keep) {
    // Keep the context feature ids, so that a second weight set can score them again (unitEmissionsKept).
    if (keptIds.length < n * STRIDE) {
      keptIds = new Int32Array(2 * n * STRIDE);
      keptLen = new Int32Array(2 * n);
    }
    kept.info = info;
    kept.unit = unit;
  }
  contextFeatures(text, unit, rules, paragraphStart, info, (k, buf, len) => {
    rowSums(emit, buf, len, em, k * L);
    if (keep) {
      const at = k * STRIDE;
      for (let j = 0; j < len; j++) keptIds[at + j] = buf[j];
      keptLen[k] = len;
    }
    // The word-only templates: row sums kept per word form and relative position.
    const at = k * L;
    for (let o = -REACH; o <= REACH; o++) {
      const s = wordSums(around(info, k - o), emit);
      const b = (o + REACH) * L;
      for (let l = 0; l < L; l++) em[at + l] += s[b + l];
    }
  });
  if (w.dense) addDense(info, unit, rules, w, em);
  return em;
}

let keptIds = new Int32Array(512 * STRIDE);
let keptLen = new Int32Array(512);
const kept: { unit: Unit | null; info: WordInfo[] } = { unit: null, info: [] };

/**
 * The emission scores of the unit last scored by `unitEmissions(…, keep = true)` under another
 * weight set (the second pass of a gated two-pass model), from the kept feature ids, without
 * hashing the features again; the same sums as `unitEmissions` under `w`. A view into memory
 * that the next call reuses (pool 2, so the first pass's scores stay intact).
 */
export function unitEmissionsKept(unit: Unit, rules: Uint8Array, w: Weights): Float64Array {
  if (kept.unit !== unit) throw new Error('unitEmissionsKept: the unit was not the last one scored with keep');
  const emit = w.emit;
  const info = kept.info;
  const n = info.length;
  if (emPool2.length < n * L) emPool2 = new Float64Array(2 * n * L);
  const em = emPool2.subarray(0, n * L);
  em.fill(0);
  for (let k = 0; k < n; k++) {
    const at = k * L;
    rowSumsFrom(emit, keptIds, k * STRIDE, keptLen[k], em, at);
    for (let o = -REACH; o <= REACH; o++) {
      const s = wordSums(around(info, k - o), emit);
      const b = (o + REACH) * L;
      for (let l = 0; l < L; l++) em[at + l] += s[b + l];
    }
  }
  if (w.dense) addDense(info, unit, rules, w, em);
  return em;
}

/** Row stride of a paired table: the two passes' rows of one feature side by side, padded to 16 values. */
const PAIR = 16;
const pairCache = new WeakMap<Int16Array | Float32Array, { second: Int16Array | Float32Array; pair: Int16Array | Float32Array }>();

/**
 * The emission tables of both passes interleaved (feature id i: the first pass's row at i·16,
 * the second pass's at i·16 + 8), so that scoring a feature under both reads one cache line
 * instead of two far apart. Built once per pair of tables (about 30 ms, 16 MB for int16 rows).
 */
function pairTable(a: Int16Array | Float32Array, b: Int16Array | Float32Array): Int16Array | Float32Array {
  const hit = pairCache.get(a);
  if (hit && hit.second === b) return hit.pair;
  const rows = Math.min(a.length, b.length) / L;
  const pair = a instanceof Int16Array && b instanceof Int16Array ? new Int16Array(rows * PAIR) : new Float32Array(rows * PAIR);
  for (let i = 0; i < rows; i++) {
    for (let l = 0; l < L; l++) {
      pair[i * PAIR + l] = a[i * L + l];
      pair[i * PAIR + 8 + l] = b[i * L + l];
    }
  }
  pairCache.set(a, { second: b, pair });
  return pair;
}

/** The paired table of a two-pass model's weights (null when the two tables differ in size). */
export function pairedEmit(w: Weights, w2: Weights): Int16Array | Float32Array | null {
  return w.emit.length === w2.emit.length ? pairTable(w.emit, w2.emit) : null;
}

/**
 * Adds the second pass's rows of the first `len` ids to out[at … at+L), read from the paired
 * table (pairedEmit): the same sums as rowSums over the second pass's own table, with only the
 * paired table touched while tagging.
 */
export function rowSumsSecond(pair: Int16Array | Float32Array, ids: Int32Array, len: number, out: Float64Array, at: number): void {
  let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0;
  for (let j = 0; j < len; j++) {
    const b = ids[j] * PAIR + 8;
    e0 += pair[b];
    e1 += pair[b + 1];
    e2 += pair[b + 2];
    e3 += pair[b + 3];
    e4 += pair[b + 4];
    e5 += pair[b + 5];
    e6 += pair[b + 6];
  }
  out[at] += e0;
  out[at + 1] += e1;
  out[at + 2] += e2;
  out[at + 3] += e3;
  out[at + 4] += e4;
  out[at + 5] += e5;
  out[at + 6] += e6;
}

/** rowSums under both passes at once, from a paired table: adds to out1 and out2 at `at`. */
function rowSumsPair(pair: Int16Array | Float32Array, ids: Int32Array, len: number, out1: Float64Array, out2: Float64Array, at: number): void {
  let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0;
  let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0;
  for (let j = 0; j < len; j++) {
    const b = ids[j] * PAIR;
    e0 += pair[b];
    e1 += pair[b + 1];
    e2 += pair[b + 2];
    e3 += pair[b + 3];
    e4 += pair[b + 4];
    e5 += pair[b + 5];
    e6 += pair[b + 6];
    g0 += pair[b + 8];
    g1 += pair[b + 9];
    g2 += pair[b + 10];
    g3 += pair[b + 11];
    g4 += pair[b + 12];
    g5 += pair[b + 13];
    g6 += pair[b + 14];
  }
  out1[at] += e0;
  out1[at + 1] += e1;
  out1[at + 2] += e2;
  out1[at + 3] += e3;
  out1[at + 4] += e4;
  out1[at + 5] += e5;
  out1[at + 6] += e6;
  out2[at] += g0;
  out2[at + 1] += g1;
  out2[at + 2] += g2;
  out2[at + 3] += g3;
  out2[at + 4] += g4;
  out2[at + 5] += g5;
  out2[at + 6] += g6;
}

/**
 * The emission scores of a unit under two weight sets at once (the two passes of a two-pass
 * model share the first pass's features, hashed once): [first, second], views into memory that
 * the next call reuses. Each equals `unitEmissions` under its own weights.
 */
export function unitEmissionsBoth(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean, w: Weights, w2: Weights): [Float64Array, Float64Array] {
  const emit = w.emit;
  const emit2 = w2.emit;
  const info = infos(unit);
  const n = info.length;
  if (emPool.length < n * L) emPool = new Float64Array(2 * n * L);
  if (emPool2.length < n * L) emPool2 = new Float64Array(2 * n * L);
  const em = emPool.subarray(0, n * L);
  const em2 = emPool2.subarray(0, n * L);
  em.fill(0);
  em2.fill(0);
  const pair = pairedEmit(w, w2);
  contextFeatures(text, unit, rules, paragraphStart, info, (k, buf, len) => {
    if (pair) rowSumsPair(pair, buf, len, em, em2, k * L);
    else {
      rowSums(emit, buf, len, em, k * L);
      rowSums(emit2, buf, len, em2, k * L);
    }
    const at = k * L;
    for (let o = -REACH; o <= REACH; o++) {
      const wi = around(info, k - o);
      const s = wordSums(wi, emit);
      const s2 = wordSums(wi, emit2);
      const b = (o + REACH) * L;
      for (let l = 0; l < L; l++) {
        em[at + l] += s[b + l];
        em2[at + l] += s2[b + l];
      }
    }
  });
  if (w.dense) addDense(info, unit, rules, w, em);
  if (w2.dense) addDense(info, unit, rules, w2, em2);
  return [em, em2];
}

/** The summed emission rows of a word's word-only template ids, per relative position (cached on the word). */
function wordSums(wi: WordInfo, emit: Int16Array | Float32Array): Float64Array {
  if (wi.sumsOf === emit) {
    wi.sumsRecent = 1;
    return wi.sums!;
  }
  if (wi.sums2Of === emit) {
    wi.sumsRecent = 2;
    return wi.sums2!;
  }
  // Two weight sets are kept (both passes of a two-pass model); a third replaces the one used
  // less recently, never the one whose sums the caller may still hold (the other pass's).
  const second = wi.sumsOf !== undefined && (wi.sums2Of === undefined || wi.sumsRecent === 1);
  wi.sumsRecent = second ? 2 : 1;
  const s = (second ? wi.sums2 : wi.sums) ?? new Float64Array(SPAN * L);
  s.fill(0);
  for (let o = 0; o < SPAN; o++) rowSums(emit, wi.ids[o], wi.ids[o].length, s, o * L);
  if (second) {
    wi.sums2 = s;
    wi.sums2Of = emit;
  } else {
    wi.sums = s;
    wi.sumsOf = emit;
  }
  return s;
}

// --- second pass (stacking): features of a token read from the first pass's labels.

/** Hash bits of the second pass's own (small) weight table. */
export const STACK_BITS = 18;
const STACK_MASK = (1 << STACK_BITS) - 1;

/** What the second pass reads of a unit besides the first pass's labels (per token). */
export interface StackCtx {
  /** Word hash. */
  h: Uint32Array;
  /** PolNeAR cue-ratio bucket (cueBucket) for words, 0 otherwise. */
  cb: Uint8Array;
  /** 1 inside quotation marks. */
  q: Uint8Array;
  /** The rule reading (ruleTags). */
  rules: Uint8Array;
  /** The word infos of the tokens (their hash prefixes). */
  wi: WordInfo[];
}

export function stackCtx(unit: Unit, rules: Uint8Array): StackCtx {
  const n = unit.toks.length;
  const ctx: StackCtx = { h: new Uint32Array(n), cb: new Uint8Array(n), q: new Uint8Array(n), rules, wi: new Array<WordInfo>(n) };
  for (let k = 0; k < n; k++) {
    const t = unit.toks[k];
    const wi = wordInfo(t.norm);
    ctx.wi[k] = wi;
    ctx.h[k] = wi.h;
    ctx.cb[k] = t.word ? wi.cue : 0;
    ctx.q[k] = t.region >= 0 ? 1 : 0;
  }
  return ctx;
}

/** Which stacked feature groups the second pass reads (a model file's header records them). */
export interface StackOptions {
  /** Word-bearing stacked features (the word or the nearest cue's word with first-pass labels). */
  lex: boolean;
  /** Also the words around the token (for a second pass without the first pass's scores). */
  base: boolean;
}
export const STACK_DEFAULT: StackOptions = { lex: true, base: false };
let stackOpts: StackOptions = STACK_DEFAULT;
export function setStackOptions(o: StackOptions | undefined): void {
  stackOpts = o ?? STACK_DEFAULT;
}
export function getStackOptions(): StackOptions {
  return stackOpts;
}
/** Distance bucket from token k to the nearest token of an element (`near` rows from `at`: left, then right). */
function nearDist(near: Int32Array, at: number, k: number, right: boolean, n: number): number {
  const j = near[at + (right ? n : 0) + k];
  return j < 0 ? 0 : dist(right ? j - k : k - j);
}

/**
 * Precomputed ids of the second pass's templates over small arguments: labels < 7 (9 beyond the
 * unit's edge), distance buckets < 6, rule reading and element < 4, cue bucket < 32, counts < 6.
 */
const S = {
  t200: tab1(200, 7),
  t201: tab2(201, 10, 7),
  t202: tab2(202, 7, 10),
  t203: tab3(203, 10, 10, 7),
  t204: tab3(204, 7, 10, 10),
  t205: tab3(205, 6, 6, 7),
  t206: tab3(206, 6, 6, 7),
  t207: tab3(207, 6, 6, 7),
  t208: tab3(208, 4, 4, 2),
  m210: mix(210, 0),
  m211: mix(211, 0),
  m212: mix(212, 0),
  t213: tab3(213, 6, 7, 2),
  t214: tab2(214, 32, 7),
  t215: f1(215, 0),
};

/** Element of a BIO label: 0 none, 1 source, 2 cue, 3 content. */
const typeOf = (l: number) => (l + 1) >> 1;
let sPool = new Int32Array(8 * 512);
const sBuf = new Int32Array(32);

/**
 * The second pass's features of every token, from the first pass's labels: the labels at
 * 0, ±1, ±2, the distance to the nearest predicted cue, source and content left and right,
 * the head word of the nearest predicted cue on either side (content boundaries differ by
 * cue), agreement with the rule reading, the word with its first-pass label.
 */
export function stackFeatures(ctx: StackCtx, labels: Uint8Array, sink: Sink): void {
  const n = labels.length;
  if (sPool.length < 8 * n) sPool = new Int32Array(16 * n);
  // Nearest token of each element to the left / right (-1 none), and the B token of the nearest cue.
  const near = sPool;
  const cueL = sPool.subarray(6 * n, 7 * n);
  const cueR = sPool.subarray(7 * n, 8 * n);
  for (let e = 1; e <= 3; e++) {
    const L0 = (e - 1) * 2 * n;
    let last = -1;
    for (let k = 0; k < n; k++) {
      near[L0 + k] = last;
      if (typeOf(labels[k]) === e) last = k;
    }
    last = -1;
    for (let k = n - 1; k >= 0; k--) {
      near[L0 + n + k] = last;
      if (typeOf(labels[k]) === e) last = k;
    }
  }
  let lastB = -1;
  for (let k = 0; k < n; k++) {
    cueL[k] = lastB;
    if (labels[k] === 3) lastB = k;
  }
  lastB = -1;
  for (let k = n - 1; k >= 0; k--) {
    cueR[k] = lastB;
    if (labels[k] === 3) lastB = k;
  }
  let cues = 0;
  let sources = 0;
  for (let k = 0; k < n; k++) {
    if (labels[k] === 3) cues++;
    if (labels[k] === 1) sources++;
  }
  const nc = Math.min(cues, 2) * 2 + (sources > 0 ? 1 : 0);
  const buf = sBuf;
  for (let k = 0; k < n; k++) {
    let p = 0;
    const p0 = labels[k];
    const pm1 = k > 0 ? labels[k - 1] : 9;
    const pm2 = k > 1 ? labels[k - 2] : 9;
    const pp1 = k + 1 < n ? labels[k + 1] : 9;
    const pp2 = k + 2 < n ? labels[k + 2] : 9;
    const dcl = nearDist(near, 2 * n, k, false, n);
    const dcr = nearDist(near, 2 * n, k, true, n);
    const q = ctx.q[k];
    const wk = ctx.h[k];
    // The same ids as f1 / f2 / f3 of each template (noted on the right), from precomputed tables
    // and per-word prefixes; the nearest cue's word is 0 when there is none.
    buf[p++] = S.t200[p0]; // f1(200, p0)
    buf[p++] = S.t201[pm1 * 7 + p0]; // f2(201, pm1, p0)
    buf[p++] = S.t202[p0 * 10 + pp1]; // f2(202, p0, pp1)
    buf[p++] = S.t203[(pm2 * 10 + pm1) * 7 + p0]; // f3(203, pm2, pm1, p0)
    buf[p++] = S.t204[(p0 * 10 + pp1) * 10 + pp2]; // f3(204, p0, pp1, pp2)
    buf[p++] = S.t205[(dcl * 6 + dcr) * 7 + p0]; // f3(205, dcl, dcr, p0)
    buf[p++] = S.t206[(nearDist(near, 0, k, false, n) * 6 + nearDist(near, 0, k, true, n)) * 7 + p0]; // f3(206, source distances, p0)
    buf[p++] = S.t207[(nearDist(near, 4 * n, k, false, n) * 6 + nearDist(near, 4 * n, k, true, n)) * 7 + p0]; // f3(207, content distances, p0)
    buf[p++] = S.t208[(ctx.rules[k] * 4 + typeOf(p0)) * 2 + q]; // f3(208, rule reading, element, q)
    if (stackOpts.lex) {
      buf[p++] = g1(ctx.wi[k].s209, p0); // f2(209, wk, p0)
      buf[p++] = g2(cueL[k] >= 0 ? ctx.wi[cueL[k]].s210 : S.m210, dcl, q); // f3(210, cwl, dcl, q)
      buf[p++] = g2(cueR[k] >= 0 ? ctx.wi[cueR[k]].s211 : S.m211, dcr, q); // f3(211, cwr, dcr, q)
      buf[p++] = g2(cueL[k] >= 0 ? ctx.wi[cueL[k]].s212 : S.m212, wk, p0); // f3(212, cwl, wk, p0)
    }
    buf[p++] = S.t213[(nc * 7 + p0) * 2 + q]; // f3(213, nc, p0, q)
    buf[p++] = S.t214[ctx.cb[k] * 7 + p0]; // f2(214, cue bucket, p0)
    buf[p++] = S.t215; // f1(215, 0)
    if (stackOpts.base) {
      // Without the first pass's scores the second pass also reads the words around the token.
      const wm1 = k > 0 ? ctx.h[k - 1] : BOS;
      const wp1 = k + 1 < n ? ctx.h[k + 1] : EOS;
      buf[p++] = f1(216, wk);
      buf[p++] = f2(217, wm1, p0);
      buf[p++] = f2(218, wp1, p0);
      buf[p++] = f3(219, wm1, wk, p0);
      buf[p++] = f3(220, ctx.rules[k], p0, q);
    }
    for (let j = 0; j < p; j++) buf[j] &= STACK_MASK;
    sink(k, buf, p);
  }
}

/** The second pass's feature ids of every token (for training). */
export function stackUnitFeatures(ctx: StackCtx, labels: Uint8Array): Int32Array[] {
  const out: Int32Array[] = [];
  stackFeatures(ctx, labels, (_k, buf, len) => out.push(buf.slice(0, len)));
  return out;
}
