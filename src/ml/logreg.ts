/**
 * Multi-label one-vs-rest logistic regression on sparse rows, trained by our
 * own code: AdaGrad SGD over shuffled examples (seeded), L2 applied to the
 * coordinates each example touches, all labels updated in one pass.
 * Weights are stored feature-major (`w[f * L + l]`).
 */
import { decodeFloat32, decodeInt8, encodeArray } from './codec.ts';
import { rng, shuffle } from './rng.ts';
import type { SparseVec } from './sparse.ts';

export interface TrainOptions {
  epochs?: number;
  /** AdaGrad base learning rate. */
  lr?: number;
  /** L2 strength per touched coordinate. */
  l2?: number;
  seed?: number;
  /** Weight of positive examples per label (1 = unweighted). */
  posWeight?: number | number[];
  /** Per-example weights (e.g. down-weight other languages). */
  sampleWeight?: ArrayLike<number>;
}

export interface LogRegJSON {
  labels: string[];
  nFeatures: number;
  bias: number[];
  /** Int8-quantised weights with one scale per label, or float32. */
  weights: { kind: 'int8'; scale: number[]; data: string } | { kind: 'f32'; data: string };
}

export class MultiLabelLogReg {
  readonly labels: string[];
  readonly nFeatures: number;
  readonly b: Float64Array;
  private _w: Float32Array | null;

  /** `w` null: the weights come from `q`/`qScale` (set right after), dequantised on first use of `w`. */
  constructor(labels: string[], nFeatures: number, w?: Float32Array | null, b?: Float64Array) {
    this.labels = labels;
    this.nFeatures = nFeatures;
    this._w = w === undefined ? new Float32Array(nFeatures * labels.length) : w;
    this.b = b ?? new Float64Array(labels.length);
  }

  /**
   * Float weights, feature-major (`w[f * L + l]`). A model loaded from int8
   * weights builds them on first access (q × scale, as float32); inference
   * that reads `q` directly never does, which saves 4 bytes per weight.
   */
  get w(): Float32Array {
    if (!this._w) {
      const q = this.q!;
      const scale = this.qScale!;
      const L = this.labels.length;
      const w = new Float32Array(q.length);
      for (let i = 0; i < q.length; i++) w[i] = q[i] * scale[i % L];
      this._w = w;
    }
    return this._w;
  }

  /** `y[i]` lists the label indices of example i. */
  static train(rows: SparseVec[], y: number[][], labels: string[], nFeatures: number, opts: TrainOptions = {}): MultiLabelLogReg {
    const L = labels.length;
    const model = new MultiLabelLogReg(labels, nFeatures);
    const { w, b } = model;
    const epochs = opts.epochs ?? 8;
    const lr = opts.lr ?? 0.2;
    const l2 = opts.l2 ?? 1e-4;
    const rand = rng(opts.seed ?? 1);
    const pw = typeof opts.posWeight === 'number' || opts.posWeight === undefined
      ? new Float64Array(L).fill(opts.posWeight ?? 1)
      : Float64Array.from(opts.posWeight);
    const gw = new Float32Array(w.length).fill(1e-6);
    const gb = new Float64Array(L).fill(1e-6);
    // initialise biases at the label log-odds
    const counts = new Float64Array(L);
    for (const ys of y) for (const l of ys) counts[l]++;
    for (let l = 0; l < L; l++) {
      const p = (counts[l] + 0.5) / (rows.length + 1);
      b[l] = Math.log(p / (1 - p));
    }
    const order = rows.map((_, i) => i);
    const z = new Float64Array(L);
    const g = new Float64Array(L);
    const target = new Uint8Array(L);
    for (let ep = 0; ep < epochs; ep++) {
      shuffle(order, rand);
      for (const i of order) {
        const { idx, val } = rows[i];
        const sw = opts.sampleWeight ? opts.sampleWeight[i] : 1;
        if (sw === 0) continue;
        for (let l = 0; l < L; l++) z[l] = b[l];
        for (let k = 0; k < idx.length; k++) {
          const base = idx[k] * L;
          const v = val[k];
          for (let l = 0; l < L; l++) z[l] += w[base + l] * v;
        }
        target.fill(0);
        for (const l of y[i]) target[l] = 1;
        for (let l = 0; l < L; l++) {
          const p = 1 / (1 + Math.exp(-z[l]));
          g[l] = target[l] ? (p - 1) * pw[l] * sw : p * sw;
          gb[l] += g[l] * g[l];
          b[l] -= (lr / Math.sqrt(gb[l])) * g[l];
        }
        for (let k = 0; k < idx.length; k++) {
          const base = idx[k] * L;
          const v = val[k];
          for (let l = 0; l < L; l++) {
            const j = base + l;
            const grad = g[l] * v + l2 * w[j];
            gw[j] += grad * grad;
            w[j] -= (lr / Math.sqrt(gw[j])) * grad;
          }
        }
      }
    }
    return model;
  }

  /** Int8 weights and per-label scales, kept when loaded from a quantised file (4× less memory traffic). */
  q: Int8Array | null = null;
  qScale: Float64Array | null = null;

