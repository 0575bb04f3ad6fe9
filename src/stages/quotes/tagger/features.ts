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

/** Number of labels (model.ts LABELS; not imported, model.ts imports this module). */
const L = 7;

export const FEATURE_VERSION = 3;
export const HASH_BITS = 19;
/** Room for the features of one token. */
const STRIDE = 64;
const MASK = (1 << HASH_BITS) - 1;

// FNV-1a, the same string hash the NER tagger uses.
export { hashString };

const fmix = fmixExt;
function mix(a: number, b: number): number {
  return fmix((a ^ Math.imul(b + 0x9e3779b1, 0x85ebca6b)) >>> 0);
}

const f1 = (t: number, a: number) => mix(t, a) & MASK;
const f2 = (t: number, a: number, b: number) => mix(mix(t, a), b) & MASK;
const f3 = (t: number, a: number, b: number, c: number) => mix(mix(mix(t, a), b), c) & MASK;

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
  /** Feature ids of the word-only templates, grouped by relative position o (index o + REACH). */
  ids: Int32Array[];
}

function withIds(wi: Omit<WordInfo, 'ids'>): WordInfo {
  const lists: number[][] = Array.from({ length: SPAN }, () => []);
  for (const [t, o, field] of WORD_TEMPLATES) {
    const v = wi[field];
    if (field === 'lemma' && !v) continue;
    lists[o + REACH].push(f1(t, v));
  }
  return { ...wi, ids: lists.map((l) => Int32Array.from(l)) };
}

const BOS = 0x1234567;
const EOS = 0x7654321;
/** The virtual words before and after a unit. */
const BOS_INFO = withIds({ h: BOS, suffix: 0, lemma: 0, cue: 99, pronoun: 0 });
const EOS_INFO = withIds({ h: EOS, suffix: 0, lemma: 0, cue: 99, pronoun: 0 });
// Only the neighbour templates apply to the virtual words.
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
    wi = withIds({
      h: wh(norm),
      suffix: wh('~' + (norm.length > 3 ? norm.slice(-3) : norm)),
      lemma: lemma ? wh('L:' + lemma) : 0,
      cue: cueBucket(norm),
      pronoun: LEXICON.pronouns.has(norm) ? 1 : 0,
    });
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
  for (let k = 0; k < n; k++) {
    w[k] = info[k].h;
    cb[k] = toks[k].word ? info[k].cue : 0;
  }
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
  for (let k = 0; k < n; k++) {
    const t = toks[k];
    let p = 0;
    const wk = w[k];
    const wm1 = k > 0 ? w[k - 1] : BOS;
    const wm2 = k > 1 ? w[k - 2] : BOS;
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
    buf[p++] = bias; // 1
    buf[p++] = f2(7, wm1, wk);
    buf[p++] = f2(8, wk, wp1);
    buf[p++] = f1(9, sh);
    buf[p++] = f2(10, cbk, q);
    buf[p++] = f1(11, cbm1);
    buf[p++] = f1(12, cbp1);
    buf[p++] = f2(13, q, t.open ? 1 : t.close ? 2 : 0);
    buf[p++] = f1(14, r);
    buf[p++] = f3(15, rm1, r, rp1);
    buf[p++] = f2(16, r, q);
    buf[p++] = f2(17, r, wk);
    buf[p++] = f2(18, dl, dr);
    buf[p++] = f3(19, dl, dr, q);
    buf[p++] = f1(20, k === 0 ? 1 : k === n - 1 ? 2 : k < 3 ? 3 : n - k < 4 ? 4 : 5);
    buf[p++] = f2(21, paragraphStart ? 1 : 0, k === 0 ? 1 : 0);
    buf[p++] = f2(23, wm1, cbk);
    buf[p++] = f2(24, cbk, wp1);
    if (leftCue[k] >= 0) buf[p++] = f2(25, w[leftCue[k]], dist(k - leftCue[k]));
    if (rightCue[k] >= 0) buf[p++] = f2(26, w[rightCue[k]], dist(rightCue[k] - k));
    buf[p++] = f2(27, k > 0 && toks[k - 1].region >= 0 ? 1 : 0, q);
    buf[p++] = f2(28, info[k].pronoun, rp1);
    buf[p++] = f3(32, rl, rr, Math.min(commasLeft[k], 2));
    buf[p++] = f3(33, rl, rr, r);
    buf[p++] = f2(34, startsWithQuote, q);
    buf[p++] = f3(35, t.cap ? 1 : 0, k > 0 && toks[k - 1].cap ? 1 : 0, k + 1 < n && toks[k + 1].cap ? 1 : 0);
    buf[p++] = f2(36, wk, cbp1);
    buf[p++] = f3(37, cbm1, cbk, q);
    buf[p++] = f2(38, lenBucket, q);
    buf[p++] = f2(39, wk, q);
    buf[p++] = f3(40, wm2, wm1, 0);
    buf[p++] = f2(41, r, sh);
    buf[p++] = f2(42, r, wm1);
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

/** Adds the weight rows of `ids[0..len)` to `out[at..at+L)`. */
/** Adds the emission rows of the first `len` feature ids to out[at … at+L). */
export function rowSums(emit: Int16Array | Float32Array, ids: Int32Array, len: number, out: Float64Array, at: number): void {
  let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0;
  for (let j = 0; j < len; j++) {
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

/**
 * Unscaled emission scores (n × L) of a unit's tokens (a view into memory that the next call
 * reuses): the sums of the weight rows of
 * `unitFeatures`' ids (exactly the same for the integer weights of a model file), without
 * building the feature lists.
 */
export function unitEmissions(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean, w: Weights): Float64Array {
  const emit = w.emit;
  const info = infos(unit);
  const n = info.length;
  // Reused between calls: the caller decodes it before the next unit is scored.
  if (emPool.length < n * L) emPool = new Float64Array(2 * n * L);
  const em = emPool.subarray(0, n * L);
  em.fill(0);
  contextFeatures(text, unit, rules, paragraphStart, info, (k, buf, len) => {
    // The word-only ids join the context ids in the scratch buffer: one pass over the rows.
    let p = len;
    for (let o = -REACH; o <= REACH; o++) {
      const ids = around(info, k - o).ids[o + REACH];
      for (let j = 0; j < ids.length; j++) buf[p++] = ids[j];
    }
    rowSums(emit, buf, p, em, k * L);
  });
  return em;
}
