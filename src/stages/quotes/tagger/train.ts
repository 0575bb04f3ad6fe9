/**
 * Trains the attribution tagger on PolNeAR-format JSONL (averaged structured
 * perceptron, deterministic: fixed seed for the unit order).
 *
 *   unspin train quotes [--data ../shared/corpora/polnear/train.jsonl] [--epochs 20]
 */
import type { Span } from '../../../document/types.ts';
import { segment } from '../../../segment/index.ts';
import { extract, type Unit } from '../extract.ts';
import {
  STACK_BITS,
  denseGroupCount,
  denseGroups,
  denseOffsets,
  getMeaningFeatures,
  ruleTags,
  rowSums,
  stackCtx,
  stackUnitFeatures,
  unitFeatures,
  unitVectors,
  type StackCtx,
} from './features.ts';
import { worthRestacking } from './decode.ts';
import { L, SIZE, allowed, viterbiEmissions, type Weights } from './model.ts';

export interface TrainUnit {
  feats: Int32Array[];
  gold: Uint8Array;
  /** Per token, the dense word vector (see MeaningFeatures.dense) or null. */
  vecs?: (Float32Array | null)[];
  /** Per token, its dense weight group (see MeaningFeatures.denseBy); absent: group 0. */
  groups?: Uint8Array;
  /** Fixed scores (n × L) added to the emissions: the first pass's, when training the second pass. */
  offset?: Float64Array;
  /** Scales every update of this unit (self-training units weigh less than gold ones); absent: 1. */
  weight?: number;
}

/** Emission scores (n × L) of a unit under float weights (training units; `em` is overwritten). */
export function unitScores(w: Weights, u: TrainUnit, em: Float64Array): void {
  const n = u.feats.length;
  if (u.offset) em.set(u.offset.subarray(0, n * L));
  else em.fill(0, 0, n * L);
  const dense = w.dense;
  const offs = denseOffsets();
  const G = denseGroupCount();
  for (let k = 0; k < n; k++) {
    rowSums(w.emit, u.feats[k], u.feats[k].length, em, k * L);
    if (dense && u.vecs) {
      const dim = dense.length / (offs.length * G * L);
      for (let j = 0; j < offs.length; j++) {
        const v = u.vecs[k + offs[j]];
        if (!v) continue;
        const blk = j * G + (u.groups ? u.groups[k] : 0);
        for (let l = 0; l < L; l++) {
          let x = 0;
          const b = (blk * L + l) * dim;
          for (let d = 0; d < dim; d++) x += dense[b + d] * v[d];
          em[k * L + l] += x;
        }
      }
    }
  }
}

export interface GoldRel {
  source: Span[];
  cue: Span[];
  content: Span[];
}

/** BIO labels of a unit's tokens from gold relations (cue over source over content where nested). */
export function goldLabels(unit: Unit, rels: readonly GoldRel[]): Uint8Array {
  const n = unit.toks.length;
  const type = new Uint8Array(n); // 0 none, 1 S, 2 C, 3 X
  const span = new Int32Array(n).fill(-1);
  let id = 0;
  const prio = [0, 2, 3, 1]; // higher wins: cue 3 > source 2 > content 1
  const mark = (s: Span, t: number) => {
    const sid = id++;
    if (s.end <= unit.start || s.start >= unit.end) return;
    for (let k = 0; k < n; k++) {
      const tok = unit.toks[k];
      if (tok.start >= s.start && tok.end <= s.end && prio[t] >= prio[type[k]]) {
        type[k] = t;
        span[k] = sid;
      }
    }
  };
  for (const r of rels) {
    for (const s of r.content) mark(s, 3);
    for (const s of r.source) mark(s, 1);
    for (const s of r.cue) mark(s, 2);
  }
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (type[k] === 0) continue;
    const b = k === 0 || span[k - 1] !== span[k];
    out[k] = (type[k] - 1) * 2 + (b ? 1 : 2);
  }
  return out;
}

