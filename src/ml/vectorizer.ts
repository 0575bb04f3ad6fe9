/**
 * Hashed TF-IDF vectorizer: word and character n-grams hashed into 2^bits
 * buckets, pruned to the buckets seen in at least `minDf` training documents
 * (at most `maxFeatures`, most frequent first), sublinear tf × smoothed idf,
 * L2-normalised. Only the kept bucket ids and their idf are stored.
 */
import { decodeFloat32, decodeInt32, encodeArray } from './codec.ts';
import { hashFeatures, type HashSpec } from './hashing.ts';
import type { SparseVec } from './sparse.ts';
import { wordTokens } from './tokenize.ts';

export interface VectorizerJSON {
  spec: HashSpec;
  buckets: string;
  idf: string;
}

export interface FitOptions {
  minDf?: number;
  maxFeatures?: number;
}

export class HashedTfidf {
  readonly spec: HashSpec;
  /** Kept bucket ids, ascending; column i of the output is buckets[i]. */
  readonly buckets: Int32Array;
  readonly idf: Float32Array;
  private readonly table: BucketTable;

  constructor(spec: HashSpec, buckets: Int32Array, idf: Float32Array) {
    this.spec = spec;
    this.buckets = buckets;
    this.idf = idf;
    this.table = new BucketTable(buckets);
  }

  get size(): number {
    return this.buckets.length;
  }

  static fit(texts: string[], spec: HashSpec, opts: FitOptions = {}): HashedTfidf {
    const minDf = opts.minDf ?? 2;
    const df = new Int32Array(1 << spec.bits);
    const seen = new Int32Array(1 << spec.bits).fill(-1);
    texts.forEach((t, d) => {
      hashFeatures(t, wordTokens(t), spec, (b) => {
        if (seen[b] !== d) {
          seen[b] = d;
          df[b]++;
        }
      });
    });
    let kept: number[] = [];
    for (let b = 0; b < df.length; b++) if (df[b] >= minDf) kept.push(b);
    if (opts.maxFeatures && kept.length > opts.maxFeatures) {
      kept.sort((a, b) => df[b] - df[a] || a - b);
      kept = kept.slice(0, opts.maxFeatures).sort((a, b) => a - b);
    }
    const n = texts.length;
    const idf = new Float32Array(kept.length);
    kept.forEach((b, i) => (idf[i] = Math.log((1 + n) / (1 + df[b])) + 1));
    return new HashedTfidf(spec, Int32Array.from(kept), idf);
  }

  private acc: Float32Array | null = null;

  /** `tokens` may be passed when the caller already has `wordTokens(text)`. */
  transform(text: string, tokens?: string[]): SparseVec {
    const acc = this.acc ?? (this.acc = new Float32Array(this.buckets.length));
    const touched: number[] = [];
    const table = this.table;
    hashFeatures(text, tokens ?? wordTokens(text), this.spec, (b) => {
      const c = table.get(b);
      if (c >= 0) {
        if (acc[c] === 0) touched.push(c);
        acc[c]++;
      }
    });
    const idx = Int32Array.from(touched).sort();
    const val = new Float32Array(idx.length);
    let s = 0;
    for (let i = 0; i < idx.length; i++) {
      const c = idx[i];
      const v = (1 + Math.log(acc[c])) * this.idf[c];
      acc[c] = 0;
      val[i] = v;
      s += v * v;
    }
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let i = 0; i < val.length; i++) val[i] *= inv;
    }
    return { idx, val };
  }

  toJSON(): VectorizerJSON {
    return { spec: this.spec, buckets: encodeArray(this.buckets), idf: encodeArray(this.idf) };
  }

  static fromJSON(j: VectorizerJSON): HashedTfidf {
    return new HashedTfidf(j.spec, decodeInt32(j.buckets), decodeFloat32(j.idf));
  }
}

/**
 * bucket id → column, as a small open-addressing table (a few MB at most), so
 * lookups stay in cache instead of probing a 2^bits array.
 */
export class BucketTable {
  private readonly keys: Int32Array;
  private readonly vals: Int32Array;
  private readonly mask: number;

  constructor(buckets: ArrayLike<number>) {
    let cap = 16;
    while (cap < buckets.length * 2) cap <<= 1;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    for (let i = 0; i < buckets.length; i++) {
      let h = Math.imul(buckets[i], 0x9e3779b1) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = buckets[i];
      this.vals[h] = i;
    }
  }

  /** Column of bucket `b`, or -1. */
  get(b: number): number {
    let h = Math.imul(b, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.keys[h];
      if (k === b) return this.vals[h];
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }
}
