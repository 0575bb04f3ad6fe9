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
import { hashString } from '../../../models/ner/hash.ts';

export const FEATURE_VERSION = 3;
export const HASH_BITS = 19;
/** Room for the features of one token. */
const STRIDE = 48;
const MASK = (1 << HASH_BITS) - 1;

// FNV-1a, the same string hash the NER tagger uses.
export { hashString };

function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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

interface WordInfo {
  h: number;
  suffix: number;
  lemma: number;
  cue: number;
  pronoun: number;
  /** f1(T, h) for the unigram templates, in UNI order (computed once per word form). */
  uni: Uint32Array;
}

/** Templates that hash one word id alone: the word itself and its neighbours at -1, +1, -2, +2, -3, +3. */
const UNI = [2, 3, 4, 5, 6, 29, 30] as const;
const uniIds = (h: number): Uint32Array => {
  const u = new Uint32Array(UNI.length);
  for (let j = 0; j < UNI.length; j++) u[j] = f1(UNI[j], h);
  return u;
};
const infoCache = new Map<string, WordInfo>();
function wordInfo(norm: string): WordInfo {
  let wi = infoCache.get(norm);
  if (!wi) {
    const lemma = LEXICON.verbForms.get(norm);
    const h = wh(norm);
    wi = {
      h,
      suffix: wh('~' + (norm.length > 3 ? norm.slice(-3) : norm)),
      lemma: lemma ? wh('L:' + lemma) : 0,
      cue: cueBucket(norm),
      pronoun: LEXICON.pronouns.has(norm) ? 1 : 0,
      uni: uniIds(h),
    };
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

/** Feature ids of every token of a unit (same order as unit.toks). */
export function unitFeatures(text: string, unit: Unit, rules: Uint8Array, paragraphStart: boolean): Int32Array[] {
  const toks = unit.toks;
  const n = toks.length;
  const w = new Uint32Array(n);
  const cb = new Int32Array(n);
  const info = new Array<WordInfo>(n);
  for (let k = 0; k < n; k++) {
    const wi = wordInfo(toks[k].norm);
    info[k] = wi;
    w[k] = wi.h;
    cb[k] = toks[k].word ? wi.cue : 0;
  }
  // Nearest strong cue-like word to the left / right (distance bucket).
  const leftCue = new Int32Array(n).fill(-1);
  const rightCue = new Int32Array(n).fill(-1);
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
  const ruleLeft = new Int32Array(n).fill(-1);
  const ruleRight = new Int32Array(n).fill(-1);
  const commasLeft = new Int32Array(n);
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
  const dist = (d: number) => (d < 0 ? 0 : d <= 1 ? 1 : d <= 3 ? 2 : d <= 6 ? 3 : d <= 12 ? 4 : 5);
  const out: Int32Array[] = [];
  const buf = new Int32Array(n * STRIDE);
  const BOS = 0x1234567;
  const EOS = 0x7654321;
  // Boundary words' unigram ids (same values the per-word cache would give for BOS / EOS).
  const bos = uniIds(BOS);
  const eos = uniIds(EOS);
  const bias = f1(1, 0);
  const lenBucket = n < 6 ? n : n < 12 ? 6 : n < 25 ? 7 : 8;
  for (let k = 0; k < n; k++) {
    const t = toks[k];
    const at = k * STRIDE;
    let p = at;
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
    buf[p++] = info[k].uni[0]; // 2: word
    buf[p++] = k > 0 ? info[k - 1].uni[1] : bos[1]; // 3: word -1
    buf[p++] = k + 1 < n ? info[k + 1].uni[2] : eos[2]; // 4: word +1
    buf[p++] = k > 1 ? info[k - 2].uni[3] : bos[3]; // 5: word -2
    buf[p++] = k + 2 < n ? info[k + 2].uni[4] : eos[4]; // 6: word +2
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
    buf[p++] = f1(22, info[k].suffix);
    buf[p++] = f2(23, wm1, cbk);
    buf[p++] = f2(24, cbk, wp1);
    if (leftCue[k] >= 0) buf[p++] = f2(25, w[leftCue[k]], dist(k - leftCue[k]));
    if (rightCue[k] >= 0) buf[p++] = f2(26, w[rightCue[k]], dist(rightCue[k] - k));
    buf[p++] = f2(27, k > 0 && toks[k - 1].region >= 0 ? 1 : 0, q);
    buf[p++] = f2(28, info[k].pronoun, rp1);
    buf[p++] = k > 2 ? info[k - 3].uni[5] : bos[5]; // 29: word -3
    buf[p++] = k + 3 < n ? info[k + 3].uni[6] : eos[6]; // 30: word +3
    if (info[k].lemma) buf[p++] = f1(31, info[k].lemma);
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
    out.push(buf.subarray(at, p));
  }
  return out;
}
