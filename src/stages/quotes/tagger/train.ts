/**
 * Trains the attribution tagger on PolNeAR-format JSONL (averaged structured
 * perceptron, deterministic: fixed seed for the unit order).
 *
 *   unspin train quotes [--data ../shared/corpora/polnear/train.jsonl] [--epochs 20]
 */
import type { Span } from '../../../document/types.ts';
import { segment } from '../../../segment/index.ts';
import { extract, type Unit } from '../extract.ts';
import { ruleTags, unitFeatures } from './features.ts';
import { L, SIZE, allowed, viterbi, type Weights } from './model.ts';

export interface TrainUnit {
  feats: Int32Array[];
  gold: Uint8Array;
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
export function docUnits(text: string, rels?: readonly GoldRel[]): { units: Unit[]; feats: Int32Array[][]; gold: Uint8Array[] } {
  const seg = segment(text);
  const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
  const feats: Int32Array[][] = [];
  const gold: Uint8Array[] = [];
  ex.units.forEach((u, i) => {
    const paraStart = i === 0 || ex.units[i - 1].paragraph !== u.paragraph;
    feats.push(unitFeatures(text, u, ruleTags(u, ex.drafts), paraStart));
    if (rels) gold.push(goldLabels(u, rels));
  });
  return { units: ex.units, feats, gold };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function train(units: TrainUnit[], epochs: number, log?: (msg: string) => void): Weights {
  const emit = new Float32Array(SIZE * L);
  const trans = new Float32Array((L + 1) * L);
  // Averaging with the lazy-update trick: acc holds sum of (update × time).
  const emitAcc = new Float64Array(SIZE * L);
  const transAcc = new Float64Array((L + 1) * L);
  let time = 1;
  const order = units.map((_, i) => i);
  const rand = rng(12345);
  const w: Weights = { emit, trans };
  for (let ep = 0; ep < epochs; ep++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let wrong = 0;
    let total = 0;
    for (const ui of order) {
      const u = units[ui];
      const pred = viterbi(w, u.feats);
      total += u.gold.length;
      let any = false;
      for (let k = 0; k < u.gold.length; k++) if (pred[k] !== u.gold[k]) any = true;
      if (any) {
        for (let k = 0; k < u.gold.length; k++) {
          const g = u.gold[k];
          const p = pred[k];
          if (g !== p) {
            wrong++;
            for (const f of u.feats[k]) {
              emit[f * L + g] += 1;
              emitAcc[f * L + g] += time;
              emit[f * L + p] -= 1;
              emitAcc[f * L + p] -= time;
            }
          }
          const gp = k === 0 ? L : u.gold[k - 1];
          const pp = k === 0 ? L : pred[k - 1];
          if (gp !== pp || g !== p) {
            trans[gp * L + g] += 1;
            transAcc[gp * L + g] += time;
            trans[pp * L + p] -= 1;
            transAcc[pp * L + p] -= time;
          }
        }
      }
      time++;
    }
    log?.(`epoch ${ep + 1}: token errors ${wrong}/${total} (${((100 * wrong) / total).toFixed(2)}%)`);
  }
  // Averaged weights: w - acc / time.
  const avgEmit = new Float32Array(SIZE * L);
  for (let i = 0; i < avgEmit.length; i++) avgEmit[i] = emit[i] - emitAcc[i] / time;
  const avgTrans = new Float32Array((L + 1) * L);
  for (let i = 0; i < avgTrans.length; i++) avgTrans[i] = trans[i] - transAcc[i] / time;
  void allowed;
  return { emit: avgEmit, trans: avgTrans };
}
