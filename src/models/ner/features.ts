/**
 * Token features of the NER tagger, hashed to 32-bit ints without building
 * strings per feature: each token's strings (lower form, shape, affixes) are
 * hashed once, and a feature is (template id, value hash) mixed together.
 * Changing anything here changes the model: bump FEATURE_VERSION.
 */
import { feat, feat2, hashString } from './hash.ts';
import { gazetteerFlags } from './lexicon.ts';

export const FEATURE_VERSION = 3;

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
  suf3M1: 31, suf3P1: 32, gazLower: 33, wordM1: 34,
} as const;

const PAD_L = hashString('<s>');
const PAD_R = hashString('</s>');

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

  private grow(n: number) {
    if (n <= this.lower.length) return;
    const m = Math.max(n, this.lower.length * 2);
    this.lower = new Uint32Array(m); this.word = new Uint32Array(m); this.shape = new Uint32Array(m);
    this.suf2 = new Uint32Array(m); this.suf3 = new Uint32Array(m); this.suf4 = new Uint32Array(m);
    this.pre2 = new Uint32Array(m); this.pre3 = new Uint32Array(m); this.lenB = new Uint8Array(m);
    this.gaz = new Uint16Array(m);
  }

  /** Prepare one sentence given its surface words. */
  load(surface: readonly string[]): void {
    const n = surface.length;
    this.n = n;
    this.grow(n);
    const words: string[] = new Array(n);
    const lowers: string[] = new Array(n);
    let letters = 0;
    let upper = 0;
    for (let i = 0; i < n; i++) {
      const w = normalizeWord(surface[i]);
      words[i] = w;
      const lw = w.toLowerCase();
      lowers[i] = lw;
      if (/\p{L}/u.test(w)) {
        letters++;
        if (w === w.toUpperCase() && w.length > 1) upper++;
      }
    }
    this.capsSentence = letters >= 3 && upper / letters > 0.7;
    const gz = gazetteerFlags(words, lowers, this.capsSentence);
    for (let i = 0; i < n; i++) {
      const w = words[i];
      const l0 = lowers[i].replace(/[0-9]/g, '0');
      this.lower[i] = hashString(l0);
      this.word[i] = hashString(w);
      this.shape[i] = hashString(shapeOf(w));
      const L = l0.length;
      this.suf2[i] = hashString(l0.slice(Math.max(0, L - 2)));
      this.suf3[i] = hashString(l0.slice(Math.max(0, L - 3)));
      this.suf4[i] = hashString(l0.slice(Math.max(0, L - 4)));
      this.pre2[i] = hashString(l0.slice(0, 2));
      this.pre3[i] = hashString(l0.slice(0, 3));
      this.lenB[i] = L > 8 ? 9 : L;
      this.gaz[i] = gz[i];
    }
  }

  /** Tag-independent features of token i into `out`; returns how many. */
  staticFeatures(i: number, out: Uint32Array): number {
    const n = this.n;
    let k = 0;
    const lo = this.lower[i];
    const sh = this.shape[i];
    const lm1 = i > 0 ? this.lower[i - 1] : PAD_L;
    const lp1 = i + 1 < n ? this.lower[i + 1] : PAD_R;
    const sm1 = i > 0 ? this.shape[i - 1] : PAD_L;
    const sp1 = i + 1 < n ? this.shape[i + 1] : PAD_R;
    out[k++] = feat(T.bias, 0);
    out[k++] = feat(T.lower, lo);
    out[k++] = feat(T.word, this.word[i]);
    out[k++] = feat(T.lowerM1, lm1);
    out[k++] = feat(T.lowerP1, lp1);
    out[k++] = feat(T.lowerM2, i > 1 ? this.lower[i - 2] : PAD_L);
    out[k++] = feat(T.lowerP2, i + 2 < n ? this.lower[i + 2] : PAD_R);
    out[k++] = feat(T.wordM1, i > 0 ? this.word[i - 1] : PAD_L);
    out[k++] = feat(T.shape, sh);
    out[k++] = feat(T.shapeM1, sm1);
    out[k++] = feat(T.shapeP1, sp1);
    out[k++] = feat2(T.shapeM1S, sm1, sh);
    out[k++] = feat2(T.shapeSP1, sh, sp1);
    out[k++] = feat(T.suf2, this.suf2[i]);
    out[k++] = feat(T.suf3, this.suf3[i]);
    out[k++] = feat(T.suf4, this.suf4[i]);
    out[k++] = feat(T.pre2, this.pre2[i]);
    out[k++] = feat(T.pre3, this.pre3[i]);
    out[k++] = feat(T.suf3M1, i > 0 ? this.suf3[i - 1] : PAD_L);
    out[k++] = feat(T.suf3P1, i + 1 < n ? this.suf3[i + 1] : PAD_R);
    out[k++] = feat2(T.bigramM1, lm1, lo);
    out[k++] = feat2(T.bigramP1, lo, lp1);
    out[k++] = feat(T.len, this.lenB[i]);
    if (i === 0) out[k++] = feat(T.first, sh);
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

/** Upper bound on features per token (static + dynamic). */
export const MAX_FEATURES = 128;