/** Units of one document with features and (optionally) gold labels. */
export function docUnits(
  text: string,
  rels?: readonly GoldRel[],
): { units: Unit[]; feats: Int32Array[][]; gold: Uint8Array[]; vecs: (Float32Array | null)[][]; groups: Uint8Array[]; ctx: StackCtx[] } {
  const seg = segment(text);
  const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
  const feats: Int32Array[][] = [];
  const gold: Uint8Array[] = [];
  const vecs: (Float32Array | null)[][] = [];
  const groups: Uint8Array[] = [];
  const ctx: StackCtx[] = [];
  const dense = !!getMeaningFeatures().dense;
  ex.units.forEach((u, i) => {
    const paraStart = i === 0 || ex.units[i - 1].paragraph !== u.paragraph;
    const rules = ruleTags(u, ex.drafts);
    feats.push(unitFeatures(text, u, rules, paraStart));
    ctx.push(stackCtx(u, rules));
    if (dense) {
      vecs.push(unitVectors(u));
      groups.push(denseGroups(u, rules));
    }
    if (rels) gold.push(goldLabels(u, rels));
  });
  return { units: ex.units, feats, gold, vecs, groups, ctx };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Cost-sensitive training (loss-augmented decoding): while training, every wrong label of a token
 * gets this margin added to its score, so the perceptron must beat it by that much. `miss`
 * applies to tokens whose gold label is source / cue / content (missing it costs), `add` to
 * gold-O tokens (adding a label costs); 0 or absent: plain perceptron.
 */
export interface TrainCost {
  miss?: number;
  add?: number;
  /** Update weight of a wrongly tagged gold source / cue / content token (1: plain perceptron). */
  weight?: number;
}

/**
 * How the weights are learnt (all options change training only; the model and its decoding cost
 * are the same). Defaults: one averaged perceptron, plain unit steps (`ALGO_IN_USE`).
 */
export interface TrainAlgo {
  /**
   * Number of perceptrons trained on different shuffles of the units (seeds SEED, SEED + 1, …);
   * the model is the mean of their averaged weights, stored as one table. Default 1.
   */
  seeds?: number;
  /** First shuffle seed (default 12345, the seed of every model before session 5). */
  seed?: number;
  /**
   * 'pa': passive-aggressive (PA-I / 1-best MIRA) steps: decoding adds a Hamming loss of `hamming`
   * per wrong token label, and the step is min(C, (loss + score(pred) − score(gold)) / ‖Δφ‖²)
   * instead of 1. Default 'perceptron'.
   */
  update?: 'perceptron' | 'pa';
  /** PA-I aggressiveness cap (default 1). */
  C?: number;
  /** PA loss per wrongly labelled token (default 1). */
  hamming?: number;
  /** Step at epoch e (from 0) is 1 / (1 + decay · e); 0: constant steps. */
  decay?: number;
}

/**
 * The algorithm of the committed model (session 5): passive-aggressive steps capped at 0.1,
 * selected on three held-out tenths of PolNeAR train (src/stages/quotes/README.md, "Session 5").
 */
export const ALGO_IN_USE: TrainAlgo = { update: 'pa', C: 0.1 };

export function train(
  units: TrainUnit[],
  epochs: number,
  log?: (msg: string) => void,
  cost: TrainCost = {},
  rows = SIZE,
  initTrans?: Float32Array,
  algo: TrainAlgo = ALGO_IN_USE,
): Weights {
  const n = Math.max(1, algo.seeds ?? 1);
  const seed0 = algo.seed ?? 12345;
  if (n === 1) return trainOnce(units, epochs, log, cost, rows, initTrans, algo, seed0);
  // Several perceptrons on different shuffles: the mean of their averaged weights, one table.
  let sum: Weights | undefined;
  for (let i = 0; i < n; i++) {
    const w = trainOnce(units, epochs, i === 0 ? log : undefined, cost, rows, initTrans, algo, seed0 + i);
    log?.(`seed ${seed0 + i} done (${i + 1}/${n})`);
    if (!sum) sum = w;
    else {
      addInto(sum.emit as Float32Array, w.emit as Float32Array);
      addInto(sum.trans, w.trans);
      if (sum.dense && w.dense) addInto(sum.dense, w.dense);
    }
  }
  const s = sum!;
  for (const a of [s.emit as Float32Array, s.trans, s.dense]) if (a) for (let i = 0; i < a.length; i++) a[i] /= n;
  return s;
}

function addInto(a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

function trainOnce(
  units: TrainUnit[],
  epochs: number,
  log: ((msg: string) => void) | undefined,
  cost: TrainCost,
  rows: number,
  initTrans: Float32Array | undefined,
  algo: TrainAlgo,
  seed: number,
): Weights {
  const pa = algo.update === 'pa';
  const paC = algo.C ?? 1;
  const hamming = algo.hamming ?? 1;
  const decay = algo.decay ?? 0;
  const costMiss = (cost.miss ?? 0) + (pa ? hamming : 0);
  const costAdd = (cost.add ?? 0) + (pa ? hamming : 0);
  const missWeight = cost.weight ?? 1;
  const emit = new Float32Array(rows * L);
  // Transitions start from `initTrans` when given (the second pass starts from the first pass's).
  const trans = initTrans ? Float32Array.from(initTrans) : new Float32Array((L + 1) * L);
  // Averaging with the lazy-update trick: acc holds sum of (update × time).
  const emitAcc = new Float64Array(rows * L);
  const transAcc = new Float64Array((L + 1) * L);
  let time = 1;
  const order = units.map((_, i) => i);
  const rand = rng(seed);
  const w: Weights = { emit, trans };
  // Dense word-vector features, when the units carry vectors.
  const dim = units.find((u) => u.vecs)?.vecs?.find((v) => v)?.length ?? 0;
  const offs = denseOffsets();
  const G = denseGroupCount();
  const J = offs.length * G;
  const dense = dim ? new Float32Array(J * L * dim) : undefined;
  const denseAcc = dim ? new Float64Array(J * L * dim) : undefined;
  if (dense) w.dense = dense;
  let ems = new Float64Array(512 * L);
  // PA: the feature difference of gold and prediction (sparse ids × label → count), for its norm.
  const diff = new Map<number, number>();
  const denseDiff = dim ? new Float64Array(J * L * dim) : undefined;
  for (let ep = 0; ep < epochs; ep++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const epochStep = decay ? 1 / (1 + decay * ep) : 1;
    let wrong = 0;
    let total = 0;
    for (const ui of order) {
      const u = units[ui];
      const n = u.feats.length;
      if (ems.length < n * L) ems = new Float64Array(2 * n * L);
      const em = ems.subarray(0, n * L);
      unitScores(w, u, em);
      if (costMiss || costAdd) {
        for (let k = 0; k < n; k++) {
          const g = u.gold[k];
          const c = g === 0 ? costAdd : costMiss;
          if (c) for (let l = 0; l < L; l++) if (l !== g) em[k * L + l] += c;
        }
      }
      const pred = viterbiEmissions(w, em);
      total += u.gold.length;
      let any = false;
      for (let k = 0; k < u.gold.length; k++) if (pred[k] !== u.gold[k]) any = true;
      let step = epochStep;
      if (any && pa) {
        // score(pred) − score(gold) without the loss, the loss, and ‖φ(gold) − φ(pred)‖².
        let margin = 0;
        let loss = 0;
        diff.clear();
        denseDiff?.fill(0);
        const tdiff = new Float64Array((L + 1) * L);
        for (let k = 0; k < n; k++) {
          const g = u.gold[k];
          const p = pred[k];
          const gp = k === 0 ? L : u.gold[k - 1];
          const pp = k === 0 ? L : pred[k - 1];
          margin += trans[pp * L + p] - trans[gp * L + g];
          if (gp !== pp || g !== p) {
            tdiff[gp * L + g] += 1;
            tdiff[pp * L + p] -= 1;
          }
          if (g === p) continue;
          loss += hamming;
          const c = g === 0 ? costAdd : costMiss;
          margin += em[k * L + p] - c - em[k * L + g];
          for (const f of u.feats[k]) {
            diff.set(f * L + g, (diff.get(f * L + g) ?? 0) + 1);
            diff.set(f * L + p, (diff.get(f * L + p) ?? 0) - 1);
          }
          if (denseDiff && u.vecs) for (let j = 0; j < offs.length; j++) {
            const v = u.vecs[k + offs[j]];
            if (!v) continue;
            const blk = j * G + (u.groups ? u.groups[k] : 0);
            const bg = (blk * L + g) * dim;
            const bp = (blk * L + p) * dim;
            for (let d = 0; d < dim; d++) {
              denseDiff[bg + d] += v[d];
              denseDiff[bp + d] -= v[d];
            }
          }
        }
        let norm = 0;
        for (const x of diff.values()) norm += x * x;
        for (const x of tdiff) norm += x * x;
        if (denseDiff) for (const x of denseDiff) norm += x * x;
        const tau = norm > 0 ? Math.min(paC, (loss + margin) / norm) : 0;
        step = tau > 0 ? tau * epochStep : 0;
      }
      if (u.weight !== undefined) step *= u.weight;
      if (any && step > 0) {
        for (let k = 0; k < u.gold.length; k++) {
          const g = u.gold[k];
          const p = pred[k];
          if (g !== p) {
            wrong++;
            // A gold source / cue / content token tagged wrongly weighs `missWeight` (cost-sensitive updates).
            const c = (g !== 0 ? missWeight : 1) * step;
            const ct = c * time;
            for (const f of u.feats[k]) {
              emit[f * L + g] += c;
              emitAcc[f * L + g] += ct;
              emit[f * L + p] -= c;
              emitAcc[f * L + p] -= ct;
            }
            if (dense && u.vecs) for (let j = 0; j < offs.length; j++) {
              const v = u.vecs[k + offs[j]];
              if (!v) continue;
              const blk = j * G + (u.groups ? u.groups[k] : 0);
              const bg = (blk * L + g) * dim;
              const bp = (blk * L + p) * dim;
              for (let d = 0; d < dim; d++) {
                const x = c * v[d];
                dense[bg + d] += x;
                denseAcc![bg + d] += time * x;
                dense[bp + d] -= x;
                denseAcc![bp + d] -= time * x;
              }
            }
          }
          const gp = k === 0 ? L : u.gold[k - 1];
          const pp = k === 0 ? L : pred[k - 1];
          if (gp !== pp || g !== p) {
            trans[gp * L + g] += step;
            transAcc[gp * L + g] += step * time;
            trans[pp * L + p] -= step;
            transAcc[pp * L + p] -= step * time;
          }
        }
      } else if (any) for (let k = 0; k < u.gold.length; k++) if (pred[k] !== u.gold[k]) wrong++;
      time++;
    }
    log?.(`epoch ${ep + 1}: token errors ${wrong}/${total} (${((100 * wrong) / total).toFixed(2)}%)`);
  }
  // Averaged weights: w - acc / time.
  const avgEmit = new Float32Array(rows * L);
  for (let i = 0; i < avgEmit.length; i++) avgEmit[i] = emit[i] - emitAcc[i] / time;
  const avgTrans = new Float32Array((L + 1) * L);
  for (let i = 0; i < avgTrans.length; i++) avgTrans[i] = trans[i] - transAcc[i] / time;
  void allowed;
  let avgDense: Float32Array | undefined;
  if (dense) {
    avgDense = new Float32Array(dense.length);
    for (let i = 0; i < avgDense.length; i++) avgDense[i] = dense[i] - denseAcc![i] / time;
  }
  return { emit: avgEmit, trans: avgTrans, dense: avgDense };
}

/** A training unit with what the second pass needs: its context and its document (for the cross-fitting parts). */
export interface StackTrainUnit extends TrainUnit {
  ctx: StackCtx;
  doc: number;
}


/**
 * Two-pass (stacked) training. The second pass scores a token as the first pass's emission
 * scores plus its own weights over features of the first pass's labels (stackFeatures), so it
 * learns where the first pass goes wrong. Its training labels come from first passes trained
 * without the unit's document (cross-fitting: the documents are cut into `parts` parts, each
 * tagged by a first pass trained on the others), so they err as the first pass errs on new text.
 */
export function trainStacked(
  units: StackTrainUnit[],
  epochs: number,
  opts: { parts?: number; stackEpochs?: number; cost?: TrainCost; algo?: TrainAlgo; initTrans?: boolean; alone?: boolean; full?: boolean; log?: (msg: string) => void } = {},
): Weights {
  const K = opts.parts ?? 3;
  const log = opts.log;
  const stackUnits: TrainUnit[] = [];
  for (let part = 0; part < K; part++) {
    const wk = train(units.filter((u) => u.doc % K !== part), epochs, undefined, opts.cost, undefined, undefined, opts.algo);
    let kept = 0;
    for (const u of units) {
      if (u.doc % K !== part) continue;
      const n = u.feats.length;
      const em = new Float64Array(n * L);
      unitScores(wk, u, em);
      const labels = viterbiEmissions(wk, em);
      if (!worthRestacking(labels, u.ctx.rules)) continue;
      const sf = stackUnitFeatures(u.ctx, labels);
      if (opts.full) {
        // The second pass as a whole tagger: the first pass's features and the stacked ones, its own weights.
        const feats = u.feats.map((f, k) => {
          const x = new Int32Array(f.length + sf[k].length);
          x.set(f);
          x.set(sf[k], f.length);
          return x;
        });
        stackUnits.push({ feats, gold: u.gold, vecs: u.vecs, groups: u.groups, weight: u.weight });
      } else stackUnits.push({ feats: sf, gold: u.gold, offset: opts.alone ? undefined : em, weight: u.weight });
      kept++;
    }
    log?.(`first pass without part ${part + 1}/${K}: ${kept} units for the second pass`);
  }
  const w = train(units, epochs, log, opts.cost, undefined, undefined, opts.algo);
  w.stack = train(stackUnits, opts.stackEpochs ?? epochs, log, opts.cost, opts.full ? SIZE : 1 << STACK_BITS, opts.initTrans === false || opts.alone || opts.full ? undefined : w.trans, opts.algo);
  if (opts.alone) w.stack.stackAlone = true;
  if (opts.full) w.stack.stackFull = true;
  return w;
}
