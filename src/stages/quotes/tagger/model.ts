/**
 * A first-order structured perceptron over BIO labels for source, cue and
 * content (CofeNet's tagging view of PolNeAR, with hashed sparse features
 * instead of BERT). Decoding is Viterbi with BIO constraints.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gunzipWhole } from '../../../ml/gunzip.ts';
import { HASH_BITS, STACK_BITS, FEATURE_VERSION, getStackOptions, setStackOptions, type StackOptions, rowSums, getMeaningFeatures, meaningOff, setMeaningFeatures, NO_MEANING, type MeaningFeatures } from './features.ts';

export const LABELS = ['O', 'B-S', 'I-S', 'B-C', 'I-C', 'B-X', 'I-X'] as const;
export const L = LABELS.length;
export const SIZE = 1 << HASH_BITS;

/** I-x may only follow B-x or I-x. */
export function allowed(prev: number, cur: number): boolean {
  if (cur === 2) return prev === 1 || prev === 2;
  if (cur === 4) return prev === 3 || prev === 4;
  if (cur === 6) return prev === 5 || prev === 6;
  return true;
}

export interface Weights {
  /** SIZE × L emission weights (Int16 when loaded from the quantised file; multiply by `emitScale`). */
  emit: Float32Array | Int16Array;
  /** Factor that turns `emit` values into weights (1 for float weights). */
  emitScale?: number;
  /** (L+1) × L transitions; row L is the start state. */
  trans: Float32Array;
  /** Added to each label's emission score at decoding (a negative O bias trades precision for recall). */
  labelBias?: Float32Array;
  /** L × dim weights of the dense word-vector features (real units), when the model has them. */
  dense?: Float32Array;
  /**
   * The second pass (stacking), when the model has one: 2^STACK_BITS × L emission weights over
   * features of the first pass's labels, added to the first pass's emission scores, and its own
   * transitions.
   */
  stack?: Weights;
  /** On a second pass: its scores replace the first pass's instead of adding to them. */
  stackAlone?: boolean;
  /** On a second pass: a whole tagger (the first pass's features and the stacked ones). */
  stackFull?: boolean;
  /**
   * On a whole-tagger second pass: run it only on units whose first-pass confidence (the score gap
   * between the best path and the best path that differs from it at any token, pathGap) is below
   * this value; absent: on every unit worth it.
   */
  gate?: number;
}

const ALLOWED = new Uint8Array((L + 1) * L);
for (let p = -1; p < L; p++) for (let l = 0; l < L; l++) ALLOWED[(p + 1) * L + l] = allowed(p, l) ? 1 : 0;

/** Emission scores of every token (n × L), unscaled. */
function emissions(emit: Float32Array | Int16Array, feats: Int32Array[], em: Float64Array): void {
  em.fill(0, 0, feats.length * L);
  for (let i = 0; i < feats.length; i++) rowSums(emit, feats[i], feats[i].length, em, i * L);
}

export function viterbi(w: Weights, feats: Int32Array[]): Uint8Array {
  const ems = new Float64Array(feats.length * L);
  emissions(w.emit, feats, ems);
  return viterbiEmissions(w, ems);
}

let scorePool = new Float64Array(512 * L);
let backPool = new Uint8Array(512 * L);

