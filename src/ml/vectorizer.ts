/**
 * Hashed TF-IDF vectorizer: word and character n-grams hashed into 2^bits
 * buckets, pruned to the buckets seen in at least `minDf` training documents
 * (at most `maxFeatures`, most frequent first), sublinear tf × smoothed idf,
 * L2-normalised. Only the kept bucket ids and their idf are stored.
 */
import { decodeFloat32, decodeInt32, encodeArray } from './codec.ts';
import { FNV_OFFSET, FNV_PRIME, fnv, hashFeatures, isWs, mix, type HashSpec } from './hashing.ts';
import type { RowBuffer, SparseVec } from './sparse.ts';
import { wordTokens } from './tokenize.ts';
import { WORD_SEED, wordTokenHashes } from './tokenhash.ts';
import { RangeCache } from './rangecache.ts';

/** `wordTokens(text)`, or their hashes as `tokenHashes(text)` returns them. */
export type TokensOrHashes = string[] | Int32Array;

const CHAR_SEED = mix(FNV_OFFSET, 77);
const CHUNK_CACHE_MAX = 50_000;
/** 1 + ln(n) for small counts: the same float64 values `1 + Math.log(n)` gives. */
const LOG_TABLE_SIZE = 256;
const ONE_PLUS_LOG = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, n) => 1 + Math.log(n));

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
  /** One bit per word of `seen` that has a bit set, so draining skips empty words. */
  private seen2: Int32Array | null = null;
  /** Whitespace-delimited chunk → columns of its character n-grams (repeats kept), bounded. */
  private chunkCache = new RangeCache(CHUNK_CACHE_MAX);
  private chunkBuf = new Int32Array(256);
  private tokenHashes = new Int32Array(256);

  /** Writes the columns of the char_wb n-grams of src[i, j) (padded with a space each side) to chunkBuf; returns how many. */
  private chunkColumnsInto(src: string, i: number, j: number): number {
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
    return m;
  }

  /** Counts the columns `text` hits into `acc`, marking them in `seen`; returns how many were touched. */
  private accumulate(text: string, tokens?: TokensOrHashes): number {
    const size = this.buckets.length;
    const acc = this.acc ?? (this.acc = new Int32Array(size));
    const seen = this.seen ?? (this.seen = new Int32Array((size + 31) >>> 5));
    const seen2 = this.seen2 ?? (this.seen2 = new Int32Array((seen.length + 31) >>> 5));
    let nt = 0;
    const table = this.table;
    const spec = this.spec;
    const mask = (1 << spec.bits) - 1;
    if (spec.wordNgrams.length) {
      let th: Int32Array;
      let nTok: number;
      if (tokens instanceof Int32Array) {
        th = tokens;
        nTok = tokens.length;
      } else if (tokens) {
        if (this.tokenHashes.length < tokens.length) this.tokenHashes = new Int32Array(tokens.length * 2);
        th = this.tokenHashes;
        nTok = tokens.length;
        for (let i = 0; i < nTok; i++) th[i] = fnv(tokens[i], WORD_SEED);
      } else {
        th = wordTokenHashes(text);
        nTok = th.length;
      }
      for (const n of spec.wordNgrams) {
        const seed = mix(FNV_OFFSET, 1000 + n);
        for (let i = 0; i + n <= nTok; i++) {
          let h = seed;
          for (let k = 0; k < n; k++) h = mix(h, th[i + k] >>> 0);
          const c = table.get(h & mask);
          if (c >= 0) {
            if (acc[c] === 0) {
              seen[c >>> 5] |= 1 << (c & 31);
              seen2[c >>> 10] |= 1 << ((c >>> 5) & 31);
              nt++;
            }
            acc[c]++;
          }
        }
      }
    }
    if (spec.charNgrams) {
      const src = spec.charLowercase ? text.toLowerCase() : text;
      const cache = this.chunkCache;
      let i = 0;
      const n = src.length;
      while (i < n) {
        while (i < n && isWs(src.charCodeAt(i))) i++;
        if (i >= n) break;
        // the chunk's extent and its FNV-1a hash in one pass (the cache key)
        let j = i;
        let h = FNV_OFFSET;
        while (j < n) {
          const ch = src.charCodeAt(j);
          if ((ch <= 32 || ch >= 0xa0) && isWs(ch)) break;
          h = Math.imul(h ^ ch, FNV_PRIME);
          j++;
        }
        let cols: Int32Array;
        let from = 0;
        let to: number;
        if (j - i <= 40) {
          if (!cache.get(src, i, j, h)) {
            const m = this.chunkColumnsInto(src, i, j);
            cache.set(src, i, j, h, this.chunkBuf, m);
          }
          cols = cache.data;
          from = cache.hitOff;
          to = from + cache.hitLen;
        } else {
          to = this.chunkColumnsInto(src, i, j);
          cols = this.chunkBuf;
        }
        for (let k = from; k < to; k++) {
          const c = cols[k];
          if (acc[c] === 0) {
            seen[c >>> 5] |= 1 << (c & 31);
            seen2[c >>> 10] |= 1 << ((c >>> 5) & 31);
            nt++;
          }
          acc[c]++;
        }
        i = j;
      }
    }
    return nt;
  }

  /** Writes the touched columns in ascending order into out[off, off + nt), clearing the bitmaps. */
  private drain(out: Int32Array, off: number): void {
    const seen = this.seen!;
    const seen2 = this.seen2!;
    let m = off;
    for (let si = 0; si < seen2.length; si++) {
      let w2 = seen2[si];
      if (w2 === 0) continue;
      seen2[si] = 0;
      while (w2 !== 0) {
        const low2 = w2 & -w2;
        const wi = (si << 5) + (31 - Math.clz32(low2));
        w2 ^= low2;
        let word = seen[wi];
        seen[wi] = 0;
        while (word !== 0) {
          const low = word & -word;
          out[m++] = (wi << 5) + (31 - Math.clz32(low));
          word ^= low;
        }
      }
    }
  }

  /**
   * TF-IDF values of the touched columns idx[off, off + nt) into val (sublinear
   * tf × idf, L2-normalised, float32 as `transform` stores them); clears `acc`.
   */
  private weigh(idx: Int32Array, val: Float32Array, off: number, nt: number): void {
    const acc = this.acc!;
    const idf = this.idf;
    let s = 0;
    const end = off + nt;
    for (let i = off; i < end; i++) {
      const c = idx[i];
      const n = acc[c];
      const v = (n < LOG_TABLE_SIZE ? ONE_PLUS_LOG[n] : 1 + Math.log(n)) * idf[c];
      acc[c] = 0;
      val[i] = v;
      s += v * v;
    }
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let i = off; i < end; i++) val[i] *= inv;
    }
  }

  /**
   * `tokens` may be passed when the caller already has `wordTokens(text)`, or
   * their hashes (`tokenHashes(text)` from tokenhash.ts, shared between models).
   * Same output as counting `hashFeatures` buckets; character n-grams of each
   * whitespace-delimited chunk are looked up once per distinct chunk (cached).
   */
  transform(text: string, tokens?: TokensOrHashes): SparseVec {
    const nt = this.accumulate(text, tokens);
    const idx = new Int32Array(nt);
    const val = new Float32Array(nt);
    this.drain(idx, 0);
    this.weigh(idx, val, 0, nt);
    return { idx, val };
  }

  /**
   * `transform` appended to a reusable buffer (no allocation once the buffer
   * has grown): the row's columns and values go to buf.idx/buf.val from
   * buf.n on, and buf.n advances past them. Same values as `transform`.
   */
  transformInto(buf: RowBuffer, text: string, tokens?: TokensOrHashes): void {
    const nt = this.accumulate(text, tokens);
    buf.reserve(nt);
    this.drain(buf.idx, buf.n);
    this.weigh(buf.idx, buf.val, buf.n, nt);
    buf.n += nt;
  }

  /**
   * `transform` plus each column's raw count (`counts[k]` for column `idx[k]`),
   * for callers that attribute the row's score to parts of the text.
   */
  transformWithCounts(text: string, tokens?: TokensOrHashes): SparseVec & { counts: Int32Array } {
    const nt = this.accumulate(text, tokens);
    const idx = new Int32Array(nt);
    const val = new Float32Array(nt);
    const counts = new Int32Array(nt);
    this.drain(idx, 0);
    const acc = this.acc!;
    for (let k = 0; k < nt; k++) counts[k] = acc[idx[k]];
    this.weigh(idx, val, 0, nt);
    return { idx, val, counts };
  }

  /**
   * Raw counts per column (no tf-idf, no normalisation), columns ascending:
   * the same counts as counting `hashFeatures` buckets mapped to columns.
   */
  countColumns(text: string, tokens?: TokensOrHashes): { cols: Int32Array; counts: Int32Array } {
    const nt = this.accumulate(text, tokens);
    const cols = new Int32Array(nt);
    const counts = new Int32Array(nt);
    this.drain(cols, 0);
    const acc = this.acc!;
    for (let k = 0; k < nt; k++) {
      counts[k] = acc[cols[k]];
      acc[cols[k]] = 0;
    }
    return { cols, counts };
  }

  /** `countColumns` as a Map (column → count), in ascending column order. */
  columnCounts(text: string, tokens?: TokensOrHashes): Map<number, number> {
    const { cols, counts } = this.countColumns(text, tokens);
    const out = new Map<number, number>();
    for (let k = 0; k < cols.length; k++) out.set(cols[k], counts[k]);
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
    while (cap * 0.7 < buckets.length) cap <<= 1;
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
