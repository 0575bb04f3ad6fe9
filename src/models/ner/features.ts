/**
 * Token features of the NER tagger, hashed to 32-bit ints without building
 * strings per feature: each token's strings (lower form, shape, affixes) are
 * hashed once, and a feature is (template id, value hash) mixed together.
 * Changing anything here changes the model: bump FEATURE_VERSION.
 */
import { feat as featExt, feat2 as feat2Ext, hashString as hashStringExt } from './hash.ts';
import { wordGaz as wordGazExt, phraseFlags as phraseFlagsExt } from './lexicon.ts';

// Local copies: module-namespace getters cost a call per use in hot loops.
const hashString = hashStringExt;
const feat = featExt;
const feat2 = feat2Ext;
const wordGaz = wordGazExt;
const phraseFlags = phraseFlagsExt;

/** FNV-1a of s[from, to). */
function hashRange(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** What the featurizer needs of one surface word; cached per distinct word. */
export interface WordInfo {
  lowerStr: string;
  lower: number;
  word: number;
  shape: number;
  suf2: number;
  suf3: number;
  suf4: number;
  pre2: number;
  pre3: number;
  lenB: number;
  /** Has a letter; is all upper case (length > 1); starts with a capital. */
  letter: boolean;
  upper: boolean;
  cap: boolean;
  /** Single-word gazetteer flags (applied when capitalised or in an upper-case sentence). */
  gaz: number;
  /** Score vectors of this word's own features, cached by the model that computed them. */
  vec?: Float32Array;
  vecOwner?: object;
}

const cache = new Map<string, WordInfo>();

function info(surface: string): WordInfo {
  let wi = cache.get(surface);
  if (wi) return wi;
  const w = normalizeWord(surface);
  const lw = w.toLowerCase();
  const l0 = /[0-9]/.test(lw) ? lw.replace(/[0-9]/g, '0') : lw;
  const L = l0.length;
  const letter = /\p{L}/u.test(w);
  const c0 = w.charAt(0);
  wi = {
    lowerStr: lw,
    lower: hashString(l0),
    word: hashString(w),
    shape: hashString(shapeOf(w)),
    suf2: hashRange(l0, Math.max(0, L - 2), L),
    suf3: hashRange(l0, Math.max(0, L - 3), L),
    suf4: hashRange(l0, Math.max(0, L - 4), L),
    pre2: hashRange(l0, 0, Math.min(2, L)),
    pre3: hashRange(l0, 0, Math.min(3, L)),
    lenB: L > 8 ? 9 : L,
    letter,
    upper: letter && w.length > 1 && w === w.toUpperCase(),
    cap: c0 !== c0.toLowerCase(),
    gaz: wordGaz(lw),
  };
  if (cache.size > 300_000) cache.clear();
  cache.set(surface, wi);
  return wi;
}



export const FEATURE_VERSION = 5;

/** Make a surface token comparable across tokenizers: straight quotes, `` and '' as ". */
export function normalizeWord(w: string): string {
  if (w === '``' || w === "''" || w === '“' || w === '”' || w === '„' || w === '«' || w === '»') return '"';
  return w.replace(/[’‘`´]/g, "'");
}

/** Compressed shape: X for upper, x for lower, d for digit, others kept; runs collapsed. */
export function shapeOf(w: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    let c: string;
    if (ch >= 'a' && ch <= 'z') c = 'x';
    else if (ch >= 'A' && ch <= 'Z') c = 'X';
    else if (ch >= '0' && ch <= '9') c = 'd';
    else if (ch.toLowerCase() !== ch) c = 'X';
    else if (ch.toUpperCase() !== ch) c = 'x';
    else c = ch;
    if (c !== last) out += c;
    last = c;
  }
  return out;
}

// Template ids (stable numbers: they are part of the model).
const T = {
  bias: 1, lower: 2, word: 3, lowerM1: 4, lowerP1: 5, lowerM2: 6, lowerP2: 7,
  shape: 8, shapeM1: 9, shapeP1: 10, shapeM1S: 11, shapeSP1: 12,
  suf2: 13, suf3: 14, suf4: 15, pre2: 16, pre3: 17,
  bigramM1: 18, bigramP1: 19, first: 20, capsSent: 21, capsLower: 22,
  gaz: 23, gazM1: 24, gazP1: 25, len: 26, p1: 27, p1p2: 28, p1lower: 29, p1shape: 30,
  suf3M1: 31, suf3P1: 32, gazLower: 33, wordM1: 34, capCommon: 35, capCommonM1: 36, capCommonP1: 37,
} as const;

const PAD_L = hashString('<s>');
const PAD_R = hashString('</s>');
const pad = (h: number): WordInfo => ({ lowerStr: '', lower: h, word: h, shape: h, suf2: h, suf3: h, suf4: h, pre2: h, pre3: h, lenB: 0, letter: false, upper: false, cap: false, gaz: 0 });
/** Stand-ins for the words before the first and after the last token. */
export const PAD_L_INFO = pad(PAD_L);
export const PAD_R_INFO = pad(PAD_R);

// Features of one word in each position relative to the tagged token. Each
// group depends on that word alone, so a model can cache its score per word.
export function selfFeatures(w: WordInfo, out: Uint32Array, k: number): number {
  out[k++] = feat(T.bias, 0);
  out[k++] = feat(T.lower, w.lower);
  out[k++] = feat(T.word, w.word);
  out[k++] = feat(T.shape, w.shape);
  out[k++] = feat(T.suf2, w.suf2);
  out[k++] = feat(T.suf3, w.suf3);
  out[k++] = feat(T.suf4, w.suf4);
  out[k++] = feat(T.pre2, w.pre2);
  out[k++] = feat(T.pre3, w.pre3);
  out[k++] = feat(T.len, w.lenB);
  return k;
}
export function left1Features(w: WordInfo, out: Uint32Array, k: number): number {
  out[k++] = feat(T.lowerM1, w.lower);
  out[k++] = feat(T.wordM1, w.word);
  out[k++] = feat(T.shapeM1, w.shape);
  out[k++] = feat(T.suf3M1, w.suf3);
  return k;
}
export function right1Features(w: WordInfo, out: Uint32Array, k: number): number {
  out[k++] = feat(T.lowerP1, w.lower);
  out[k++] = feat(T.shapeP1, w.shape);
  out[k++] = feat(T.suf3P1, w.suf3);
  return k;
}
export function left2Features(w: WordInfo, out: Uint32Array, k: number): number {
  out[k++] = feat(T.lowerM2, w.lower);
  return k;
}
export function right2Features(w: WordInfo, out: Uint32Array, k: number): number {
  out[k++] = feat(T.lowerP2, w.lower);
  return k;
}

/** Per-sentence precomputed hashes; reused across calls to avoid allocation. */
export class Featurizer {
  n = 0;
  lower = new Uint32Array(64);
  word = new Uint32Array(64);
  shape = new Uint32Array(64);
  suf2 = new Uint32Array(64);
  suf3 = new Uint32Array(64);
  suf4 = new Uint32Array(64);
  pre2 = new Uint32Array(64);
  pre3 = new Uint32Array(64);
  lenB = new Uint8Array(64);
  gaz = new Uint16Array(64);
  capsSentence = false;
  /**
   * Lower-case words that the training data writes in lower case at least as
   * often as capitalised (mid-sentence). A capitalised token whose lower-case
   * form is common is a weak sign against a name. Stored in the model.
   */
  common: Set<string> = new Set();
  /** Per token: capitalised and common in lower case. */
  capCommon = new Uint8Array(64);
  /** Per-token word info of the loaded sentence. */
  infos: WordInfo[] = [];

  private grow(n: number) {
    if (n <= this.lower.length) return;
    const m = Math.max(n, this.lower.length * 2);
    this.lower = new Uint32Array(m); this.word = new Uint32Array(m); this.shape = new Uint32Array(m);
    this.suf2 = new Uint32Array(m); this.suf3 = new Uint32Array(m); this.suf4 = new Uint32Array(m);
    this.pre2 = new Uint32Array(m); this.pre3 = new Uint32Array(m); this.lenB = new Uint8Array(m);
    this.gaz = new Uint16Array(m);
    this.capCommon = new Uint8Array(m);
  }

  /** Prepare one sentence given its surface words. */
  load(surface: readonly string[]): void {
    const n = surface.length;
    this.n = n;
    this.grow(n);
    const infos = this.infos;
    infos.length = n;
    let letters = 0;
    let upper = 0;
    for (let i = 0; i < n; i++) {
      const wi = info(surface[i]);
      infos[i] = wi;
      if (wi.letter) {
        letters++;
        if (wi.upper) upper++;
      }
    }
    const caps = letters >= 3 && upper / letters > 0.7;
    this.capsSentence = caps;
    for (let i = 0; i < n; i++) {
      const wi = infos[i];
      this.lower[i] = wi.lower;
      this.word[i] = wi.word;
      this.shape[i] = wi.shape;
      this.suf2[i] = wi.suf2;
      this.suf3[i] = wi.suf3;
      this.suf4[i] = wi.suf4;
      this.pre2[i] = wi.pre2;
      this.pre3[i] = wi.pre3;
      this.lenB[i] = wi.lenB;
      this.gaz[i] = caps || wi.cap ? wi.gaz : 0;
      this.capCommon[i] = !caps && wi.cap && this.common.has(wi.lowerStr) ? 1 : 0;
    }
    phraseFlags(infos, caps, this.gaz);
  }

  /** Tag-independent features of token i into `out`; returns how many. */
  staticFeatures(i: number, out: Uint32Array): number {
    const n = this.n;
    const infos = this.infos;
    let k = selfFeatures(infos[i], out, 0);
    k = left1Features(i > 0 ? infos[i - 1] : PAD_L_INFO, out, k);
    k = right1Features(i + 1 < n ? infos[i + 1] : PAD_R_INFO, out, k);
    k = left2Features(i > 1 ? infos[i - 2] : PAD_L_INFO, out, k);
    k = right2Features(i + 2 < n ? infos[i + 2] : PAD_R_INFO, out, k);
    return this.contextFeatures(i, out, k);
  }

  /** The features that depend on more than one word (the rest are cached per word by NerModel). */
  contextFeatures(i: number, out: Uint32Array, k: number): number {
    const n = this.n;
    const lo = this.lower[i];
    const sh = this.shape[i];
    const lm1 = i > 0 ? this.lower[i - 1] : PAD_L;
    const lp1 = i + 1 < n ? this.lower[i + 1] : PAD_R;
    const sm1 = i > 0 ? this.shape[i - 1] : PAD_L;
    const sp1 = i + 1 < n ? this.shape[i + 1] : PAD_R;
    out[k++] = feat2(T.shapeM1S, sm1, sh);
    out[k++] = feat2(T.shapeSP1, sh, sp1);
    out[k++] = feat2(T.bigramM1, lm1, lo);
    out[k++] = feat2(T.bigramP1, lo, lp1);
    if (i === 0) out[k++] = feat(T.first, sh);
    if (this.capCommon[i]) out[k++] = feat(T.capCommon, i === 0 ? 1 : 0);
    if (i > 0 && this.capCommon[i - 1]) out[k++] = feat(T.capCommonM1, 0);
    if (i + 1 < n && this.capCommon[i + 1]) out[k++] = feat(T.capCommonP1, 0);
    if (this.capsSentence) {
      out[k++] = feat(T.capsSent, 0);
      out[k++] = feat(T.capsLower, lo);
    }
    const g = this.gaz[i];
    if (g) {
      for (let b = 0; b < 16; b++) if (g & (1 << b)) out[k++] = feat(T.gaz, b);
      out[k++] = feat2(T.gazLower, g, 0);
    }
    const gm = i > 0 ? this.gaz[i - 1] : 0;
    if (gm) for (let b = 0; b < 16; b++) if (gm & (1 << b)) out[k++] = feat(T.gazM1, b);
    const gp = i + 1 < n ? this.gaz[i + 1] : 0;
    if (gp) for (let b = 0; b < 16; b++) if (gp & (1 << b)) out[k++] = feat(T.gazP1, b);
    return k;
  }

  /** Features that depend on the two previous predicted tags (9 = sentence start). */
  dynamicFeatures(i: number, p1: number, p2: number, out: Uint32Array, k: number): number {
    out[k++] = feat(T.p1, p1);
    out[k++] = feat2(T.p1p2, p1, p2);
    out[k++] = feat2(T.p1lower, p1, this.lower[i]);
    out[k++] = feat2(T.p1shape, p1, this.shape[i]);
    return k;
  }
}

/**
 * The lower-case words a corpus writes mostly in lower case: counted on
 * tokens that are not sentence-initial, in sentences that are not all caps.
 */
export function commonLowerWords(sentences: readonly { words: readonly string[] }[], minCount = 2): string[] {
  const lower = new Map<string, number>();
  const cap = new Map<string, number>();
  for (const s of sentences) {
    let letters = 0;
    let upper = 0;
    for (const w of s.words) if (/\p{L}/u.test(w)) { letters++; if (w.length > 1 && w === w.toUpperCase()) upper++; }
    if (letters >= 3 && upper / letters > 0.7) continue;
    for (let i = 1; i < s.words.length; i++) {
      const w = normalizeWord(s.words[i]);
      if (!/^\p{L}/u.test(w)) continue;
      const lw = w.toLowerCase();
      if (w === lw) lower.set(lw, (lower.get(lw) ?? 0) + 1);
      else if (w[0] !== w[0].toLowerCase()) cap.set(lw, (cap.get(lw) ?? 0) + 1);
    }
  }
  const out: string[] = [];
  for (const [w, c] of lower) if (c >= minCount && c >= (cap.get(w) ?? 0)) out.push(w);
  return out.sort();
}

/** Upper bound on features per token (static + dynamic). */
export const MAX_FEATURES = 128;