/** Best label sequence given the unscaled emission sums (n × L) of a unit's tokens. */
export function viterbiEmissions(w: Weights, ems: Float64Array): Uint8Array {
  const n = ems.length / L;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const trans = w.trans;
  const k = w.emitScale ?? 1;
  const bias = w.labelBias;
  if (scorePool.length < n * L) {
    scorePool = new Float64Array(2 * n * L);
    backPool = new Uint8Array(2 * n * L);
  }
  // Every cell of rows 0..n-1 is written before it is read.
  const score = scorePool;
  const back = backPool;
  for (let l = 0; l < L; l++) score[l] = ALLOWED[l] ? ems[l] * k + (bias ? bias[l] : 0) + trans[L * L + l] : -Infinity;
  for (let i = 1; i < n; i++) {
    const row = i * L;
    const prevRow = row - L;
    for (let l = 0; l < L; l++) {
      const e = ems[row + l] * k + (bias ? bias[l] : 0);
      let best = -Infinity;
      let arg = 0;
      if (l === 2 || l === 4 || l === 6) {
        // I-x follows only B-x (l - 1) or I-x (l); first maximum in label order, as below.
        const a = score[prevRow + l - 1] + trans[(l - 1) * L + l];
        const b = score[prevRow + l] + trans[l * L + l];
        if (a > best) {
          best = a;
          arg = l - 1;
        }
        if (b > best) {
          best = b;
          arg = l;
        }
      } else {
        for (let p = 0; p < L; p++) {
          const s = score[prevRow + p] + trans[p * L + l];
          if (s > best) {
            best = s;
            arg = p;
          }
        }
      }
      score[row + l] = best + e;
      back[row + l] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  for (let l = 0; l < L; l++) {
    if (score[(n - 1) * L + l] > best) {
      best = score[(n - 1) * L + l];
      arg = l;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    out[i] = arg;
    arg = back[i * L + arg];
  }
  return out;
}

let bwdPool = new Float64Array(512 * L);
const vPool = new Float64Array(L);

/**
 * How sure the first pass is of its best path `best`, which viterbiEmissions has just computed
 * over the same `ems` and `w` (its forward scores are read from viterbiEmissions' buffer, so no
 * other unit may be decoded in between): the score of that path minus the score of the best path
 * that differs from it at one token or more (max-marginals: the forward scores plus a backward
 * max-product pass; scaled scores, BIO constraints kept). Infinity when no other path is allowed.
 */
export function pathGap(w: Weights, ems: Float64Array, best: Uint8Array): number {
  const n = ems.length / L;
  if (n === 0) return Infinity;
  const trans = w.trans;
  const k = w.emitScale ?? 1;
  const bias = w.labelBias;
  const fwd = scorePool;
  if (bwdPool.length < n * L) bwdPool = new Float64Array(2 * n * L);
  const bwd = bwdPool;
  const v = vPool;
  const last = (n - 1) * L;
  for (let l = 0; l < L; l++) bwd[last + l] = 0;
  for (let i = n - 2; i >= 0; i--) {
    const next = (i + 1) * L;
    // v[c]: the best score from token i + 1 on, given label c there.
    for (let c = 0; c < L; c++) v[c] = ems[next + c] * k + (bias ? bias[c] : 0) + bwd[next + c];
    const row = i * L;
    for (let l = 0; l < L; l++) {
      const t = l * L;
      // O, B-S, B-C, B-X may follow any label; I-x only B-x or I-x.
      let m = trans[t] + v[0];
      let s = trans[t + 1] + v[1];
      if (s > m) m = s;
      s = trans[t + 3] + v[3];
      if (s > m) m = s;
      s = trans[t + 5] + v[5];
      if (s > m) m = s;
      if (l !== 0) {
        const c = l % 2 === 1 ? l + 1 : l; // the I label of l's type
        s = trans[t + c] + v[c];
        if (s > m) m = s;
      }
      bwd[row + l] = m;
    }
  }
  let top = -Infinity;
  let other = -Infinity;
  for (let i = 0; i < n; i++) {
    const row = i * L;
    const b = best[i];
    for (let l = 0; l < L; l++) {
      const s = fwd[row + l] + bwd[row + l];
      if (l === b) {
        if (i === 0 && s > top) top = s;
      } else if (s > other) other = s;
    }
  }
  return top - other;
}

// --- model file: "UQT1" header line (JSON) + int16-quantised weights, gzipped.

export interface ModelHeader {
  name: string;
  version: string;
  featureVersion: number;
  hashBits: number;
  scale: number;
  trained: string;
  data: string;
  epochs: number;
  /** Decoding bias per label (see Weights.labelBias). */
  labelBias?: number[];
  /** The word-vector features the model was trained with (absent: none). */
  meaning?: MeaningFeatures;
  /** Dense weights (L × dim, see Weights.dense). */
  dense?: number[];
  /** The training algorithm (TrainAlgo in train.ts; absent: the plain averaged perceptron). */
  algo?: { seeds?: number; seed?: number; update?: string; C?: number; hamming?: number; decay?: number };
  /** Cross-fitting parts the second pass was trained with (absent: one pass). */
  stackParts?: number;
  /** The second pass (Weights.stack), stored after the first pass's weights: its own scale and hash bits. */
  stack?: { scale: number; hashBits: number; alone?: boolean; full?: boolean; dense?: number[]; features?: StackOptions; gate?: number };
}

/** Int16 copy of emission and transition weights, scaled so that the largest is 32767. */
function quantise(w: Weights): { scale: number; q: Int16Array } {
  let max = 0;
  for (const x of w.emit) max = Math.max(max, Math.abs(x));
  for (const x of w.trans) max = Math.max(max, Math.abs(x));
  const scale = max > 0 ? 32767 / max : 1;
  const q = new Int16Array(w.emit.length + w.trans.length);
  for (let i = 0; i < w.emit.length; i++) q[i] = Math.round(w.emit[i] * scale);
  for (let i = 0; i < w.trans.length; i++) q[w.emit.length + i] = Math.round(w.trans[i] * scale);
  return { scale, q };
}

export function encodeModel(w: Weights, header: Omit<ModelHeader, 'scale' | 'featureVersion' | 'hashBits'>): Buffer {
  const { scale, q } = quantise(w);
  const m = getMeaningFeatures();
  const meaning = meaningOff(m) ? undefined : m;
  const dense = w.dense ? [...w.dense].map((x) => Math.round(x * 1e4) / 1e4) : undefined;
  const second = w.stack ? quantise(w.stack) : undefined;
  const stack = second
    ? {
        scale: second.scale,
        hashBits: Math.log2(w.stack!.emit.length / L),
        alone: w.stack!.stackAlone,
        full: w.stack!.stackFull,
        features: getStackOptions(),
        gate: w.stack!.gate,
        dense: w.stack!.dense ? [...w.stack!.dense].map((x) => Math.round(x * 1e4) / 1e4) : undefined,
      }
    : undefined;
  const json = JSON.stringify({ ...header, scale, featureVersion: FEATURE_VERSION, hashBits: HASH_BITS, meaning, dense, stack });
  // The header line is padded to an even length so that the 16-bit body can be read in place
  // (decodeModel), without a second copy of the weights in memory while the model loads.
  const head = Buffer.from(json + ((json.length + 1) % 2 ? ' ' : '') + '\n');
  return Buffer.concat([head, Buffer.from(q.buffer), ...(second ? [Buffer.from(second.q.buffer)] : [])]);
}

export function decodeModel(buf: Buffer): { header: ModelHeader; weights: Weights } {
  const nl = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as ModelHeader;
  if (header.featureVersion !== FEATURE_VERSION || header.hashBits !== HASH_BITS) {
    throw new Error(`quotes tagger model was trained with features v${header.featureVersion}/${header.hashBits} bits; code has v${FEATURE_VERSION}/${HASH_BITS}`);
  }
  const body = buf.subarray(nl + 1);
  // Read in place when the body is 2-byte aligned (files written since session 5); older files are copied.
  const q =
    body.byteOffset % 2 === 0
      ? new Int16Array(body.buffer, body.byteOffset, body.byteLength >> 1)
      : new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  const emit = q.subarray(0, SIZE * L);
  const trans = new Float32Array((L + 1) * L);
  for (let i = 0; i < trans.length; i++) trans[i] = q[emit.length + i] / header.scale;
  const labelBias = header.labelBias ? Float32Array.from(header.labelBias) : undefined;
  // The features this model reads: set before any unit is scored.
  setMeaningFeatures(header.meaning ?? NO_MEANING);
  const dense = header.dense ? Float32Array.from(header.dense) : undefined;
  let stack: Weights | undefined;
  setStackOptions(header.stack?.features);
  if (header.stack) {
    if (header.stack.hashBits !== (header.stack.full ? HASH_BITS : STACK_BITS)) throw new Error(`quotes tagger second pass has ${header.stack.hashBits} hash bits; code has ${STACK_BITS}`);
    const from = emit.length + trans.length;
    const se = q.subarray(from, from + (1 << header.stack.hashBits) * L);
    const st = new Float32Array((L + 1) * L);
    for (let i = 0; i < st.length; i++) st[i] = q[from + se.length + i] / header.stack.scale;
    stack = {
      emit: se,
      trans: st,
      emitScale: 1 / header.stack.scale,
      stackAlone: header.stack.alone,
      stackFull: header.stack.full,
      gate: header.stack.gate ?? undefined,
      dense: header.stack.dense ? Float32Array.from(header.stack.dense) : undefined,
    };
  }
  return { header, weights: { emit, trans, emitScale: 1 / header.scale, labelBias, dense, stack } };
}

export const MODEL_URL = new URL('../../../../models/quotes/tagger.bin.gz', import.meta.url);

let cached: { header: ModelHeader; weights: Weights } | null | undefined;

/** The committed tagger, or null when the model file is absent (the rules then work alone). */
export function loadTagger(): { header: ModelHeader; weights: Weights } | null {
  if (cached !== undefined) return cached;
  if (!existsSync(MODEL_URL)) return (cached = null);
  cached = decodeModel(gunzipWhole(readFileSync(MODEL_URL)));
  return cached;
}

/** For tests and training: replace the cached model. */
export function setTagger(m: { header: ModelHeader; weights: Weights } | null): void {
  cached = m;
}
