/**
 * Exact L2-regularised logistic regression for few documents and many
 * features, solved in the dual by coordinate descent (Yu, Huang & Lin 2011,
 * "Dual coordinate descent methods for logistic regression", the algorithm of
 * liblinear's `-s 7`) over a precomputed Gram matrix K = X Xᵀ + B².
 *
 * Per label l it minimises  ½‖w‖² + Σ_i C_i log(1 + exp(−y_i (w·x_i + B·b)))
 * (the bias is a regularised constant feature B, as in liblinear), with
 * C_i = C · posWeight[l] for positives and C for negatives. With K in memory
 * one coordinate step costs O(n), independent of the number of features, so
 * a label converges in well under a second for ~2,000 documents. The primal
 * weights w = Σ_i α_i y_i x_i are formed once at the end, so the result is an
 * ordinary MultiLabelLogReg (bias = B²·Σ α_i y_i). Deterministic for a given seed.
 */
import { MultiLabelLogReg, rng, shuffle, type SparseVec } from '../../ml/index.ts';

export interface DualOptions {
  /** Inverse regularisation strength (sklearn/liblinear C). */
  C: number;
  /** Positive-class weight per label (multiplies C on positives). */
  posWeight?: ArrayLike<number>;
  /** Value of the constant bias feature (liblinear's -B); 0 = no bias. */
  bias?: number;
  /** Stop when the largest projected gradient of an epoch is below this. */
  tol?: number;
  maxEpochs?: number;
  seed?: number;
  /** Per-example weights (multiply C_i). */
  sampleWeight?: ArrayLike<number>;
  /**
   * Per label, the rows its binary problem is trained on (ascending row indices; null or missing: all
   * rows). Labels given the same array share one sub-Gram matrix. Rows outside a label's subset get
   * coefficient 0, so they do not shape its weights.
   */
  rowSubsets?: (Int32Array | null)[];
}

/** The Gram matrix restricted to the rows in `sub` (m × m). */
export function subGram(K: Float32Array, n: number, sub: Int32Array): Float32Array {
  const m = sub.length;
  const out = new Float32Array(m * m);
  for (let a = 0; a < m; a++) {
    const base = sub[a] * n;
    for (let b = 0; b < m; b++) out[a * m + b] = K[base + sub[b]];
  }
  return out;
}

/**
 * K = X Xᵀ + B² (n × n, float32, row-major). Accumulated feature by feature
 * over an inverted index (cost Σ_f df_f² / 2), which beats row-by-row dot
 * products when most columns are rare, as in n-gram vocabularies.
 */
export function gram(rows: SparseVec[], nFeatures: number, bias = 1): Float32Array {
  const n = rows.length;
  const df = new Int32Array(nFeatures + 1);
  for (const r of rows) for (let k = 0; k < r.idx.length; k++) df[r.idx[k] + 1]++;
  for (let f = 0; f < nFeatures; f++) df[f + 1] += df[f];
  const start = df;
  const docOf = new Int32Array(start[nFeatures]);
  const valOf = new Float64Array(start[nFeatures]);
  const fill = Int32Array.from(start.subarray(0, nFeatures));
  rows.forEach((r, i) => {
    for (let k = 0; k < r.idx.length; k++) {
      const p = fill[r.idx[k]]++;
      docOf[p] = i;
      valOf[p] = r.val[k];
    }
  });
  // upper triangle in float64, then symmetrised
  const acc = new Float64Array(n * n);
  for (let f = 0; f < nFeatures; f++) {
    const a = start[f];
    const b = start[f + 1];
    for (let p = a; p < b; p++) {
      const base = docOf[p] * n;
      const v = valOf[p];
      for (let q = p; q < b; q++) acc[base + docOf[q]] += v * valOf[q];
    }
  }
  const K = new Float32Array(n * n);
  const b2 = bias * bias;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const s = acc[i * n + j] + b2;
      K[i * n + j] = s;
      K[j * n + i] = s;
    }
  }
  return K;
}

/**
 * Dual coefficients α_i y_i of one binary problem. `ys[i]` is +1 or −1; `Ci`
 * the upper bound of α_i. Returns the coefficient vector (α ∘ y).
 */
