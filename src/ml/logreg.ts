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
  readonly w: Float32Array;
  readonly b: Float64Array;

  constructor(labels: string[], nFeatures: number, w?: Float32Array, b?: Float64Array) {
    this.labels = labels;
    this.nFeatures = nFeatures;
    this.w = w ?? new Float32Array(nFeatures * labels.length);
    this.b = b ?? new Float64Array(labels.length);
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
    const L = this.labels.length;
    if (this.q && this.qScale) {
      const q = this.q;
      for (let l = 0; l < L; l++) out[l] = 0;
      const { idx, val } = row;
      for (let k = 0; k < idx.length; k++) {
        if (idx[k] >= this.nFeatures) continue;
        const base = idx[k] * L;
        const v = val[k];
        for (let l = 0; l < L; l++) out[l] += q[base + l] * v;
      }
      for (let l = 0; l < L; l++) out[l] = out[l] * this.qScale[l] + this.b[l];
      return out;
    }
    for (let l = 0; l < L; l++) out[l] = this.b[l];
    const { idx, val } = row;
    for (let k = 0; k < idx.length; k++) {
      if (idx[k] >= this.nFeatures) continue;
      const base = idx[k] * L;
      const v = val[k];
      for (let l = 0; l < L; l++) out[l] += this.w[base + l] * v;
    }
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
    const L = j.labels.length;
    let w: Float32Array;
    let q: Int8Array | null = null;
    if (j.weights.kind === 'f32') w = decodeFloat32(j.weights.data);
    else {
      q = decodeInt8(j.weights.data);
      const scale = j.weights.scale;
      w = new Float32Array(q.length);
      for (let i = 0; i < q.length; i++) w[i] = q[i] * scale[i % L];
    }
    const m = new MultiLabelLogReg(j.labels, j.nFeatures, w, Float64Array.from(j.bias));
    if (q && j.weights.kind === 'int8') {
      m.q = q;
      m.qScale = Float64Array.from(j.weights.scale);
    }
    return m;
  }
}
