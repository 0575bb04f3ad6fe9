/**
 * Hashed TF-IDF vectorizer: word and character n-grams hashed into 2^bits
 * buckets, pruned to the buckets seen in at least `minDf` training documents
 * (at most `maxFeatures`, most frequent first), sublinear tf × smoothed idf,
 * L2-normalised. Only the kept bucket ids and their idf are stored.
 */
import { decodeFloat32, decodeInt32, encodeArray } from './codec.ts';
import { FNV_OFFSET, FNV_PRIME, fnv, hashFeatures, isWs, mix, type HashSpec } from './hashing.ts';
import type { SparseVec } from './sparse.ts';
import { wordTokens } from './tokenize.ts';

const CHAR_SEED = mix(FNV_OFFSET, 77);
const CHUNK_CACHE_MAX = 50_000;

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

  private acc: Int32Array | null = null;
  /** One bit per column touched by the current text (ascending output without a sort). */
  private seen: Int32Array | null = null;
  private nTouched = 0;
  /** Whitespace-delimited chunk → columns of its character n-grams (repeats kept), bounded. */
  private chunkCols = new Map<string, Int32Array>();
  private chunkBuf = new Int32Array(256);

  /** Columns of the char_wb n-grams of src[i, j) padded with a space each side. */
  private chunkColumns(src: string, i: number, j: number): Int32Array {
    const [lo, hi] = this.spec.charNgrams!;
    const mask = (1 << this.spec.bits) - 1;
    const seed = CHAR_SEED;
    const len = j - i + 2;
    const need = len * (hi - lo + 1);
    if (this.chunkBuf.length < need) this.chunkBuf = new Int32Array(need * 2);
    const buf = this.chunkBuf;
    const table = this.table;
    let m = 0;
    for (let s = 0; s < len; s++) {
      let h = seed;
      for (let k = 0; k < hi && s + k < len; k++) {
        const p = s + k;
        const c = p === 0 || p === len - 1 ? 32 : src.charCodeAt(i + p - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (k + 1 >= lo) {
          const col = table.get((h >>> 0) & mask);
          if (col >= 0) buf[m++] = col;
        }
      }
    }
    return buf.slice(0, m);
  }

  /** Counts the columns `text` hits into `acc`, marking them in `seen`; returns how many were touched. */
  private accumulate(text: string, tokens?: string[]): number {
    const acc = this.acc ?? (this.acc = new Int32Array(this.buckets.length));
    const seen = this.seen ?? (this.seen = new Int32Array((this.buckets.length + 31) >>> 5));
    let nt = 0;
    const table = this.table;
    const spec = this.spec;
    const mask = (1 << spec.bits) - 1;
    if (spec.wordNgrams.length) {
      const toks = tokens ?? wordTokens(text);
      const th = new Int32Array(toks.length);
      for (let i = 0; i < toks.length; i++) th[i] = fnv(toks[i], 0x1234567);
      for (const n of spec.wordNgrams) {
        const seed = mix(FNV_OFFSET, 1000 + n);
        for (let i = 0; i + n <= th.length; i++) {
          let h = seed;
          for (let k = 0; k < n; k++) h = mix(h, th[i + k] >>> 0);
          const c = table.get(h & mask);
          if (c >= 0) {
            if (acc[c] === 0) {
              seen[c >>> 5] |= 1 << (c & 31);
              nt++;
            }
            acc[c]++;
          }
        }
      }
    }
    if (spec.charNgrams) {
      const src = spec.charLowercase ? text.toLowerCase() : text;
      const cache = this.chunkCols;
      let i = 0;
      const n = src.length;
      while (i < n) {
        while (i < n && isWs(src.charCodeAt(i))) i++;
        if (i >= n) break;
        let j = i;
        while (j < n && !isWs(src.charCodeAt(j))) j++;
        let cols: Int32Array | undefined;
        if (j - i <= 40) {
          const key = src.slice(i, j);
          cols = cache.get(key);
          if (!cols) {
            cols = this.chunkColumns(src, i, j);
            if (cache.size >= CHUNK_CACHE_MAX) cache.clear();
            cache.set(key, cols);
          }
        } else cols = this.chunkColumns(src, i, j);
        for (let k = 0; k < cols.length; k++) {
          const c = cols[k];
          if (acc[c] === 0) {
            seen[c >>> 5] |= 1 << (c & 31);
            nt++;
          }
          acc[c]++;
        }
        i = j;
      }
    }
    return nt;
  }

  /**
   * `tokens` may be passed when the caller already has `wordTokens(text)`.
   * Same output as counting `hashFeatures` buckets; character n-grams of each
   * whitespace-delimited chunk are looked up once per distinct chunk (cached).
   */
  transform(text: string, tokens?: string[]): SparseVec {
    const nt = this.accumulate(text, tokens);
    const acc = this.acc!;
    const seen = this.seen!;
    // touched columns in ascending order, from the bitmap (clearing it)
    const idx = new Int32Array(nt);
    let m = 0;
    for (let wi = 0; m < nt && wi < seen.length; wi++) {
      let word = seen[wi];
      if (word === 0) continue;
      seen[wi] = 0;
      while (word !== 0) {
        const low = word & -word;
        idx[m++] = (wi << 5) + (31 - Math.clz32(low));
        word ^= low;
      }
    }
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

  /**
   * Raw counts per column (no tf-idf, no normalisation): the same counts as
   * counting `hashFeatures` buckets mapped to columns, through the per-chunk
   * cache. Used to attribute a document's score to its sentences.
   */
  columnCounts(text: string, tokens?: string[]): Map<number, number> {
    const nt = this.accumulate(text, tokens);
    const acc = this.acc!;
    const seen = this.seen!;
    const out = new Map<number, number>();
    let m = 0;
    for (let wi = 0; m < nt && wi < seen.length; wi++) {
      let word = seen[wi];
      if (word === 0) continue;
      seen[wi] = 0;
      while (word !== 0) {
        const low = word & -word;
        const c = (wi << 5) + (31 - Math.clz32(low));
        out.set(c, acc[c]);
        acc[c] = 0;
        m++;
        word ^= low;
      }
    }
    return out;
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
  /** Interleaved (key, column) pairs: one cache line holds both. Key -1 is empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(buckets: ArrayLike<number>) {
    let cap = 16;
    while (cap < buckets.length * 2) cap <<= 1;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * 2).fill(-1);
    for (let i = 0; i < buckets.length; i++) {
      let h = Math.imul(buckets[i], 0x9e3779b1) & this.mask;
      while (this.slots[2 * h] !== -1) h = (h + 1) & this.mask;
      this.slots[2 * h] = buckets[i];
      this.slots[2 * h + 1] = i;
    }
  }

  /** Column of bucket `b`, or -1. */
  get(b: number): number {
    const slots = this.slots;
    let h = Math.imul(b, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = slots[2 * h];
      if (k === b) return slots[2 * h + 1];
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }
}