export function solveBinary(K: Float32Array, n: number, ys: Int8Array, Ci: Float64Array, tol: number, maxEpochs: number, rand: () => number): Float64Array {
  const alpha = new Float64Array(n);
  const f = new Float64Array(n); // f_j = Σ_i α_i y_i K_ij
  for (let i = 0; i < n; i++) alpha[i] = Math.min(0.001 * Ci[i], 1e-8);
  for (let i = 0; i < n; i++) {
    const c = alpha[i] * ys[i];
    const base = i * n;
    for (let j = 0; j < n; j++) f[j] += c * K[base + j];
  }
  const order = Array.from({ length: n }, (_, i) => i);
  let innerEps = 1e-2;
  const innerEpsMin = Math.min(1e-8, tol);
  const maxInner = 100;
  for (let ep = 0; ep < maxEpochs; ep++) {
    shuffle(order, rand);
    let gMax = 0;
    let newtonIters = 0;
    for (const i of order) {
      const C = Ci[i];
      const yi = ys[i];
      const a = K[i * n + i];
      const b = yi * f[i];
      // minimise over the smaller of α_i and C − α_i (numerically safer), as liblinear does
      let sign = 1;
      let aOld = alpha[i];
      if (0.5 * a * (C - 2 * alpha[i]) + b < 0) {
        sign = -1;
        aOld = C - alpha[i];
      }
      let z = aOld;
      if (C - z < 0.5 * C) z = 0.1 * z;
      let gp = a * (z - aOld) + sign * b + Math.log(z / (C - z));
      if (Math.abs(gp) > gMax) gMax = Math.abs(gp);
      let inner = 0;
      while (inner <= maxInner) {
        if (Math.abs(gp) < innerEps) break;
        const gpp = a + C / (C - z) / z;
        const tz = z - gp / gpp;
        z = tz <= 0 ? z * 0.1 : tz;
        gp = a * (z - aOld) + sign * b + Math.log(z / (C - z));
        inner++;
        newtonIters++;
      }
      if (inner > 0) {
        const delta = sign * (z - aOld);
        alpha[i] = sign === 1 ? z : C - z;
        const c = delta * yi;
        const base = i * n;
        for (let j = 0; j < n; j++) f[j] += c * K[base + j];
      }
    }
    if (newtonIters <= n / 10) innerEps = Math.max(innerEpsMin, 0.1 * innerEps);
    if (gMax < tol) break;
  }
  for (let i = 0; i < n; i++) alpha[i] *= ys[i];
  return alpha;
}

/**
 * One-vs-rest logistic regression, solved exactly per label in the dual.
 * `y[i]` lists the label indices of row i. `K` may be passed when already computed.
 */
export function trainDual(rows: SparseVec[], y: number[][], labels: string[], nFeatures: number, opts: DualOptions, K?: Float32Array): MultiLabelLogReg {
  const n = rows.length;
  const L = labels.length;
  const B = opts.bias ?? 1;
  const gramK = K ?? gram(rows, nFeatures, B);
  const rand = rng(opts.seed ?? 1);
  const coef = new Float64Array(n * L);
  const subK = new Map<Int32Array, Float32Array>();
  for (let l = 0; l < L; l++) {
    const pw = opts.posWeight ? opts.posWeight[l] : 1;
    const sub = opts.rowSubsets?.[l] ?? null;
    const m = sub ? sub.length : n;
    if (m === 0) continue;
    const row = (a: number) => (sub ? sub[a] : a);
    const ys = new Int8Array(m);
    const Ci = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      const i = row(a);
      const pos = y[i].includes(l);
      ys[a] = pos ? 1 : -1;
      Ci[a] = opts.C * (pos ? pw : 1) * (opts.sampleWeight ? opts.sampleWeight[i] : 1);
    }
    let Kl = gramK;
    if (sub) {
      let k = subK.get(sub);
      if (!k) subK.set(sub, (k = subGram(gramK, n, sub)));
      Kl = k;
    }
    const c = solveBinary(Kl, m, ys, Ci, opts.tol ?? 0.01, opts.maxEpochs ?? 200, rand);
    for (let a = 0; a < m; a++) coef[row(a) * L + l] = c[a];
  }
  const w = new Float32Array(nFeatures * L);
  const acc = new Float64Array(nFeatures * L);
  const b = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const { idx, val } = rows[i];
    const cb = i * L;
    for (let k = 0; k < idx.length; k++) {
      const base = idx[k] * L;
      const v = val[k];
      for (let l = 0; l < L; l++) acc[base + l] += coef[cb + l] * v;
    }
    for (let l = 0; l < L; l++) b[l] += coef[cb + l] * B * B;
  }
  for (let j = 0; j < w.length; j++) w[j] = acc[j];
  return new MultiLabelLogReg(labels, nFeatures, w, b);
}
