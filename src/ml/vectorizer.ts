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
  private readonly col: Int32Array;

  constructor(spec: HashSpec, buckets: Int32Array, idf: Float32Array) {
    this.spec = spec;
    this.buckets = buckets;
    this.idf = idf;
    this.col = new Int32Array(1 << spec.bits).fill(-1);
    for (let i = 0; i < buckets.length; i++) this.col[buckets[i]] = i;
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

  /** `tokens` may be passed when the caller already has `wordTokens(text)`. */
  transform(text: string, tokens?: string[]): SparseVec {
    const tf = new Map<number, number>();
    hashFeatures(text, tokens ?? wordTokens(text), this.spec, (b) => {
      const c = this.col[b];
      if (c >= 0) tf.set(c, (tf.get(c) ?? 0) + 1);
    });
    const keys = [...tf.keys()].sort((a, b) => a - b);
    const idx = new Int32Array(keys.length);
    const val = new Float32Array(keys.length);
    let s = 0;
    for (let i = 0; i < keys.length; i++) {
      const c = keys[i];
      const v = (1 + Math.log(tf.get(c)!)) * this.idf[c];
      idx[i] = c;
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