  /** Raw scores (log-odds) per label. */
  decision(row: SparseVec, out = new Float64Array(this.labels.length)): Float64Array {
    return this.decisionRange(row.idx, row.val, 0, row.idx.length, out);
  }

  /**
   * Raw scores of the row given as `idx[from, to)` / `val[from, to)` (sorted
   * columns; columns ≥ nFeatures are skipped). Same sums in the same order as
   * the plain loop (feature by feature, labels inside), through a kernel with
   * one accumulator per label (see `dotKernel`).
   */
  decisionRange(idx: ArrayLike<number>, val: ArrayLike<number>, from: number, to: number, out = new Float64Array(this.labels.length)): Float64Array {
    const L = this.labels.length;
    if (this.q && this.qScale) {
      dotKernel(L)(this.q, idx, val, from, to, this.nFeatures, out, null);
      for (let l = 0; l < L; l++) out[l] = out[l] * this.qScale[l] + this.b[l];
      return out;
    }
    dotKernel(L)(this.w, idx, val, from, to, this.nFeatures, out, this.b);
    return out;
  }

  /** Uncalibrated probabilities per label. */
  proba(row: SparseVec): Float64Array {
    const z = this.decision(row);
    for (let l = 0; l < z.length; l++) z[l] = 1 / (1 + Math.exp(-z[l]));
    return z;
  }

  toJSON(quantize = true): LogRegJSON {
    const L = this.labels.length;
    if (!quantize) {
      return { labels: this.labels, nFeatures: this.nFeatures, bias: [...this.b], weights: { kind: 'f32', data: encodeArray(this.w) } };
    }
    const scale = new Array<number>(L).fill(0);
    for (let j = 0; j < this.w.length; j++) {
      const l = j % L;
      const a = Math.abs(this.w[j]);
      if (a > scale[l]) scale[l] = a;
    }
    for (let l = 0; l < L; l++) scale[l] = scale[l] / 127 || 1;
    const q = new Int8Array(this.w.length);
    for (let j = 0; j < this.w.length; j++) q[j] = Math.round(this.w[j] / scale[j % L]);
    return { labels: this.labels, nFeatures: this.nFeatures, bias: [...this.b], weights: { kind: 'int8', scale, data: encodeArray(q) } };
  }

  static fromJSON(j: LogRegJSON): MultiLabelLogReg {
    if (j.weights.kind === 'f32') return new MultiLabelLogReg(j.labels, j.nFeatures, decodeFloat32(j.weights.data), Float64Array.from(j.bias));
    const m = new MultiLabelLogReg(j.labels, j.nFeatures, null, Float64Array.from(j.bias));
    m.q = decodeInt8(j.weights.data);
    // the scales as float64 from their JSON numbers; the old eager dequantisation used the same numbers
    m.qScale = Float64Array.from(j.weights.scale);
    return m;
  }
}

/**
 * out[l] = init[l] (or 0) + Σ_k w[idx[k]·L + l] · val[k] over k in [from, to)
 * with idx[k] < nFeatures, summed in k order for every label.
 */
export type DotKernel = (
  w: ArrayLike<number>,
  idx: ArrayLike<number>,
  val: ArrayLike<number>,
  from: number,
  to: number,
  nFeatures: number,
  out: Float64Array,
  init: ArrayLike<number> | null,
) => void;

function loopKernel(L: number): DotKernel {
  return (w, idx, val, from, to, nFeatures, out, init) => {
    for (let l = 0; l < L; l++) out[l] = init ? init[l] : 0;
    for (let k = from; k < to; k++) {
      const c = idx[k];
      if (c >= nFeatures) continue;
      const base = c * L;
      const v = val[k];
      for (let l = 0; l < L; l++) out[l] += w[base + l] * v;
    }
  };
}

const kernels = new Map<number, DotKernel>();

/**
 * The dot-product kernel for L labels: generated code with one local
 * accumulator per label (V8 keeps them in registers instead of loading and
 * storing out[l] for every feature), about 3× faster than the plain loop for
 * L = 14–23 and bit-identical to it (same additions in the same order).
 * Falls back to the plain loop where code generation is not allowed (a
 * browser's content security policy) or L is large.
 */
export function dotKernel(L: number): DotKernel {
  let k = kernels.get(L);
  if (k) return k;
  k = L <= 64 ? generatedKernel(L) ?? loopKernel(L) : loopKernel(L);
  kernels.set(L, k);
  return k;
}

function generatedKernel(L: number): DotKernel | null {
  const ls = Array.from({ length: L }, (_, l) => l);
  const src = [
    '"use strict";',
    ...ls.map((l) => `let z${l} = init === null ? 0 : init[${l}];`),
    'for (let k = from; k < to; k++) {',
    '  const c = idx[k];',
    '  if (c >= nFeatures) continue;',
    `  const base = c * ${L};`,
    '  const v = val[k];',
    ...ls.map((l) => `  z${l} += w[base + ${l}] * v;`),
    '}',
    ...ls.map((l) => `out[${l}] = z${l};`),
  ].join('\n');
  try {
    return new Function('w', 'idx', 'val', 'from', 'to', 'nFeatures', 'out', 'init', src) as DotKernel;
  } catch {
    return null;
  }
}
